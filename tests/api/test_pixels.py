"""pixel/create|list/, pixel/event/create|stats/, pixel/instant_page/event/: a pixel counts the
events the advertiser's conversion calls send it, attributed to an ad or not; its own only."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import (
    advertiser,
    ask,
    create_ad,
    feed,
    open_api_get,
    open_api_post,
    send_events,
    spark_world,
)
from factories.pixels import make_pixel, pixel_stats
from sparkads.assets.models import PixelReceipt
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event


def test_pixel_counts_the_conversions_sent_to_it(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    brand = world.brand
    pixel = make_pixel(client, brand, "COMPLETE_PAYMENT", "SUBMIT_FORM")
    assert pixel["pixel_code"].startswith("C")
    assert len(pixel["pixel_code"]) == 20
    decision = ask(client, app_feed)[0]
    send_events(client, app_feed, (decision["token"], "impression"), (decision["token"], "click"))

    def convert(**fields: Any) -> Any:
        return client.post(
            "/api/v1/conversions",
            headers=brand.bearer,
            json={"advertiser_id": brand.id, "pixel_code": pixel["pixel_code"], **fields},
        )

    paid = convert(viewer_id="viewer-1", event="COMPLETE_PAYMENT")
    assert (paid.status_code, paid.json()["ad_id"]) == (200, decision["ad_id"])
    stranger = convert(viewer_id="nobody", event="COMPLETE_PAYMENT").json()
    assert stranger["reason"] == "not_attributed"
    by_id = convert(viewer_id="nobody", event="SUBMIT_FORM", pixel_code=pixel["pixel_id"])
    assert by_id.status_code == 200
    untracked = convert(viewer_id="viewer-1", event="ADD_TO_CART")
    assert untracked.status_code == 400
    assert untracked.json()["error"]["code"] == "pixel_event_not_tracked"
    assert "COMPLETE_PAYMENT, SUBMIT_FORM" in untracked.json()["error"]["cause"]
    half = convert(viewer_id="viewer-1", pixel_code=None, event="COMPLETE_PAYMENT")
    assert half.status_code == 400
    assert "pixel_code" in half.json()["error"]["message"]
    conversions = select(func.count()).select_from(Event).where(Event.event_type == "conversion")
    assert uow.session.scalar(conversions) == 1  # refused calls recorded nothing
    assert uow.session.scalar(select(func.count()).select_from(PixelReceipt)) == 3

    # the ad account's days (Europe/Paris); Airbyte's source sends the dates unquoted
    assert pixel_stats(
        client, brand, pixel["pixel_id"], '{"start_date":2026-11-02,"end_date":2026-11-02}'
    ) == [
        ("COMPLETE_PAYMENT", 2, 1),
        ("SUBMIT_FORM", 1, 0),
    ]
    backwards = '{"start_date":2026-11-30,"end_date":2026-11-02}'  # as Airbyte's source asks
    assert pixel_stats(client, brand, pixel["pixel_id"], backwards) == [
        ("COMPLETE_PAYMENT", 2, 1),
        ("SUBMIT_FORM", 1, 0),
    ]
    json_range = '{"start_date": "2026-11-03", "end_date": "2026-11-30"}'
    assert pixel_stats(client, brand, pixel["pixel_id"], json_range) == [
        ("COMPLETE_PAYMENT", 0, 0),
        ("SUBMIT_FORM", 0, 0),
    ]

    listed = open_api_get(client, brand, "pixel/list/", advertiser_id=brand.id)
    (row,) = listed["data"]["pixels"]
    assert (row["pixel_id"], row["pixel_code"], row["pixel_name"]) == (
        pixel["pixel_id"],
        pixel["pixel_code"],
        "Shop pixel",
    )
    assert [e["event_type"] for e in row["events"]] == ["COMPLETE_PAYMENT", "SUBMIT_FORM"]
    by_code = open_api_get(client, brand, "pixel/list/", advertiser_id=brand.id, code="CNOPE")
    assert by_code["data"]["pixels"] == []


def test_pixels_belong_to_their_ad_account_and_refuse_bad_input(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, other = advertiser(uow, clock, name="Brand"), advertiser(uow, clock, name="Other")
    pixel = make_pixel(client, brand, "COMPLETE_PAYMENT")
    again = open_api_post(
        client, brand, "pixel/event/create/", advertiser_id=brand.id,
        pixel_id=pixel["pixel_id"], pixel_events=[{"event_type": "COMPLETE_PAYMENT"}],
    )  # fmt: skip
    assert (again["code"], again["data"]["error"]["reason"]) == (40002, "pixel_event_exists")
    unknown = open_api_post(
        client, brand, "pixel/event/create/", advertiser_id=brand.id,
        pixel_id=pixel["pixel_id"], pixel_events=[{"event_type": "BUY_A_BOAT"}],
    )  # fmt: skip
    assert unknown["code"] == 40002
    assert "COMPLETE_PAYMENT" in unknown["message"]
    category = open_api_post(
        client, brand, "pixel/create/", advertiser_id=brand.id, pixel_name="x",
        pixel_category="SPACESHIP",
    )  # fmt: skip
    assert category["code"] == 40002
    assert (
        open_api_get(client, other, "pixel/list/", advertiser_id=other.id)["data"]["pixels"] == []
    )
    assert open_api_get(client, other, "pixel/list/", advertiser_id=brand.id)["code"] == 40001
    theirs = open_api_get(
        client, other, "pixel/event/stats/", advertiser_id=other.id,
        pixel_ids=[pixel["pixel_id"]], date_range={"start_date": "2026-11-01", "end_date": "2026-11-02"},
    )  # fmt: skip
    assert (theirs["code"], theirs["data"]["error"]["reason"]) == (40002, "pixel_not_found")
    too_long = open_api_get(
        client, brand, "pixel/event/stats/", advertiser_id=brand.id,
        pixel_ids=[pixel["pixel_id"]], date_range={"start_date": "2025-01-01", "end_date": "2026-11-02"},
    )  # fmt: skip
    assert too_long["code"] == 40002
    assert "366" in too_long["message"]
    stolen = client.post(
        "/api/v1/conversions",
        headers=other.bearer,
        json={
            "advertiser_id": other.id,
            "pixel_code": pixel["pixel_code"],
            "event": "COMPLETE_PAYMENT",
        },
    )
    assert (stolen.status_code, stolen.json()["error"]["code"]) == (404, "pixel_not_found")


def test_instant_page_events_list_what_each_goal_optimizes_on(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    make_pixel(client, brand, "SUBMIT_FORM", "COMPLETE_PAYMENT")

    def events(objective: str, goal: str) -> list[Any]:
        answer = open_api_get(
            client, brand, "pixel/instant_page/event/", advertiser_id=brand.id,
            objective_type=objective, optimization_goal=goal,
        )  # fmt: skip
        assert answer["code"] == 0, answer
        return list(answer["data"]["list"])

    (traffic,) = events("TRAFFIC", "CLICK")
    assert traffic["instant_page_events"]["objective_types"] == [
        {
            "objective_type": "TRAFFIC",
            "optimization_goals": [
                {"optimization_goal": "CLICK", "optimization_events": ["click"]}
            ],
        }
    ]
    (convert,) = events("WEB_CONVERSIONS", "CONVERT")
    goals = convert["instant_page_events"]["objective_types"][0]["optimization_goals"]
    assert goals[0]["optimization_events"] == ["COMPLETE_PAYMENT", "SUBMIT_FORM"]
    assert events("PRODUCT_SALES", "GMV") == []  # an objective sparkads does not run
    assert events("TRAFFIC", "INSTALL") == []


def test_pixel_stats_dates_are_bounded(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)  # Europe/Paris: ahead of UTC
    pixel = make_pixel(client, brand, "COMPLETE_PAYMENT")
    for day in ("0001-01-01", "9999-12-31", "1999-12-31", "2201-01-01"):
        answer = open_api_get(
            client, brand, "pixel/event/stats/", advertiser_id=brand.id,
            pixel_ids=[pixel["pixel_id"]], date_range={"start_date": day, "end_date": day},
        )  # fmt: skip
        assert answer["code"] == 40002, answer
        assert "date_range" in answer["message"]
        assert "2000" in answer["message"]
    edge = '{"start_date": "2200-12-31", "end_date": "2200-12-31"}'
    assert pixel_stats(client, brand, pixel["pixel_id"], edge) == [("COMPLETE_PAYMENT", 0, 0)]


SAME_DAY = '{"start_date": "2026-11-02", "end_date": "2026-11-02"}'


def _reported_twice(
    client: TestClient, uow: UnitOfWork, clock: TestClock, *feed_events: str
) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    """A viewer's decision with `feed_events` sent by the feed, then the same purchase reported
    twice by the advertiser to a pixel tracking it: the brand, the pixel, the decision and the two
    answers' statuses and ad."""
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    brand = world.brand
    pixel = make_pixel(client, brand, "COMPLETE_PAYMENT")
    decision = ask(client, app_feed)[0]
    send_events(client, app_feed, *((decision["token"], kind) for kind in feed_events))
    call = {"advertiser_id": brand.id, "pixel_code": pixel["pixel_code"]}
    call |= {"viewer_id": "viewer-1", "event": "COMPLETE_PAYMENT"}
    first = client.post("/api/v1/conversions", headers=brand.bearer, json=call).json()
    again = client.post("/api/v1/conversions", headers=brand.bearer, json=call).json()
    answers = {"statuses": (first["status"], again["status"]), "ad_id": first["ad_id"]}
    return brand, pixel, decision, answers


