"""Events partitioned by day on PostgreSQL (migration 0016), one table on SQLite: the job makes the
day partitions ahead, events land in their decision's day, and past the retention the job drops
them after folding them into the rollups (reports unchanged, ledger unchanged). Runs on both
databases (./scripts/test's PostgreSQL pass runs tests/integration on a real server)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from factories import PARIS_VIEWER, ask, create_ad, feed, send_events, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events import partitions
from sparkads.events.models import Event, SpendEntry
from sparkads.reporting import rollups
from sparkads.reporting.models import AdDayRollup


def _totals(uow: UnitOfWork) -> tuple[int, int, int]:
    session = uow.session
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Event)) or 0,
        session.scalar(select(func.coalesce(func.sum(SpendEntry.amount), 0))) or 0,
        session.scalar(select(func.coalesce(func.sum(AdDayRollup.impressions), 0))) or 0,
    )


def test_day_partitions_are_made_ahead_and_dropped_past_the_retention(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    session = uow.session
    postgres = session.get_bind().dialect.name == "postgresql"
    made = partitions.maintain(session, clock, None, rollups.refresh)
    assert made.partitioned is postgres
    today = clock.now().date()
    if postgres:
        days = set(partitions.day_partitions(session))
        assert {today + timedelta(days=n) for n in range(-1, 8)} <= days
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    tokens = [
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{n}"})[0]["token"]
        for n in range(3)
    ]
    answer = send_events(
        client, app_feed, *[(t, k) for t in tokens for k in ("impression", "click")]
    )
    assert answer["accepted"] == 6
    if postgres:  # each event in its decision's day partition
        where = session.scalars(text("SELECT DISTINCT tableoid::regclass::text FROM events")).all()
        assert where == [f"events_p{today:%Y%m%d}"]
    rollups.refresh(session, clock)
    session.commit()
    before = _totals(uow)
    assert before[0] == 6
    assert before[1] > 0
    assert before[2] == 3
    clock.advance(timedelta(days=40))
    done = partitions.maintain(session, clock, 30, rollups.refresh)
    after = _totals(uow)
    if postgres:
        assert today in done.dropped
        assert today not in partitions.day_partitions(session)
        assert clock.now().date() + timedelta(days=7) in partitions.day_partitions(session)
        assert after == (0, before[1], before[2])  # events gone; ledger and rollups kept
    else:
        assert done.dropped == []
        assert after == before  # SQLite keeps one table: nothing dropped
