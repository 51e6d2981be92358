"""campaign/*: objectives, minimum budgets (R13), idempotency, update rules, status cascade."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import (
    adgroup_body,
    advertiser,
    campaign_body,
    create_ad,
    get_ad,
    open_api_get,
    open_api_post,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_campaign_round_trips_with_the_same_values(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    created = open_api_post(
        client,
        brand,
        "campaign/create/",
        **campaign_body(brand, objective_type="REACH", budget=75.5),
    )
    assert created["code"] == 0
    listed = open_api_get(client, brand, "campaign/get/", advertiser_id=brand.id)["data"]
    row = listed["list"][0]
    assert row["campaign_id"] == created["data"]["campaign_id"]
    assert (row["objective_type"], row["budget_mode"], row["budget"]) == (
        "REACH",
        "BUDGET_MODE_DAY",
        75.5,
    )
    assert row["secondary_status"] == "CAMPAIGN_STATUS_ENABLE"
    assert listed["page_info"]["total_number"] == 1


@pytest.mark.parametrize(("budget", "code"), [(49, 40002), (49.99, 40002), (50, 0)])
def test_campaign_daily_budget_minimum_is_50_eur(
    client: TestClient, uow: UnitOfWork, clock: TestClock, budget: float, code: int
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_post(client, brand, "campaign/create/", **campaign_body(brand, budget=budget))
    assert answer["code"] == code
    if code:
        assert answer["data"]["error"]["reason"] == "budget_below_minimum"
        assert "at least 50 EUR" in answer["message"]


def test_budget_minimum_is_named_in_french(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_post(
        client,
        brand,
        "campaign/create/",
        headers={"Accept-Language": "fr"},
        **campaign_body(brand, budget=10),
    )
    assert "Le budget de la campagne doit être d'au moins 50 EUR" in answer["message"]


def test_unlimited_budget_needs_no_amount(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_post(
        client,
        brand,
        "campaign/create/",
        **campaign_body(brand, budget_mode="BUDGET_MODE_INFINITE", budget=None),
    )
    assert answer["code"] == 0


def test_request_id_makes_create_idempotent(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    first = open_api_post(
        client, brand, "campaign/create/", **campaign_body(brand, request_id="1234567890")
    )
    again = open_api_post(
        client, brand, "campaign/create/", **campaign_body(brand, request_id="1234567890")
    )
    assert first["code"] == 0
    assert again["code"] == 40050
    assert first["data"]["campaign_id"] in again["data"]["error"]["cause"]
    listed = open_api_get(client, brand, "campaign/get/", advertiser_id=brand.id)
    assert listed["data"]["page_info"]["total_number"] == 1


def test_request_id_is_per_advertiser(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    one, two = advertiser(uow, clock), advertiser(uow, clock)
    for who in (one, two):
        answer = open_api_post(
            client, who, "campaign/create/", **campaign_body(who, request_id="42")
        )
        assert answer["code"] == 0


def test_budget_mode_cannot_change(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    brand = advertiser(uow, clock)
    created = open_api_post(client, brand, "campaign/create/", **campaign_body(brand))
    answer = open_api_post(
        client,
        brand,
        "campaign/update/",
        advertiser_id=brand.id,
        campaign_id=created["data"]["campaign_id"],
        budget_mode="BUDGET_MODE_TOTAL",
        budget=500,
    )
    assert answer["data"]["error"]["reason"] == "budget_mode_locked"


def test_campaign_update_renames_and_rebudgets(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    campaign_id = open_api_post(client, brand, "campaign/create/", **campaign_body(brand))["data"][
        "campaign_id"
    ]
    updated = open_api_post(
        client,
        brand,
        "campaign/update/",
        advertiser_id=brand.id,
        campaign_id=campaign_id,
        campaign_name="Renamed",
        budget=80,
    )
    assert (updated["data"]["campaign_name"], updated["data"]["budget"]) == ("Renamed", 80.0)
    too_low = open_api_post(
        client,
        brand,
        "campaign/update/",
        advertiser_id=brand.id,
        campaign_id=campaign_id,
        budget=20,
    )
    assert too_low["data"]["error"]["reason"] == "budget_below_minimum"


def test_unsupported_and_unknown_fields_are_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    cbo = open_api_post(
        client, brand, "campaign/create/", **campaign_body(brand, budget_optimize_on=True)
    )
    assert cbo["data"]["error"]["reason"] == "field_not_supported"
    rta = open_api_post(client, brand, "campaign/create/", **campaign_body(brand, rta_id="9"))
    assert rta["data"]["error"]["reason"] == "field_not_supported"
    typo = open_api_post(client, brand, "campaign/create/", **campaign_body(brand, budgett=50))
    assert typo["data"]["error"]["reason"] == "unknown_field"
    default = open_api_post(
        client,
        brand,
        "campaign/create/",
        **campaign_body(brand, budget_optimize_on=False, campaign_type="REGULAR_CAMPAIGN"),
    )
    assert default["code"] == 0


def test_sdk_alias_for_app_promotion_type_is_accepted(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_post(
        client,
        brand,
        "campaign/create/",
        **campaign_body(brand, objective_type="APP_PROMOTION", aepp_promotion_type="APP_INSTALL"),
    )
    assert answer["data"]["app_promotion_type"] == "APP_INSTALL"


def test_get_filters_by_name_and_pages(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    for name in ("Spring FR", "Spring DE", "Autumn"):
        open_api_post(client, brand, "campaign/create/", **campaign_body(brand, campaign_name=name))
    found = open_api_get(
        client,
        brand,
        "campaign/get/",
        advertiser_id=brand.id,
        filtering={"campaign_name": "spring"},
        page_size=1,
        fields=["campaign_id", "campaign_name"],
    )["data"]
    assert found["page_info"]["total_number"] == 2
    assert set(found["list"][0]) == {"campaign_id", "campaign_name"}
    bad = open_api_get(
        client,
        brand,
        "campaign/get/",
        advertiser_id=brand.id,
        filtering={"split_test_enabled": True},
    )
    assert bad["data"]["error"]["reason"] == "field_not_supported"


def test_disable_stops_what_the_campaign_contains(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    assert get_ad(client, world, ad_id)["secondary_status"] == "AD_STATUS_DELIVERY_OK"
    changed = open_api_post(
        client,
        world.brand,
        "campaign/status/update/",
        advertiser_id=world.brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="DISABLE",
    )
    assert changed["data"]["campaign_ids"] == [world.campaign_id]
    assert get_ad(client, world, ad_id)["secondary_status"] == "AD_STATUS_CAMPAIGN_DISABLE"
    group = open_api_get(client, world.brand, "adgroup/get/", advertiser_id=world.brand.id)
    assert group["data"]["list"][0]["secondary_status"] == "ADGROUP_STATUS_CAMPAIGN_DISABLE"
    open_api_post(
        client,
        world.brand,
        "campaign/status/update/",
        advertiser_id=world.brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="ENABLE",
    )
    assert get_ad(client, world, ad_id)["secondary_status"] == "AD_STATUS_DELIVERY_OK"


def test_delete_cascades_and_freezes_children(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    open_api_post(
        client,
        world.brand,
        "campaign/status/update/",
        advertiser_id=world.brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="DELETE",
    )
    ad = get_ad(client, world, ad_id)
    assert (ad["operation_status"], ad["secondary_status"]) == ("DELETE", "AD_STATUS_DELETE")
    assert (
        open_api_get(client, world.brand, "ad/get/", advertiser_id=world.brand.id)["data"]["list"]
        == []
    )
    revive = open_api_post(
        client,
        world.brand,
        "ad/status/update/",
        advertiser_id=world.brand.id,
        ad_ids=[ad_id],
        operation_status="ENABLE",
    )
    assert revive["data"]["error"]["reason"] == "object_deleted"
    again = open_api_post(
        client,
        world.brand,
        "campaign/status/update/",
        advertiser_id=world.brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="ENABLE",
    )
    assert again["data"]["error"]["reason"] == "object_deleted"


def test_adgroup_partial_status_update(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    answer = open_api_post(
        client,
        world.brand,
        "adgroup/status/update/",
        advertiser_id=world.brand.id,
        adgroup_ids=[world.adgroup_id, "7000000000000000001"],
        operation_status="DISABLE",
        allow_partial_success=True,
    )
    assert answer["code"] == 20001
    assert answer["data"]["adgroup_ids"] == [world.adgroup_id]
    assert answer["data"]["error_list"][0]["adgroup_id"] == "7000000000000000001"
    strict = open_api_post(
        client,
        world.brand,
        "adgroup/status/update/",
        advertiser_id=world.brand.id,
        adgroup_ids=[world.adgroup_id, "7000000000000000001"],
        operation_status="ENABLE",
    )
    assert strict["code"] == 40007


def test_status_update_takes_at_most_20_ids(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_post(
        client,
        brand,
        "campaign/status/update/",
        advertiser_id=brand.id,
        campaign_ids=[str(7 * 10**18 + i) for i in range(21)],
        operation_status="DISABLE",
    )
    assert answer["code"] == 40011


def test_another_advertisers_campaign_is_not_found(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    mine, theirs = advertiser(uow, clock), advertiser(uow, clock)
    campaign_id = open_api_post(client, theirs, "campaign/create/", **campaign_body(theirs))[
        "data"
    ]["campaign_id"]
    answer = open_api_post(client, mine, "adgroup/create/", **adgroup_body(mine, campaign_id))
    assert answer["code"] == 40007
