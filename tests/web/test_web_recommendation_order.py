"""Ads Manager → recommendations from real delivery: cards by expected impact (the spend they
affect over 7 days), highest first, the same order over the API; a dismissed card moves under
"Dismissed" (flagged over the API, audited), undo brings it back, and it comes back by itself
when the spend it affects grows by half."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import SparkWorld, create_ad, feed, spark_world
from factories.recommendations import cards_of, second_ad, show_until
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.audit import AuditEntry
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting.recommendation_dismissals import COMES_BACK_GROWTH, COMES_BACK_MIN

ENDS_EARLY = "authorization_expiring"  # each ad's 30-day code ends before the open schedule


def _clicked(item: str, n: int) -> tuple[str, ...]:
    return ("impression", "click")


def _api(client: TestClient, world: SparkWorld) -> list[dict[str, Any]]:
    return cards_of(client, world, ENDS_EARLY)


def _page_order(page: str) -> list[str]:
    return re.findall(rf'data-recommendation="{ENDS_EARLY}" data-object-id="([^"]+)"', page)


def _post(client: TestClient, path: str, card: dict[str, Any]) -> str:
    csrf = csrf_of(client.get("/ads/recommendations").text)
    form = {"object_id": card["object_id"], "kind": card["kind"], "csrf_token": csrf}
    return client.post(path, data=form).text


def test_cards_by_spend_affected_dismissed_then_undone(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    second_ad(client, world, caption="Crêpes, nobody clicks", duration=12.0)
    app_feed = feed(uow, clock)
    show_until(client, app_feed, {world.post["item_id"]: 4}, _clicked, "clicking")
    sign_in(client, world.brand.token)

    cards = _api(client, world)
    page = client.get("/ads/recommendations").text

    assert len(cards) == 2
    busy, idle = cards
    assert busy["spend_affected"] > 0
    assert idle["spend_affected"] == 0
    assert _page_order(page) == [busy["object_id"], idle["object_id"]]  # the API's order
    assert "Spend affected, last 7 days: €0.00" in page
    assert "post length, 1,000 impressions for the ad and for the length band" in page
    assert [c["dismissed"] for c in cards] == [False, False]

    after = _post(client, "/ads/recommendations/dismiss", busy)

    assert _page_order(after) == [idle["object_id"]]
    assert f'data-dismissed="{ENDS_EARLY}" data-object-id="{busy["object_id"]}"' in after
    assert [(c["object_id"], c["dismissed"]) for c in _api(client, world)] == [
        (idle["object_id"], False), (busy["object_id"], True)
    ]  # fmt: skip
    with uow:
        [entry] = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "recommendation_dismissal")
        ).all()
        assert (entry.action, entry.advertiser_id) == ("create", world.brand.id)
        assert entry.entity_id == f"{busy['object_id']}:{ENDS_EARLY}"

    undone = _post(client, "/ads/recommendations/undo", busy)

    assert _page_order(undone) == [busy["object_id"], idle["object_id"]]
    assert "data-dismissed=" not in undone


def test_a_dismissed_card_comes_back_when_the_spend_it_affects_grows_by_half(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    show_until(client, app_feed, {world.post["item_id"]: 2}, _clicked, "first")
    sign_in(client, world.brand.token)
    [card] = _api(client, world)
    _post(client, "/ads/recommendations/dismiss", card)
    then = card["spend_affected"]

    clicks = 2
    while True:
        [now] = _api(client, world)
        grown = now["spend_affected"] > COMES_BACK_GROWTH * then
        if grown and (now["spend_affected"] - then) * 1_000_000 >= COMES_BACK_MIN:
            break
        assert now["dismissed"], now  # still dismissed while the growth is below the bar
        show_until(client, app_feed, {world.post["item_id"]: 2}, _clicked, f"more-{clicks}")
        clicks += 2
        assert clicks < 200, now

    assert now["dismissed"] is False
    assert _page_order(client.get("/ads/recommendations").text) == [card["object_id"]]


def test_dismissing_a_card_the_account_does_not_have_is_refused_in_words(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)
    unknown = {"object_id": world.adgroup_id, "kind": "no_such_kind"}

    refused = _post(client, "/ads/recommendations/dismiss", unknown)
    page = client.get("/ads/recommendations")
    not_dismissed = _post(client, "/ads/recommendations/undo", unknown)

    assert 'data-error-code="invalid_parameter"' in refused
    assert "no such recommendation now" in refused
    assert "data-dismissed=" not in page.text
    assert "this recommendation is not dismissed" in not_dismissed
    with uow:
        assert not uow.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "recommendation_dismissal")
        ).all()  # nothing written


def test_a_warning_card_says_why_in_words_not_by_its_code(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    music = {"music": {"title": "Summer hit", "cleared_for_commercial_use": False}}
    world = spark_world(client, uow, clock, post_fields=music)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)

    [card] = cards_of(client, world, "music")
    page = client.get("/ads/recommendations", headers={"Accept-Language": "fr"}).text

    assert card["basis"].startswith("Sounds from the general library may be muted")
    assert card["basis_fr"] in page
    assert "music_not_cleared" not in page
