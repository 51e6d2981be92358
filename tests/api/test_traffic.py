"""The traffic intake and what reads it, through the native API: the audience estimate, the
privacy floor, clipped attributes, sampling, what a log row holds, retention, and who may read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import (
    PARIS_VIEWER,
    advertiser,
    ask,
    create_ad,
    feed,
    flush_traffic,
    spark_world,
)
from sparkads.audiences.keys import viewer_key
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.traffic.models import TrafficRequest, ViewerProfile

FRANCE = "3017382"


def _estimate(client: TestClient, who: Any, location: str = FRANCE) -> dict[str, Any]:
    response = client.post(
        "/api/v1/audience-estimates",
        headers=who.bearer,
        json={"advertiser_id": who.id, "targeting": {"location_ids": [location]}},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_counts_under_100_are_never_shown(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, app_feed = advertiser(uow, clock), feed(uow, clock)
    for n in range(99):
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"v-{n}"})
    few = _estimate(client, brand)
    assert (few["size"], few["known_viewers"], few["has_basis"]) == (None, 99, True)
    ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "v-99"})
    assert _estimate(client, brand)["size"] == 100
    assert _estimate(client, brand, "2921044")["size"] == 0  # nobody seen in Germany


def test_a_feed_token_cannot_read_what_the_traffic_told(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, app_feed = advertiser(uow, clock), feed(uow, clock)
    response = client.post(
        "/api/v1/audience-estimates",
        headers=app_feed.bearer,
        json={"advertiser_id": brand.id, "targeting": {"location_ids": [FRANCE]}},
    )
    assert response.status_code == 403, response.text


def test_values_outside_the_catalogue_are_clipped_with_a_warning_in_the_readers_language(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    viewer = {**PARIS_VIEWER, "viewer_id": "odd", "region": "ZZZ", "language": "xx",
              "interests": ["101", "999999"]}  # fmt: skip
    response = client.post(
        "/api/v1/feed/decisions",
        headers={**app_feed.bearer, "Accept-Language": "fr"},
        json={"viewer": viewer},
    )
    assert response.status_code == 200, response.text
    warnings = {w["field"]: w for w in response.json()["warnings"]}
    assert set(warnings) == {"viewer.region", "viewer.language", "viewer.interests"}
    assert "n'est pas dans le catalogue" in warnings["viewer.language"]["message"]
    flush_traffic(client)
    uow.session.expire_all()
    profile = uow.session.get(ViewerProfile, viewer_key("odd"))
    assert profile is not None
    assert (profile.country, profile.region, profile.language, profile.interests) == (
        "FR", None, None, "101",
    )  # fmt: skip


def test_a_sampled_request_keeps_what_was_eligible_and_what_won(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    recorder = client.app.state.context.traffic  # type: ignore[attr-defined]
    recorder.settings = type(recorder.settings)(sample_rate=1.0)
    [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "logged"})
    flush_traffic(client)
    row = uow.session.scalars(select(TrafficRequest)).one()
    assert row.viewer_key == viewer_key("logged") != "logged"
    assert (row.feed_id, row.eligible, row.eligible_ids) == ("feed1", 1, world.adgroup_id)
    adgroup_id, ad_id, price, billing = row.won.split(":")
    assert (adgroup_id, ad_id) == (world.adgroup_id, decision["ad_id"])
    assert int(price) > 0
    assert billing == "CPC"
    assert (row.country, row.sample_rate) == ("FR", 1.0)


def test_profiles_and_log_rows_older_than_the_retention_are_deleted(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    recorder = client.app.state.context.traffic  # type: ignore[attr-defined]
    recorder.settings = type(recorder.settings)(sample_rate=1.0, retention_days=30)
    ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "old"})
    flush_traffic(client)
    clock.advance(timedelta(days=31))
    ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "new"})
    recorder._pruned_at = None  # the hourly prune is due
    flush_traffic(client)
    uow.session.expire_all()
    keys = set(uow.session.scalars(select(ViewerProfile.viewer_key)))
    assert keys == {viewer_key("new")}
    assert uow.session.scalar(select(func.count()).select_from(TrafficRequest)) == 1
