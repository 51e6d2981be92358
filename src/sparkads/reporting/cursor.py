"""Which events the rollups have not read yet: a cursor (the highest event id read) and the gaps
below it.

Event ids are handed out at insert, but inserts commit in any order on PostgreSQL: when a refresh
reads up to id 101, id 100 may still be uncommitted and appear later. So every id under the
cursor that was missing when the cursor moved past it is kept as a gap (`RollupGap`) and looked
up again at each refresh; events that show up there are folded in like new ones. Ids that never
show up (a rolled-back insert, or a duplicate event that used up an id) are given up after
`GAP_GRACE`: an insert is committed within its request, far sooner. Refreshes take the cursor
row `FOR UPDATE` on PostgreSQL, and open their SQLite write transaction before reading anything,
so two of them (threads or serve processes) never fold the same cells at once. (SQLite has one
writer at a time, so its ids always commit in order and it never keeps gaps for long.) Every
refresh stamps the cursor with its time, even one that found nothing: reports show it as how
fresh they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from sparkads.clock import as_utc
from sparkads.db.dialect import insert_ignoring_duplicates
from sparkads.events.models import Event
from sparkads.reporting.models import RollupGap, RollupState

STATE = "rollups"
GAP_GRACE = timedelta(minutes=10)
_IN_CHUNK, _OR_CHUNK = 500, 50
GAPS = cast(Table, RollupGap.__table__)
Gap = dict[str, Any]  # a row of rollup_gaps to insert
GapRow = Row[int, int, datetime]
AfterGap = Row[int, datetime, int]  # an event's id and reception, the id below the run before it


@dataclass(frozen=True)
class Pending:
    """The events a fold reads: ids in (after, top], and the ids found in the gaps below."""

    after: int
    top: int
    found: list[int]


def take_pending(session: Session, now: datetime) -> Pending | None:
    """The events not read yet (new ones and those found in gaps), None if there are none; moves
    the cursor past them and keeps the gaps left below it. Reads ids only: the fold itself runs
    in the database (`rollups.refresh`)."""
    state = _locked_state(session, now)
    top = max(session.scalar(select(func.max(Event.id))) or 0, state.last_event_id)
    gaps = list(session.execute(select(RollupGap.first_id, RollupGap.last_id, RollupGap.seen_at)))
    if top == state.last_event_id and not gaps:
        state.updated_at = now
        return None
    found = sorted(_found_in(session, gaps))
    kept = _still_missing(gaps, set(found), now)
    kept += _missing_below(_after_gaps(session, state.last_event_id, top), now)
    session.execute(delete(RollupGap))
    if kept:
        session.execute(GAPS.insert(), kept)
    pending = Pending(state.last_event_id, top, found)
    state.last_event_id, state.updated_at = top, now
    return pending


def _after_gaps(session: Session, after: int, top: int) -> list[AfterGap]:
    """The events of (after, top] whose id does not follow the previous one's (or `after`): the
    first event above each run of missing ids, with the id below the run, in id order (usually
    none on SQLite: a count of the range says so without ordering it)."""
    count = session.scalar(select(func.count()).where(Event.id > after, Event.id <= top))
    if count == top - after:
        return []
    ordered = (
        select(
            Event.id, Event.received_at, func.lag(Event.id).over(order_by=Event.id).label("prev")
        )
        .where(Event.id > after, Event.id <= top)
        .subquery()
    )
    return list(
        session.execute(
            select(ordered.c.id, ordered.c.received_at, func.coalesce(ordered.c.prev, after))
            .where(ordered.c.id > func.coalesce(ordered.c.prev, after) + 1)
            .order_by(ordered.c.id)
        )
    )


def reset(session: Session) -> None:
    """Forget what was read: the next refresh reads every event again."""
    session.execute(delete(RollupState))
    session.execute(delete(RollupGap))


def _locked_state(session: Session, now: datetime) -> RollupState:
    if session.get_bind().dialect.name == "sqlite":
        # SQLite ignores FOR UPDATE and reads outside a transaction until the first write: a
        # write first makes this refresh the one writer, and everything it reads current.
        session.execute(
            update(RollupState)
            .where(RollupState.name == STATE)
            .values(last_event_id=RollupState.last_event_id)
        )
    state = session.get(RollupState, STATE, with_for_update=True)
    if state is None:  # first refresh: two at once must not both insert the row
        table = cast(Table, RollupState.__table__)
        session.execute(
            insert_ignoring_duplicates(session, table, ["name"]).values(
                name=STATE, last_event_id=0, updated_at=now
            )
        )
        state = session.get_one(RollupState, STATE, with_for_update=True)
    return state


def _found_in(session: Session, gaps: Sequence[GapRow]) -> list[int]:
    singles = [gap.first_id for gap in gaps if gap.first_id == gap.last_id]
    conditions: list[Any] = [
        Event.id.in_(singles[i : i + _IN_CHUNK]) for i in range(0, len(singles), _IN_CHUNK)
    ]
    conditions += [
        Event.id.between(gap.first_id, gap.last_id) for gap in gaps if gap.first_id != gap.last_id
    ]
    found: list[int] = []
    for i in range(0, len(conditions), _OR_CHUNK):
        found += session.scalars(select(Event.id).where(or_(*conditions[i : i + _OR_CHUNK])))
    return found


def _gap(first_id: int, last_id: int, seen_at: datetime) -> Gap:
    return {"first_id": first_id, "last_id": last_id, "seen_at": seen_at}


def _still_missing(gaps: Sequence[GapRow], found: set[int], now: datetime) -> list[Gap]:
    kept = []
    for gap in gaps:
        if as_utc(gap.seen_at) < as_utc(now) - GAP_GRACE:
            continue  # never committed: given up
        start = gap.first_id
        for event_id in sorted(i for i in found if gap.first_id <= i <= gap.last_id):
            if event_id > start:
                kept.append(_gap(start, event_id - 1, gap.seen_at))
            start = event_id + 1
        if start <= gap.last_id:
            kept.append(_gap(start, gap.last_id, gap.seen_at))
    return kept


def _missing_below(after_gaps: Sequence[AfterGap], now: datetime) -> list[Gap]:
    """Runs of ids missing between the cursor and the new events (`after_gaps`: the event just
    above each run, and the id below it). A run is kept only if that event is recent: an insert
    holding an older id would have been open longer than the grace (this also keeps a rebuild
    from tracking every id ever skipped)."""
    return [
        _gap(below + 1, event_id - 1, now)
        for event_id, received_at, below in after_gaps
        if as_utc(received_at) >= as_utc(now) - GAP_GRACE
    ]
