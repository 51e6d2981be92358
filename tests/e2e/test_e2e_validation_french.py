"""The feed API explains a decisions request it refuses in the reader's language, over real HTTP
to a real `sparkads serve` (the lean lane hands a body pydantic refuses to the app): the field by
its wire name, pydantic's complaint in French from the catalogue, in English as pydantic writes it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

VIEWER = {"viewer_id": "v-1", "country": "FR", "age": 27, "gender": "FEMALE", "language": "fr"}


@pytest.mark.parametrize(
    ("lang", "viewer", "expected"),
    [
        ("en", {**VIEWER, "country": "fr"},
         "Invalid value for viewer.country: String should match pattern '^[A-Z]{2}$'"),
        ("fr", {**VIEWER, "country": "fr"},
         "Valeur invalide pour viewer.country : Le texte doit correspondre au motif '^[A-Z]{2}$'"),
        ("en", {k: v for k, v in VIEWER.items() if k != "viewer_id"},
         "Invalid value for viewer.viewer_id: Field required"),
        ("fr", {k: v for k, v in VIEWER.items() if k != "viewer_id"},
         "Valeur invalide pour viewer.viewer_id : Champ obligatoire"),
    ],
)  # fmt: skip
def test_a_refused_decisions_request_in_the_readers_language(
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    lang: str,
    viewer: dict[str, Any],
    expected: str,
) -> None:
    feed = cli("feeds", "create", "--name", f"valfr-{uuid.uuid4().hex[:8]}")
    answer = http.post(
        "/api/v1/feed/decisions",
        json={"viewer": viewer},
        headers={"Authorization": f"Bearer {feed['access_token']}", "Accept-Language": lang},
    )
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["message"] == expected
