"""Recording a feed's events: what `POST /api/v1/events`, the web feed preview and the simulator
all run. The sequence exists once: verify and record in one unit of work (events.service.ingest,
through the event sink), commit, give the budget back if the commit fails, and only then count
the ad statistics in memory and answer (an acknowledged event is durable: docs/scaling.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import Snapshot
from sparkads.events.budgets import BudgetBook
from sparkads.events.service import EventResult, IncomingEvent, ingest


def record_events(
    units: Callable[[], UnitOfWork],
    counters: Counters,
    snapshot: Callable[[], Snapshot | None],
    keys: Mapping[str, bytes] | bytes,
    now: datetime,
    events: Sequence[IncomingEvent],
    feed_id: str | None = None,
) -> list[EventResult]:
    """One batch, committed before it returns; results per event, in the batch's order."""
    with units() as unit:
        outcome = ingest(
            unit.session,
            counters,
            BudgetBook(unit.session, snapshot),
            keys,
            now,
            events,
            feed_id=feed_id,
        )
        try:
            unit.commit()
        except Exception:
            outcome.refund(counters)
            raise
    outcome.apply_stats(counters)
    return outcome.results
