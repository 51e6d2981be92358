"""The rollup cursor skips no event committed out of id order (PostgreSQL hands out ids at insert;
a transaction holding a lower id can commit after a higher one was read). SQLite commits in order,
so the tests write the late events with explicit ids, as the two transactions would have."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select

from factories import SparkWorld, ask, create_ad, feed, open_api_get, send_events, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event
from sparkads.reporting import rollups
from sparkads.reporting.cursor import GAP_GRACE
from sparkads.reporting.models import AdDayRollup, RollupGap

DAY = "2026-11-02"
COST = 123_457  # micros billed on each late event


def _live(client: TestClient, uow: UnitOfWork, clock: TestClock) -> SparkWorld:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    send_events(client, app_feed, (ask(client, app_feed)[0]["token"], "impression"))
    return world


def _impressions(client: TestClient, world: SparkWorld) -> int:
    answer = open_api_get(
        client,
        world.brand,
        "report/integrated/get/",
        advertiser_id=world.brand.id,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["advertiser_id"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions"],
    )
    assert answer["code"] == 0, answer
    return int(answer["data"]["list"][0]["metrics"]["impressions"])


def _insert_event(uow: UnitOfWork, event_id: int, **changes: Any) -> None:
    """An impression of another decision, with the id its transaction was given."""
    template = uow.session.scalars(select(Event).order_by(Event.id)).first()
    assert template is not None
    row = {c.name: getattr(template, c.name) for c in Event.__table__.columns}
    row.update(id=event_id, decision_id=f"late-{event_id}", cost=COST, **changes)
    uow.session.execute(insert(Event), [row])


def _commit_event(uow: UnitOfWork, event_id: int, **changes: Any) -> None:
    """An impression of another decision, committed with the id its transaction was given."""
    _insert_event(uow, event_id, **changes)
    uow.commit()


def _top(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.max(Event.id))) or 0)


def _gaps(uow: UnitOfWork) -> list[tuple[int, int]]:
    uow.commit()  # a fresh read: the server committed since
    return [(g.first_id, g.last_id) for g in uow.session.scalars(select(RollupGap))]


def test_event_committed_after_a_higher_id_was_read_is_still_reported(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    assert _impressions(client, world) == 1
    top = _top(uow)
    _commit_event(uow, top + 2)  # B: the higher id, committed first
    assert _impressions(client, world) == 2
    assert _gaps(uow) == [(top + 1, top + 1)]
    _commit_event(uow, top + 1)  # A: the lower id, committed after the report read B
    assert _impressions(client, world) == 3
    assert _gaps(uow) == []
    spend = uow.session.scalar(select(func.sum(Event.cost)))
    assert uow.session.scalar(select(func.sum(AdDayRollup.spend))) == spend == 2 * COST
    rollups.rebuild(uow.session, clock)
    uow.commit()
    assert _impressions(client, world) == 3


def test_id_that_never_commits_is_given_up_after_the_grace(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    top = _top(uow)
    _commit_event(uow, top + 3)
    assert _impressions(client, world) == 2
    assert _gaps(uow) == [(top + 1, top + 2)]
    clock.advance(GAP_GRACE - timedelta(minutes=1))
    _commit_event(uow, top + 2)
    assert _impressions(client, world) == 3
    assert _gaps(uow) == [(top + 1, top + 1)]
    clock.advance(timedelta(minutes=2))  # the gap was first missed more than GAP_GRACE ago
    assert _impressions(client, world) == 3
    assert _gaps(uow) == []


def test_ids_missing_below_an_old_event_are_not_tracked(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    top = _top(uow)
    clock.advance(GAP_GRACE * 2)
    # received long ago: whatever held the ids below it has been open longer than the grace
    _commit_event(uow, top + 5, received_at=clock.now() - GAP_GRACE * 2)
    assert _impressions(client, world) == 2
    assert _gaps(uow) == []


def test_late_and_new_events_of_one_fold_are_all_counted(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """One fold reads a late event (found in a gap) and a new one of the same advertiser, at
    times apart: both are counted (each selection's time span was once the only one kept)."""
    world = _live(client, uow, clock)
    assert _impressions(client, world) == 1
    top = _top(uow)
    at = uow.session.scalar(select(Event.occurred_at).order_by(Event.id))
    assert at is not None
    _commit_event(uow, top + 2)  # read first: leaves the gap top + 1
    assert _impressions(client, world) == 2
    _commit_event(uow, top + 1, occurred_at=at - timedelta(minutes=5))  # fills the gap
    _commit_event(uow, top + 3, occurred_at=at + timedelta(minutes=5))  # new, same advertiser
    assert _impressions(client, world) == 4
    assert _gaps(uow) == []
    spend = uow.session.scalar(select(func.sum(Event.cost)))
    assert uow.session.scalar(select(func.sum(AdDayRollup.spend))) == spend == 3 * COST


def test_late_events_found_in_several_batches_are_all_counted(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """More late events than one batch of ids (500), each batch at other times, and a new one."""
    world = _live(client, uow, clock)
    top = _top(uow)
    at = uow.session.scalar(select(Event.occurred_at).order_by(Event.id))
    assert at is not None
    late = 1_200
    _commit_event(uow, top + late + 1)  # leaves the gap top + 1 … top + late
    assert _impressions(client, world) == 2
    for event_id in range(top + 1, top + late + 1):  # each batch of 500 ids at its own times
        _insert_event(uow, event_id, occurred_at=at - timedelta(minutes=(event_id - top) // 100))
    uow.commit()
    _commit_event(uow, top + late + 2, occurred_at=at + timedelta(minutes=9))  # new
    assert _impressions(client, world) == late + 3
    assert _gaps(uow) == []
    rollups.rebuild(uow.session, clock)
    uow.commit()
    assert _impressions(client, world) == late + 3
