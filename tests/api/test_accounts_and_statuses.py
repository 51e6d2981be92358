"""advertiser/info/, oauth2/advertiser/get/ and TikTok's status filters (*_STATUS_ALL,
*_STATUS_DELETE, *_STATUS_NOT_DELETE), also as Airbyte's source writes them (Python literals)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import (
    advertiser,
    business_center,
    campaign_body,
    create_ad,
    open_api_get,
    open_api_post,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_advertiser_info_gives_tiktok_fields(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    group = business_center(uow, clock, name="Maison Group")
    brand = advertiser(uow, clock, bc_id=group.id, name="Maison FR")
    answer = open_api_get(client, brand, "advertiser/info/", advertiser_ids=[brand.id])
    assert answer["code"] == 0, answer
    (row,) = answer["data"]["list"]
    assert row["advertiser_id"] == brand.id
    assert (row["name"], row["currency"], row["timezone"]) == ("Maison FR", "EUR", "Europe/Paris")
    assert (row["status"], row["role"], row["owner_bc_id"]) == (
        "STATUS_ENABLE",
        "ROLE_ADVERTISER",
        group.id,
    )
    assert row["create_time"] == int(clock.now().timestamp())
    picked = open_api_get(
        client, group, "advertiser/info/", advertiser_ids=[brand.id], fields=["name", "currency"]
    )
    assert picked["data"]["list"] == [{"name": "Maison FR", "currency": "EUR"}]


def test_advertiser_info_refuses_other_accounts_and_bad_input(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, other = advertiser(uow, clock), advertiser(uow, clock, name="Other")
    refused = open_api_get(client, brand, "advertiser/info/", advertiser_ids=[other.id])
    assert refused["code"] == 40001
    missing = open_api_get(client, brand, "advertiser/info/")
    assert missing["code"] == 40002
    assert missing["data"]["error"]["solution"]
    unknown = open_api_get(
        client, brand, "advertiser/info/", advertiser_ids=[brand.id], fields=["nope"]
    )
    assert (unknown["code"], unknown["data"]["error"]["reason"]) == (40002, "invalid_parameter")
    no_token = client.get("/open_api/v1.3/advertiser/info/", params={"advertiser_ids": "[]"})
    assert no_token.json()["code"] in range(40100, 40200)


def test_oauth_advertisers_lists_what_the_token_reaches(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    group = business_center(uow, clock)
    first = advertiser(uow, clock, bc_id=group.id, name="A")
    clock.advance(timedelta(seconds=1))
    second = advertiser(uow, clock, bc_id=group.id, name="B")
    advertiser(uow, clock, name="Outside")
    listed = open_api_get(client, group, "oauth2/advertiser/get/", app_id="1", secret="s")
    assert listed["code"] == 0
    assert listed["data"]["list"] == [
        {"advertiser_id": first.id, "advertiser_name": "A"},
        {"advertiser_id": second.id, "advertiser_name": "B"},
    ]
    own = open_api_get(client, first, "oauth2/advertiser/get/", app_id="1", secret="s")
    assert [a["advertiser_id"] for a in own["data"]["list"]] == [first.id]
    assert open_api_get(client, first, "oauth2/advertiser/get/", app_id="1")["code"] == 40002


def _get(client: TestClient, who: Any, path: str, **query: str) -> dict[str, Any]:
    """A GET with parameters written exactly as given (e.g. Python literals)."""
    response = client.get(f"/open_api/v1.3/{path}", params=query, headers=who.access)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    ("path", "key", "prefix"),
    [
        ("campaign/get/", "campaign_id", "CAMPAIGN"),
        ("adgroup/get/", "adgroup_id", "ADGROUP"),
        ("ad/get/", "ad_id", "AD"),
    ],
)
def test_secondary_status_filters_include_deleted_objects(
    client: TestClient, uow: UnitOfWork, clock: TestClock, path: str, key: str, prefix: str
) -> None:
    world = spark_world(client, uow, clock)
    create_ad(client, world)
    brand = world.brand
    live = open_api_post(client, brand, "campaign/create/", **campaign_body(brand, budget=60))
    assert live["code"] == 0
    deleted = open_api_post(
        client,
        brand,
        "campaign/status/update/",
        advertiser_id=brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="DELETE",
    )
    assert deleted["code"] == 0

    def listed(**filtering: str) -> list[dict[str, Any]]:
        answer = open_api_get(client, brand, path, advertiser_id=brand.id, filtering=filtering)
        assert answer["code"] == 0, answer
        return list(answer["data"]["list"])

    everything = listed(secondary_status=f"{prefix}_STATUS_ALL")
    gone = [row for row in everything if row["operation_status"] == "DELETE"]
    assert gone, "the deleted campaign's objects are listed with *_STATUS_ALL"
    assert listed(secondary_status=f"{prefix}_STATUS_DELETE") == gone
    not_deleted = listed(secondary_status=f"{prefix}_STATUS_NOT_DELETE")
    assert not_deleted == listed() == [r for r in everything if r not in gone]
    assert listed(primary_status="STATUS_DELETE") == gone
    # Airbyte's source sends the filter as a Python literal (Jinja's |string)
    literal = _get(
        client,
        brand,
        path,
        advertiser_id=brand.id,
        filtering=str({"secondary_status": f"{prefix}_STATUS_ALL"}),
    )
    assert [r[key] for r in literal["data"]["list"]] == [r[key] for r in everything]


def test_an_exact_secondary_status_and_unknown_primary_status(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    brand = world.brand
    open_api_post(
        client,
        brand,
        "campaign/status/update/",
        advertiser_id=brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="DISABLE",
    )
    rows = open_api_get(
        client,
        brand,
        "adgroup/get/",
        advertiser_id=brand.id,
        filtering={"secondary_status": "ADGROUP_STATUS_CAMPAIGN_DISABLE"},
    )["data"]["list"]
    assert [r["adgroup_id"] for r in rows] == [world.adgroup_id]
    none = open_api_get(
        client,
        brand,
        "adgroup/get/",
        advertiser_id=brand.id,
        filtering={"secondary_status": "ADGROUP_STATUS_DELIVERY_OK"},
    )
    assert none["data"]["list"] == []
    bad = open_api_get(
        client,
        brand,
        "adgroup/get/",
        advertiser_id=brand.id,
        filtering={"primary_status": "STATUS_SOMETHING"},
    )
    assert bad["code"] == 40002
