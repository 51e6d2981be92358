"""Files served from the package (the web app's CSS, JavaScript and icon; Swagger UI's assets for
/docs): fingerprinted once, answered with an ETag and a cache lifetime, 304 when the browser
already has them (If-None-Match as RFC 9110 §13.1.2 reads it: `*`, or a list of tags compared
weakly), and HEAD answered like GET without the body."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response


@dataclass(frozen=True)
class Asset:
    content: bytes
    media_type: str
    etag: str


def fingerprinted(content: bytes, media_type: str) -> Asset:
    return Asset(content, media_type, hashlib.sha256(content).hexdigest()[:16])


def _already_has(if_none_match: str | None, etag: str) -> bool:
    """Whether If-None-Match names this tag: `*`, or any tag of its comma-separated list, weak
    (W/"...") or strong, since the comparison is weak."""
    if if_none_match is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or f'"{etag}"' in tags


def served(request: Request, found: Asset | None, *, max_age: int) -> Response:
    if found is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = {"ETag": f'"{found.etag}"', "Cache-Control": f"public, max-age={max_age}"}
    if _already_has(request.headers.get("if-none-match"), found.etag):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(found.content))
        return Response(media_type=found.media_type, headers=headers)
    return Response(found.content, media_type=found.media_type, headers=headers)
