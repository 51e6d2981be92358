"""What a native route's success answer may be, for the OpenAPI document, when it is not only
JSON: a CSV download, an image."""

from __future__ import annotations


def answered_in(*media_types: str, description: str = "") -> dict[int | str, dict[str, object]]:
    """`responses=` of a route whose 200 comes in these media types (and what it holds)."""
    answer: dict[str, object] = {"content": {media_type: {} for media_type in media_types}}
    if description:
        answer["description"] = description
    return {200: answer}
