"""An ad group's delivery status comes from what it delivered, not only from its configuration:
an enabled ad group that the feed asked for and that won nothing is "Not delivering" with its main
reason (campaigns page, delivery page, adgroup/get), one that won is "Delivering"; the reasons are
saved to the database, so a restarted server still says why and since when it counts."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from factories import (
    PARIS_VIEWER,
    Account,
    SparkWorld,
    ask,
    create_ad,
    feed,
    open_api_get,
    send_events,
    spark_world,
)
from factories.web import sign_in
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.engine import budget_lines

FAST = {"pacing": "PACING_MODE_FAST", "budget": 500}


def _badge(html: str, adgroup_id: str) -> tuple[str, str]:
    row = re.search(rf'<tr data-adgroup-id="{adgroup_id}">(.*?)</tr>', html, re.S)
    assert row is not None, html
    found = re.search(r'data-status="([^"]+)">([^<]+)<', row.group(1))
    assert found is not None, row.group(1)
    return found.group(1), found.group(2)


def _adgroup(client: TestClient, world: SparkWorld) -> dict[str, Any]:
    answer = open_api_get(client, world.brand, "adgroup/get/", advertiser_id=world.brand.id)
    assert answer["code"] == 0, answer
    rows = [r for r in answer["data"]["list"] if r["adgroup_id"] == world.adgroup_id]
    return dict(rows[0])


def _asks(client: TestClient, app_feed: Account, n: int, prefix: str) -> None:
    for i in range(n):
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"{prefix}-{i}"})


def test_an_outbid_ad_group_is_not_delivering_and_says_why(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    high = spark_world(client, uow, clock, adgroup_fields={**FAST, "bid_price": 5})
    low = spark_world(client, uow, clock, adgroup_fields={**FAST, "bid_price": 0.2})
    assert create_ad(client, high)["code"] == 0
    assert create_ad(client, low)["code"] == 0
    client.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    _asks(client, feed(uow, clock), 5, "paris")

    sign_in(client, low.brand.token)
    page = client.get("/ads/campaigns").text
    french = client.get("/ads/campaigns", headers={"Accept-Language": "fr"}).text
    assert _badge(page, low.adgroup_id) == ("outbid", "Not delivering: outbid")
    assert _badge(french, low.adgroup_id) == ("outbid", "Pas de diffusion : enchère dépassée")
    assert "Another ad won the auction" in page
    delivery = client.get(f"/ads/adgroups/{low.adgroup_id}/delivery").text
    assert 'data-delivery-status="outbid"' in delivery
    row = _adgroup(client, low)
    # TikTok names no secondary status for an outbid ad group: the primary status says it
    assert row["secondary_status"] == "ADGROUP_STATUS_DELIVERY_OK"
    assert row["primary_status"] == "STATUS_NOT_DELIVERY"
    assert row["delivery_issue"]["reason"] == "outbid"
    assert row["delivery_issue"]["requests_matched"] == 5
    listed = open_api_get(client, low.brand, "adgroup/get/", advertiser_id=low.brand.id,
                          filtering={"primary_status": "STATUS_DELIVERY_OK"})  # fmt: skip
    assert listed["data"]["list"] == []

    sign_in(client, high.brand.token)  # it won, with no click yet: learning
    assert _badge(client.get("/ads/campaigns").text, high.adgroup_id) == ("learning", "Learning")
    winner = _adgroup(client, high)
    assert (winner["primary_status"], winner["delivery_issue"]) == ("STATUS_DELIVERY_OK", None)


def test_an_ad_group_leaves_learning_after_50_results_in_a_week(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields=FAST)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    sign_in(client, world.brand.token)
    for i in range(50):
        (decision,) = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"clicker-{i}"})
        send_events(
            client, app_feed, (decision["token"], "impression"), (decision["token"], "click")
        )
        if i == 48:  # 49 clicks: still learning
            assert _badge(client.get("/ads/campaigns").text, world.adgroup_id)[0] == "learning"
    page = client.get("/ads/campaigns", headers={"Accept-Language": "fr"}).text
    assert _badge(page, world.adgroup_id) == ("ADGROUP_STATUS_DELIVERY_OK", "En diffusion")
    assert _adgroup(client, world)["primary_status"] == "STATUS_DELIVERY_OK"


def test_a_spent_budget_is_tiktoks_budget_exceed(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields=FAST)
    assert create_ad(client, world)["code"] == 0
    runtime = client.app.state.context.delivery  # type: ignore[attr-defined]
    group = runtime.store.snapshot.group(world.adgroup_id)
    today = clock.now().astimezone(group.timezone).date()
    assert runtime.counters.try_bill(budget_lines(group, today), 500_000_000)
    _asks(client, feed(uow, clock), 3, "late")

    row = _adgroup(client, world)
    assert row["secondary_status"] == "ADGROUP_STATUS_BUDGET_EXCEED"
    assert row["primary_status"] == "STATUS_NOT_DELIVERY"
    sign_in(client, world.brand.token)
    assert _badge(client.get("/ads/campaigns").text, world.adgroup_id) == (
        "budget", "Not delivering: budget spent"
    )  # fmt: skip


def test_the_reasons_outlive_a_restart(
    settings: Settings, uow: UnitOfWork, clock: TestClock
) -> None:
    with TestClient(create_app(settings, clock)) as first:
        world = spark_world(first, uow, clock, adgroup_fields=FAST)
        assert create_ad(first, world)["code"] == 0
        _asks(first, feed(uow, clock), 3, "before")
    # stopped: what it counted is saved; a new process starts with empty counters
    clock.advance(timedelta(minutes=5))
    with TestClient(create_app(settings, clock)) as second:
        sign_in(second, world.brand.token)
        page = second.get(f"/ads/adgroups/{world.adgroup_id}/delivery").text
        campaigns = second.get("/ads/campaigns").text
    served = re.search(r'data-reason="served">.*?data-count>(\d+)<', page, re.S)
    assert served is not None
    assert served.group(1) == "3"
    assert re.search(r'data-counted-since="\d{4}-\d\d-\d\dT', page)
    assert "kept across restarts" in page
    assert _badge(campaigns, world.adgroup_id)[1] == "Learning"