def test_a_repeated_conversion_is_not_counted_twice_by_themake_pixel(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, pixel, _, answers = _reported_twice(client, uow, clock, "impression", "click")
    assert answers["statuses"] == ("accepted", "duplicate")
    conversions = select(func.count()).select_from(Event).where(Event.event_type == "conversion")
    assert uow.session.scalar(conversions) == 1
    # the duplicate is the same conversion: the pixel counts it once, like the report
    assert pixel_stats(client, brand, pixel["pixel_id"], SAME_DAY) == [("COMPLETE_PAYMENT", 1, 1)]


def test_a_conversion_the_feed_reported_first_is_received_once_and_attributed(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, pixel, decision, answers = _reported_twice(
        client, uow, clock, "impression", "click", "conversion"
    )
    # the ad was credited by the feed's event: the advertiser's calls are the same conversion
    assert answers["statuses"] == ("duplicate", "duplicate")
    assert answers["ad_id"] == decision["ad_id"]
    # the pixel received it (once, however often it is reported), attributed to the ad
    assert pixel_stats(client, brand, pixel["pixel_id"], SAME_DAY) == [("COMPLETE_PAYMENT", 1, 1)]


def test_pixel_events_refuse_once_and_non_numeric_values(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    pixel = make_pixel(client, brand)

    def add(**event: str) -> Any:
        return open_api_post(
            client, brand, "pixel/event/create/", advertiser_id=brand.id,
            pixel_id=pixel["pixel_id"], pixel_events=[{"event_type": "COMPLETE_PAYMENT", **event}],
        )  # fmt: skip

    once = add(statistic_type="ONCE")
    assert once["code"] == 40002, once
    assert "statistic_type" in once["message"]
    assert "EVERY_TIME" in once["message"]
    for value in ("abc", "NaN", "Infinity", "-3", "1e400", " 1", "1_000"):
        refused = add(currency_value=value)
        assert refused["code"] == 40002, (value, refused)
        assert "currency_value" in refused["message"]
    assert add(currency_value="12.50")["code"] == 0
    listed = open_api_get(client, brand, "pixel/list/", advertiser_id=brand.id)
    (event,) = listed["data"]["pixels"][0]["events"]
    assert (event["statistic_type"], event["currency_value"]) == ("EVERY_TIME", "12.50")
