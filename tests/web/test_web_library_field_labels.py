"""A refusal that names a field says it as the page does: the creative library's "Original post's
code" in the reader's language, where the open API says `original_post_auth_code`."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from factories import advertiser, authorize_post, creator, open_api_post, publish
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _code(client: TestClient, uow: UnitOfWork, clock: TestClock) -> str:
    author = creator(uow, clock)
    return str(authorize_post(client, author, publish(client, author)["item_id"])["auth_code"])


@pytest.mark.parametrize(
    ("lang", "message", "solution"),
    [
        ("en", "Original post's code is only for duets and stitches.",
         "Leave Original post's code empty: send only the post's own code."),
        ("fr", "Code de la publication d'origine ne sert qu'aux duos et aux collages.",
         "Laissez Code de la publication d'origine vide : envoyez seulement le code de la "
         "publication."),
    ],
)  # fmt: skip
def test_the_library_names_the_original_posts_code_by_its_label(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, message: str, solution: str
) -> None:
    code = _code(client, uow, clock)
    sign_in(client, advertiser(uow, clock).token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/ads/library").text

    refused = client.post(
        "/ads/library",
        data={"csrf_token": csrf_of(page), "auth_code": code, "original_post_auth_code": code},
    )

    assert refused.status_code == 400
    box = html.unescape(refused.text).split('class="error-box"', 1)[1].split("</div>", 1)[0]
    assert f"<h3>{message}</h3>" in box, box
    assert f'<dd class="solution">{solution}</dd>' in box, box
    assert "_code" not in box.split("<dt>Code</dt>")[0].split('">', 1)[1], box


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "original_post_auth_code is only for duets and stitches."),
        ("fr", "original_post_auth_code ne sert qu'aux duos et aux collages."),
    ],
)
def test_the_api_names_it_by_its_wire_name(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, message: str
) -> None:
    code, brand = _code(client, uow, clock), advertiser(uow, clock)

    answer = open_api_post(
        client,
        brand,
        "tt_video/authorize/",
        headers={"Accept-Language": lang},
        advertiser_id=brand.id,
        auth_code=code,
        original_post_auth_code=code,
    )

    assert answer["message"] == f"original_post_auth_not_needed: {message}"
