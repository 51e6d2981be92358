"""A web form whose values the request model refuses (pydantic) is explained in the page's
language: the complaint by its error type from the catalogue, a model's own check (a validator's
ValueError) too; in English, pydantic's words unchanged."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import creator
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.posts.models import Post


@pytest.mark.parametrize(
    ("lang", "duration", "expected"),
    [
        ("en", "1000", "Invalid value for duration: Input should be less than or equal to 600"),
        ("fr", "1000",
         "Valeur invalide pour duration : La valeur doit être inférieure ou égale à 600"),
        ("en", "", "Invalid value for request: a VIDEO post needs its duration in seconds"),
        ("fr", "",
         "Valeur invalide pour request : une publication VIDEO demande sa durée en secondes"),
    ],
)  # fmt: skip
def test_publishing_a_post_the_model_refuses(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, duration: str, expected: str
) -> None:
    lea = creator(uow, clock)
    sign_in(client, lea.token)
    client.cookies.set("sa_lang", lang)
    csrf = csrf_of(client.get("/studio/posts/new").text)
    refused = client.post(
        "/studio/posts", data={"csrf_token": csrf, "caption": "Tarte", "duration": duration}
    )
    assert refused.status_code == 400
    assert 'data-error-code="invalid_parameter"' in refused.text
    box = html.unescape(refused.text.split('class="error-box"', 1)[1].split("</div>", 1)[0])
    assert expected in box, box
    assert not uow.session.scalars(select(Post).where(Post.creator_id == lea.id)).all()
