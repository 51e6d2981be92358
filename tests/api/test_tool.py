"""tool/region/, tool/language/ and tool/interest_category/: the ids ad group targeting accepts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from factories import Account, advertiser, open_api_get
from sparkads.api.app import create_app
from sparkads.api.open_api import tool
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture
def client(settings: Settings, clock: TestClock) -> Iterator[TestClient]:
    app = create_app(settings, clock)
    paths = {getattr(route, "path", "") for route in app.routes}
    if "/open_api/v1.3/tool/region/" not in paths:
        app.include_router(tool.router)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


def test_region_lists_countries_with_their_regions(client: TestClient, brand: Account) -> None:
    answer = open_api_get(client, brand, "tool/region/", advertiser_id=brand.id)
    assert answer["code"] == 0
    regions = {r["location_id"]: r for r in answer["data"]["region_info"]}
    france = regions["3017382"]
    assert france | {"next_level_ids": []} == {
        "location_id": "3017382",
        "name": "France",
        "parent_id": None,
        "region_level": "COUNTRY",
        "area_type": "ADMIN",
        "next_level_ids": [],
    }
    assert "3017382-IDF" in france["next_level_ids"]
    idf = regions["3017382-IDF"]
    assert (idf["name"], idf["parent_id"], idf["region_level"]) == (
        "Île-de-France",
        "3017382",
        "PROVINCE",
    )
    assert idf["next_level_ids"] == []


def test_region_lists_countries_only_when_level_range_to_country(
    client: TestClient, brand: Account
) -> None:
    answer = open_api_get(
        client,
        brand,
        "tool/region/",
        advertiser_id=brand.id,
        level_range="TO_COUNTRY",
        placements=["PLACEMENT_TIKTOK"],
        objective_type="REACH",
        language="fr",
    )
    regions = answer["data"]["region_info"]
    assert len(regions) >= 40
    assert {r["region_level"] for r in regions} == {"COUNTRY"}
    assert all(r["next_level_ids"] == [] for r in regions)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("placements", ["PLACEMENT_NOWHERE"]),
        ("objective_type", "WIN"),
        ("level_range", "TO_GALAXY"),
        ("language", "xx"),
    ],
)
def test_region_rejects_invalid_parameter_when_value_unknown(
    client: TestClient, brand: Account, field: str, value: object
) -> None:
    answer = open_api_get(client, brand, "tool/region/", advertiser_id=brand.id, **{field: value})
    assert answer["code"] == 40002
    assert field in answer["message"]


def test_region_needs_advertiser_id_when_missing(client: TestClient, brand: Account) -> None:
    answer = open_api_get(client, brand, "tool/region/")
    assert answer["code"] == 40002
    assert "advertiser_id" in answer["message"]


def test_region_refuses_access_when_advertiser_is_not_the_tokens(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    other = advertiser(uow, clock, name="Other Brand")
    answer = open_api_get(client, brand, "tool/region/", advertiser_id=other.id)
    assert answer["code"] == 40001


def test_language_lists_codes_and_english_names(client: TestClient, brand: Account) -> None:
    answer = open_api_get(client, brand, "tool/language/", advertiser_id=brand.id)
    assert answer["code"] == 0
    languages = answer["data"]["languages"]
    assert {"code": "fr", "name": "French"} in languages
    assert {"code": "en", "name": "English"} in languages
    assert len(languages) >= 30


def test_interest_category_lists_two_levels_linked_by_sub_category_ids(
    client: TestClient, brand: Account
) -> None:
    answer = open_api_get(
        client, brand, "tool/interest_category/", advertiser_id=brand.id, version=2
    )
    assert answer["code"] == 0
    categories = {c["id"]: c for c in answer["data"]["interest_categories"]}
    tops = [c for c in categories.values() if c["level"] == 1]
    assert len(tops) >= 16
    for top in tops:
        assert top["sub_category_ids"]
        assert all(categories[sub]["level"] == 2 for sub in top["sub_category_ids"])
    sports = next(c for c in tops if c["name"] == "Sports & Outdoors")
    assert categories[sports["sub_category_ids"][0]]["sub_category_ids"] == []


def test_interest_category_rejects_version_when_not_1_or_2(
    client: TestClient, brand: Account
) -> None:
    answer = open_api_get(
        client, brand, "tool/interest_category/", advertiser_id=brand.id, version=3
    )
    assert answer["code"] == 40002
