"""adgroup/*: objective/goal/billing compatibility (R4), bids (R14), budgets (R13), targeting (R3)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import (
    FRANCE,
    Account,
    adgroup_body,
    advertiser,
    campaign_body,
    open_api_get,
    open_api_post,
)
from sparkads.audiences.service import create_audience
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


def _campaign(client: TestClient, brand: Account, objective: str = "TRAFFIC") -> str:
    answer = open_api_post(
        client, brand, "campaign/create/", **campaign_body(brand, objective_type=objective)
    )
    return str(answer["data"]["campaign_id"])


def _create(
    client: TestClient, brand: Account, objective: str = "TRAFFIC", **fields: Any
) -> dict[str, Any]:
    body = adgroup_body(brand, _campaign(client, brand, objective), **fields)
    return open_api_post(client, brand, "adgroup/create/", **body)


def _reason(answer: dict[str, Any]) -> str:
    return str(answer["data"]["error"]["reason"])


def test_adgroup_round_trips_targeting_and_bid(client: TestClient, brand: Account) -> None:
    created = _create(
        client,
        brand,
        languages=["fr"],
        gender="GENDER_FEMALE",
        age_groups=["AGE_18_24", "AGE_25_34"],
        interest_category_ids=["101"],
        operating_systems=["IOS"],
        network_types=["WIFI", "5G"],
        device_price_ranges=[200, 1000],
        frequency=3,
        frequency_schedule=7,
        actions=[
            {
                "action_scene": "VIDEO_RELATED",
                "action_period": 15,
                "video_user_actions": ["LIKED"],
                "action_category_ids": ["101"],
            }
        ],
    )
    assert created["code"] == 0, created
    row = open_api_get(client, brand, "adgroup/get/", advertiser_id=brand.id)["data"]["list"][0]
    assert row["adgroup_id"] == created["data"]["adgroup_id"]
    assert (row["location_ids"], row["languages"], row["gender"]) == (
        [FRANCE],
        ["fr"],
        "GENDER_FEMALE",
    )
    assert (row["bid_price"], row["budget"], row["optimization_goal"]) == (0.5, 20.0, "CLICK")
    assert row["actions"][0]["video_user_actions"] == ["LIKED"]
    assert row["secondary_status"] == "ADGROUP_STATUS_DELIVERY_OK"


@pytest.mark.parametrize(
    ("objective", "goal", "billing", "reason"),
    [
        ("REACH", "CLICK", "CPC", "goal_not_allowed"),
        ("TRAFFIC", "CLICK", "CPM", "billing_not_allowed"),
        ("VIDEO_VIEWS", "REACH", "CPM", "goal_not_allowed"),
        ("ENGAGEMENT", "FOLLOWERS", "CPC", "billing_not_allowed"),
    ],
)
def test_objective_fixes_goals_and_billing(
    client: TestClient, brand: Account, objective: str, goal: str, billing: str, reason: str
) -> None:
    answer = _create(
        client,
        brand,
        objective,
        optimization_goal=goal,
        billing_event=billing,
        promotion_type="WEBSITE" if objective == "TRAFFIC" else None,
    )
    assert _reason(answer) == reason


@pytest.mark.parametrize(
    ("objective", "goal", "billing", "bid"),
    [
        ("REACH", "REACH", "CPM", {"bid_price": 4}),
        ("VIDEO_VIEWS", "ENGAGED_VIEW", "CPV", {"bid_price": 0.05}),
        ("ENGAGEMENT", "FOLLOWERS", "OCPM", {"conversion_bid_price": 1.2}),
        ("WEB_CONVERSIONS", "CONVERT", "OCPM", {"conversion_bid_price": 12}),
        ("TRAFFIC", "CLICK", "CPC", {"bid_type": "BID_TYPE_NO_BID", "bid_price": None}),
    ],
)
def test_each_bid_kind_is_accepted_with_its_amount(
    client: TestClient, brand: Account, objective: str, goal: str, billing: str, bid: dict[str, Any]
) -> None:
    promotion = {"TRAFFIC": "WEBSITE", "WEB_CONVERSIONS": "WEBSITE"}.get(objective)
    answer = _create(
        client,
        brand,
        objective,
        optimization_goal=goal,
        billing_event=billing,
        promotion_type=promotion,
        **{"bid_price": None, **bid},
    )
    assert answer["code"] == 0, answer


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"bid_price": None}, "bid_required"),
        ({"bid_type": "BID_TYPE_NO_BID", "bid_price": 1}, "invalid_parameter"),
        ({"conversion_bid_price": 3}, "invalid_parameter"),
        ({"bid_price": 5000}, "invalid_parameter"),
    ],
)
def test_bid_amounts_are_validated(
    client: TestClient, brand: Account, fields: dict[str, Any], reason: str
) -> None:
    assert _reason(_create(client, brand, **fields)) == reason


@pytest.mark.parametrize(("budget", "ok"), [(19, False), (20, True)])
def test_adgroup_daily_minimum_is_20(
    client: TestClient, brand: Account, budget: int, ok: bool
) -> None:
    answer = _create(client, brand, budget=budget)
    assert (answer["code"] == 0) is ok
    if not ok:
        assert "at least 20 EUR" in answer["message"]


@pytest.mark.parametrize(("budget", "ok"), [(199, False), (200, True)])
def test_lifetime_minimum_is_daily_minimum_times_days(
    client: TestClient, brand: Account, clock: TestClock, budget: int, ok: bool
) -> None:
    answer = _create(
        client,
        brand,
        budget_mode="BUDGET_MODE_TOTAL",
        budget=budget,
        schedule_type="SCHEDULE_START_END",
        schedule_start_time="2026-11-03 00:00:00",
        schedule_end_time="2026-11-13 00:00:00",
    )
    assert (answer["code"] == 0) is ok
    if not ok:
        assert "at least 200 EUR" in answer["message"]


def test_lifetime_budget_needs_an_end(client: TestClient, brand: Account) -> None:
    answer = _create(client, brand, budget_mode="BUDGET_MODE_TOTAL", budget=500)
    assert _reason(answer) == "schedule_invalid"


def test_schedule_end_must_follow_start(client: TestClient, brand: Account) -> None:
    answer = _create(
        client,
        brand,
        schedule_type="SCHEDULE_START_END",
        schedule_start_time="2026-11-10 00:00:00",
        schedule_end_time="2026-11-09 00:00:00",
    )
    assert _reason(answer) == "schedule_invalid"
    bad_format = _create(client, brand, schedule_start_time="10/11/2026")
    assert _reason(bad_format) == "schedule_invalid"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"location_ids": ["123"]}, "location_ids"),
        ({"languages": ["xx"]}, "languages"),
        ({"interest_category_ids": ["999999"]}, "interest_category_ids"),
        (
            {
                "actions": [
                    {
                        "action_scene": "CREATOR_RELATED",
                        "action_period": 7,
                        "video_user_actions": ["FOLLOWING"],
                        "action_category_ids": ["1"],
                    }
                ]
            },
            "actions.action_category_ids",
        ),
    ],
)
def test_unknown_targeting_ids_are_refused(
    client: TestClient, brand: Account, fields: dict[str, Any], field: str
) -> None:
    answer = _create(client, brand, **fields)
    assert _reason(answer) == "unknown_targeting_ids"
    assert field in answer["message"]


def test_audiences_must_exist_and_be_large_enough(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    big = create_audience(
        uow.session,
        clock,
        advertiser_id=brand.id,
        name="buyers",
        audience_type="CUSTOMER_FILE",
        size=25_000,
    )
    small = create_audience(
        uow.session,
        clock,
        advertiser_id=brand.id,
        name="vip",
        audience_type="CUSTOMER_FILE",
        size=300,
    )
    uow.commit()
    assert _reason(_create(client, brand, audience_ids=["7000000000000000009"])) == (
        "audience_not_found"
    )
    assert _reason(_create(client, brand, audience_ids=[small.audience_id])) == (
        "audience_too_small"
    )
    ok = _create(
        client, brand, audience_ids=[big.audience_id], exclude_audience_ids=[small.audience_id]
    )  # bububa's spelling
    assert ok["code"] == 0, ok
    assert ok["data"]["excluded_audience_ids"] == [small.audience_id]


def test_age_groups_with_trailing_space_are_trimmed(client: TestClient, brand: Account) -> None:
    answer = _create(client, brand, age_groups=["AGE_45_54 ", "AGE_18_24"])
    assert answer["data"]["age_groups"] == ["AGE_45_54", "AGE_18_24"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"dayparting": "1" * 10}, "dayparting"),
        ({"dayparting": "0" * 336}, "dayparting"),
        ({"device_price_ranges": [120, 300]}, "device_price_ranges"),
        ({"frequency": 3}, "frequency"),
        ({"operating_systems": ["IOS", "ANDROID"]}, "operating_systems"),
    ],
)
def test_invalid_delivery_settings_name_their_field(
    client: TestClient, brand: Account, fields: dict[str, Any], field: str
) -> None:
    answer = _create(client, brand, **fields)
    assert answer["code"] == 40002
    assert field in answer["message"]


def test_unsupported_adgroup_fields_are_refused(client: TestClient, brand: Account) -> None:
    assert _reason(_create(client, brand, zipcode_ids=["75001"])) == "field_not_supported"
    assert _reason(_create(client, brand, spending_power="HIGH")) == "field_not_supported"
    assert _create(client, brand, spending_power="ALL")["code"] == 0


def test_promotion_type_follows_the_objective(client: TestClient, brand: Account) -> None:
    assert _reason(_create(client, brand, promotion_type=None)) == "invalid_parameter"
    reach = _create(
        client,
        brand,
        "REACH",
        optimization_goal="REACH",
        billing_event="CPM",
        promotion_type="WEBSITE",
        bid_price=3,
    )
    assert "promotion_type" in reach["message"]


def test_adgroup_update_keeps_rules(client: TestClient, brand: Account) -> None:
    adgroup_id = _create(client, brand)["data"]["adgroup_id"]

    def update(**fields: Any) -> dict[str, Any]:
        return open_api_post(
            client,
            brand,
            "adgroup/update/",
            advertiser_id=brand.id,
            adgroup_id=adgroup_id,
            **fields,
        )

    moved = update(location_ids=["2921044"], budget=35, bid_price=0.8)
    assert (moved["data"]["location_ids"], moved["data"]["budget"], moved["data"]["bid_price"]) == (
        ["2921044"],
        35.0,
        0.8,
    )
    assert _reason(update(budget=10)) == "budget_below_minimum"
    assert _reason(update(budget_mode="BUDGET_MODE_TOTAL")) == "budget_mode_locked"
    assert _reason(update(languages=["zz"])) == "unknown_targeting_ids"
    row = open_api_get(client, brand, "adgroup/get/", advertiser_id=brand.id)["data"]["list"][0]
    assert row["budget"] == 35.0


def test_adgroup_request_id_is_idempotent(client: TestClient, brand: Account) -> None:
    campaign_id = _campaign(client, brand)
    body = adgroup_body(brand, campaign_id, request_id="777")
    assert open_api_post(client, brand, "adgroup/create/", **body)["code"] == 0
    assert open_api_post(client, brand, "adgroup/create/", **body)["code"] == 40050
    listed = open_api_get(client, brand, "adgroup/get/", advertiser_id=brand.id)
    assert listed["data"]["page_info"]["total_number"] == 1


def test_not_yet_started_adgroup_says_so(client: TestClient, brand: Account) -> None:
    answer = _create(
        client,
        brand,
        schedule_type="SCHEDULE_START_END",
        schedule_start_time="2026-12-01 00:00:00",
        schedule_end_time="2026-12-31 00:00:00",
    )
    assert answer["data"]["secondary_status"] == "ADGROUP_STATUS_NOT_START"


@pytest.mark.parametrize(
    ("fields", "warned"),
    [
        ({"interest_category_ids": ["101"]}, True),  # every age (none ticked), in France
        ({"interest_category_ids": ["101"], "age_groups": ["AGE_13_17"]}, True),
        ({"interest_category_ids": ["101"], "age_groups": ["AGE_18_24"]}, False),  # adults only
        ({"age_groups": ["AGE_13_17"], "gender": "GENDER_FEMALE"}, False),  # no profiling
    ],
)
def test_adgroup_create_warns_when_profiling_reaches_minors(
    client: TestClient, brand: Account, fields: dict[str, Any], warned: bool
) -> None:
    created = _create(client, brand, location_ids=[FRANCE], **fields)
    assert created["code"] == 0, created
    warnings = created["data"]["warnings"]
    if not warned:
        assert warnings == []
        return
    [warning] = warnings
    assert warning["code"] == "minors_see_no_profiled_ads"
    assert warning["message"].endswith("will not see this ad group: FR.")
    assert "(interest_category_ids)" in warning["cause"]
    assert set(warning) == {"code", "message", "cause", "solution"}  # no "fr" key beside
