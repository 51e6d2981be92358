"""Labels in the reader's language: sector and creator-size names on the marketplace pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import advertiser
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.mark.parametrize(
    ("language", "beauty", "food"),
    [("en", "Beauty", "Food & drink"), ("fr", "Beauté", "Cuisine et boissons")],
)
def test_sector_names_are_translated_on_the_creators_page(
    client: TestClient, uow: UnitOfWork, clock: TestClock, language: str, beauty: str, food: str
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    client.cookies.set("sa_lang", language)

    page = client.get("/ads/creators").text

    assert f'<option value="beauty">{beauty}</option>' in page
    assert f'<option value="food">{food}</option>' in page
    assert ">beauty<" not in page
