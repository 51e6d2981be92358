"""Feeds send overlapping event batches at once (retries, several devices): on every database no
request fails, nothing is billed twice, and the budget is never overspent by a whole event.

On PostgreSQL the batches really run in parallel transactions (SQLite has one writer at a time), so
this is where row locks taken in different orders would deadlock and lost updates would show.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import PARIS_VIEWER, Account, ask, create_ad, feed, spark_world
from sparkads.accounts.models import Creator
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.counters import BudgetLine
from sparkads.delivery.engine import budget_lines
from sparkads.events.models import Event, SpendEntry
from sparkads.posts.models import Post

DECISIONS = 60
BATCHES = 24
THREADS = 8
BUDGET_MICROS = 20_000_000  # the ad group's daily budget: 20 EUR
LEFT_MICROS = 1_000_000  # what is left of it when the events arrive: a handful of clicks


def _tokens(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> tuple[Account, list[str], BudgetLine]:
    """Decisions for many viewers, then most of the day's budget spent (as by earlier clicks)."""
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    tokens = []
    for index in range(DECISIONS):
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{index}"})
        tokens.append(decision["token"])
    runtime = client.app.state.context.delivery  # type: ignore[attr-defined]
    group = runtime.store.snapshot.group(world.adgroup_id)
    [daily, *_] = budget_lines(group, clock.now().astimezone(group.timezone).date())
    assert daily.budget == BUDGET_MICROS
    assert runtime.counters.try_bill([daily], BUDGET_MICROS - LEFT_MICROS)
    return app_feed, tokens, daily


def _batches(tokens: list[str]) -> list[list[dict[str, str]]]:
    """Overlapping batches in shuffled orders: most events arrive two or three times."""
    rng = random.Random(7)
    kinds = ("impression", "view_2s", "click", "follow")
    events = [{"token": token, "type": kind} for token in tokens for kind in kinds]
    batches = []
    for _ in range(BATCHES):
        batch = rng.sample(events, 30)
        rng.shuffle(batch)
        batches.append(batch)
    return batches


def test_overlapping_batches_at_once_bill_each_event_once_within_budget(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed, tokens, daily = _tokens(client, uow, clock)

    def send(batch: list[dict[str, str]]) -> dict[str, Any]:
        response = client.post("/api/v1/events", headers=app_feed.bearer, json={"events": batch})
        assert response.status_code == 200, response.text
        return dict(response.json())

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(send, _batches(tokens)))

    session = uow.session
    counts: dict[str, int] = dict(
        session.execute(  # type: ignore[arg-type]
            select(Event.event_type, func.count()).group_by(Event.event_type)
        ).all()
    )
    accepted = sum(answer["accepted"] for answer in answers)
    assert accepted == sum(counts.values())  # every event acknowledged once, the rest duplicates
    spend = session.scalar(select(func.coalesce(func.sum(SpendEntry.amount), 0)))
    billed = sum(result["billed"] for answer in answers for result in answer["results"])
    assert spend == billed
    assert session.scalar(select(func.count(func.distinct(SpendEntry.event_id)))) == (
        session.scalar(select(func.count()).select_from(SpendEntry))
    )
    price = session.scalar(select(func.max(Event.price)).where(Event.event_type == "click"))
    assert price is not None
    assert counts["click"] * price > LEFT_MICROS  # more clicks came than the budget could pay
    assert spend == -(-LEFT_MICROS // price) * price  # billed while room was left, then no more
    counters = client.app.state.context.delivery.counters  # type: ignore[attr-defined]
    assert BUDGET_MICROS <= counters.spent(daily.key) < BUDGET_MICROS + price
    [post] = session.scalars(select(Post)).all()
    assert post.paid_views == counts.get("view_2s", 0)
    [creator] = session.scalars(select(Creator)).all()
    assert creator.paid_followers == counts.get("follow", 0)
