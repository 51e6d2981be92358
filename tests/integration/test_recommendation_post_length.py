"""Post length from the account's own delivery, with real events through the feed API: the post
that completes less often than the account's best length band is told so with its figures; the
best-completing post never is; an ad whose authorization ended is not; below the stated minimum
of impressions no card at all."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import SparkWorld, advance, create_ad, feed, spark_world
from factories.recommendations import cards_of, second_ad, show_until
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting import recommendation_length

SHOWN = 24  # impressions per post, over the minimum the tests set
WATCHED_TO_THE_END = {12.0: 0.75, 27.0: 0.25}  # share of the viewers, by post length


def _two_lengths(
    client: TestClient, uow: UnitOfWork, clock: TestClock, long_days: int
) -> SparkWorld:
    """One ad group with a 12 s post and a 27 s post (its code lasting `long_days`), each shown
    SHOWN times through the feed, three quarters of the 12 s views and a quarter of the 27 s ones
    watched to the end."""
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    long_post = second_ad(client, world, long_days, caption="Crêpes, the long cut", duration=27.0)
    lengths = {world.post["item_id"]: 12.0, long_post: 27.0}

    def watched(item: str, n: int) -> tuple[str, ...]:
        to_the_end = n < WATCHED_TO_THE_END[lengths[item]] * SHOWN
        return ("impression", "complete_view") if to_the_end else ("impression",)

    shown = show_until(client, feed(uow, clock), dict.fromkeys(lengths, SHOWN), watched, "length")
    assert min(shown.values()) == SHOWN, shown
    return world


def _lengths(client: TestClient, world: SparkWorld) -> list[dict[str, Any]]:
    return cards_of(client, world, "post_length")


@pytest.fixture
def low_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recommendation_length, "LENGTH_MIN_IMPRESSIONS", 20)


@pytest.mark.usefixtures("low_minimum")
def test_the_post_that_completes_less_is_told_with_its_figures_and_the_best_is_not(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _two_lengths(client, uow, clock, long_days=30)

    [card] = _lengths(client, world)

    assert card["evidence"]["post_duration"] == 27.0
    assert card["evidence"]["completion_rate"] == 0.25
    assert card["evidence"]["best_band"] == "9–15 s"
    assert card["evidence"]["best_band_completion_rate"] == 0.75
    assert card["evidence"]["complete_views_lost"] == 12
    assert card["basis"] == (
        "27 s post: 25.0% completion over 24 impressions vs 75.0% for your posts of 9–15 s over 24."
    )
    assert card["basis_fr"].startswith("Publication de 27 s : 25,0\u202f% de vues complètes sur 24")
    assert "9–15 s" in card["message"]


@pytest.mark.usefixtures("low_minimum")
def test_an_ad_whose_authorization_ended_gets_no_length_card(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _two_lengths(client, uow, clock, long_days=7)
    assert len(_lengths(client, world)) == 1  # while the 7-day code runs
    advance(client, days=8)

    assert _lengths(client, world) == []
    assert cards_of(client, world, "authorization_expired")


def test_below_the_minimum_of_impressions_no_length_card(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _two_lengths(client, uow, clock, long_days=30)  # 24 impressions each, under 1,000

    assert _lengths(client, world) == []
