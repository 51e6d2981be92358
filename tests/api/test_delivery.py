"""Feed decisions and events through the native API, on the real database (R2, R3, R14)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import (
    PARIS_VIEWER,
    Account,
    SparkWorld,
    advance,
    ask,
    authorize_post,
    create_ad,
    creative,
    feed,
    open_api_get,
    open_api_post,
    publish,
    send_events,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.engine import budget_lines
from sparkads.events.models import SpendEntry


@pytest.fixture
def app_feed(uow: UnitOfWork, clock: TestClock) -> Account:
    return feed(uow, clock)


def _live_world(client: TestClient, uow: UnitOfWork, clock: TestClock, **kwargs: Any) -> SparkWorld:
    world = spark_world(client, uow, clock, **kwargs)
    assert create_ad(client, world)["code"] == 0
    return world


def test_matching_viewer_gets_the_sponsored_post(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    world = _live_world(client, uow, clock)
    [decision] = ask(client, app_feed)
    assert decision["item_id"] == world.post["item_id"]
    assert decision["label"] == "Sponsored"
    creative = decision["creative"]
    assert creative["caption"] == world.post["caption"]
    assert creative["creator"]["handle"] == world.author.handle
    assert creative["call_to_action"] == "SHOP_NOW"
    assert creative["landing_page_url"].startswith("https://brand.example.com")


def test_viewer_outside_the_targeting_never_gets_it(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    world = _live_world(client, uow, clock)
    german = {**PARIS_VIEWER, "viewer_id": "de-1", "country": "DE", "region": None}
    assert all(ask(client, app_feed, {**german, "viewer_id": f"de-{i}"}) == [] for i in range(20))
    diagnosis = client.get(
        f"/api/v1/delivery/adgroups/{world.adgroup_id}/diagnosis", headers=world.brand.bearer
    ).json()
    assert diagnosis["reasons"] == {"targeting": 20}


def test_events_bill_cpc_clicks_and_count_on_the_original_post(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    world = _live_world(client, uow, clock)
    [decision] = ask(client, app_feed)
    token = decision["token"]
    answer = send_events(
        client,
        app_feed,
        (token, "impression"),
        (token, "view_2s"),
        (token, "click"),
        (token, "like"),
        (token, "comment"),
        (token, "share"),
        (token, "follow"),
        (token, "profile_visit"),
    )
    assert answer["accepted"] == 8
    billed = {r["index"]: r["billed"] for r in answer["results"] if r["billed"]}
    assert list(billed) == [2]  # CPC: only the click is billed
    assert 0 < billed[2] <= 500_000  # never above the 0.50 EUR bid
    post = client.get(f"/api/v1/posts/{world.post['item_id']}", headers=world.author.bearer).json()
    assert post["paid"] == {"views": 1, "likes": 1, "comments": 1, "shares": 1, "profile_visits": 1}
    assert post["organic"]["likes"] == 0  # paid engagement is kept apart
    spent = uow.session.scalar(select(func.sum(SpendEntry.amount)))
    assert spent == billed[2]


def test_repeated_events_are_duplicates_and_tampered_tokens_rejected(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    _live_world(client, uow, clock)
    token = ask(client, app_feed)[0]["token"]
    first = send_events(client, app_feed, (token, "click"))
    again = send_events(client, app_feed, (token, "click"), (token, "click"))
    assert first["accepted"] == 1
    assert again["duplicates"] == 2
    assert sum(r["billed"] for r in again["results"]) == 0
    kid, body, mac = token.split(".")
    tampered = send_events(
        client, app_feed, (f"{kid}.{body[:-3]}AAA.{mac}", "click"), ("not-a-token", "click")
    )
    assert [r["reason"] for r in tampered["results"]] == ["token_tampered", "token_malformed"]


def test_expired_authorization_stops_delivery_at_once(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    _live_world(client, uow, clock, days=7)
    assert ask(client, app_feed)
    advance(client, days=7)
    assert ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "later"}) == []


def test_paused_campaign_stops_delivery_within_the_next_decision(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    world = _live_world(client, uow, clock)
    assert ask(client, app_feed)
    open_api_post(
        client,
        world.brand,
        "campaign/status/update/",
        advertiser_id=world.brand.id,
        campaign_ids=[world.campaign_id],
        operation_status="DISABLE",
    )
    assert ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "after-pause"}) == []


def test_budget_is_never_overspent_by_more_than_one_event(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    world = _live_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    runtime = client.app.state.context.delivery  # type: ignore[attr-defined]
    group = runtime.store.snapshot.group(world.adgroup_id)
    lines = budget_lines(group, clock.now().astimezone(group.timezone).date())
    assert runtime.counters.try_bill(lines, 19_990_000)  # 19.99 of the 20 EUR already spent
    first, second = ask(client, app_feed), ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "b"})
    billed = send_events(client, app_feed, (first[0]["token"], "click"))["results"][0]["billed"]
    assert billed > 10_000  # the last click is billed in full: overspend below one event
    assert ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "c"}) == []
    late = send_events(client, app_feed, (second[0]["token"], "click"))
    assert (late["accepted"], late["results"][0]["billed"]) == (1, 0)  # recorded, not billed
    assert runtime.counters.spent(lines[0].key) == 19_990_000 + billed
    diagnosis = client.get(
        f"/api/v1/delivery/adgroups/{world.adgroup_id}/diagnosis", headers=world.brand.bearer
    ).json()
    assert diagnosis["reasons"]["budget"] == 1
    assert diagnosis["reasons"]["served"] == 2
    assert diagnosis["reasons"]["targeting"] == 0


def test_conversion_is_attributed_to_the_last_click(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    world = _live_world(client, uow, clock)
    decision = ask(client, app_feed)[0]
    send_events(client, app_feed, (decision["token"], "impression"), (decision["token"], "click"))
    clock.advance(timedelta(days=2))

    def convert(**fields: Any) -> dict[str, Any]:
        response = client.post(
            "/api/v1/conversions",
            headers=world.brand.bearer,
            json={"advertiser_id": world.brand.id, **fields},
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    by_viewer = convert(viewer_id="viewer-1")
    assert (by_viewer["status"], by_viewer["attributed_by"]) == ("accepted", "last_click_7d")
    assert by_viewer["decision_id"] == decision["decision_id"]
    assert convert(click_id=decision["decision_id"])["status"] == "duplicate"
    assert convert(viewer_id="stranger")["reason"] == "not_attributed"
    clock.advance(timedelta(days=6))
    assert convert(viewer_id="viewer-1")["reason"] == "not_attributed"


def test_decisions_need_a_feed_token(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    world = _live_world(client, uow, clock)
    response = client.post(
        "/api/v1/feed/decisions", headers=world.author.bearer, json={"viewer": PARIS_VIEWER}
    )
    assert response.status_code == 403


def test_one_ads_expired_code_does_not_stop_its_ad_group(
    client: TestClient, uow: UnitOfWork, clock: TestClock, app_feed: Account
) -> None:
    """An ad group with an ad whose Spark code expired and another still authorized keeps
    serving, and neither its diagnosis nor its status blame the expired code on the group."""
    world = _live_world(client, uow, clock)  # its code: 30 days
    post = publish(client, world.author)
    code = authorize_post(client, world.author, post["item_id"], days=7)["auth_code"]
    applied = open_api_post(
        client, world.brand, "tt_video/authorize/", advertiser_id=world.brand.id, auth_code=code
    )
    assert applied["code"] == 0, applied
    second = open_api_post(
        client, world.brand, "ad/create/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, creatives=[creative(world.identity_id, post["item_id"])],
    )  # fmt: skip
    assert second["code"] == 0, second
    advance(client, days=8)  # the second ad's code has expired, the first's has not
    assert ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "later"})
    diagnosis = client.get(
        f"/api/v1/delivery/adgroups/{world.adgroup_id}/diagnosis", headers=world.brand.bearer
    ).json()
    assert diagnosis["live"] is True
    assert diagnosis.get("excluded_because") is None, diagnosis
    listed = open_api_get(client, world.brand, "adgroup/get/", advertiser_id=world.brand.id)
    [group] = listed["data"]["list"]
    assert group["secondary_status"] != "ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST", group
