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
# what the rollups need to know about an unread event: the cells it falls in, what it counts
UNREAD_COLUMNS = (
    Event.id,
    Event.ad_id,
    Event.advertiser_id,
    Event.occurred_at,
    Event.received_at,
    Event.campaign_id,
    Event.adgroup_id,
    Event.event_type,
    Event.cost,
)
_IN_CHUNK, _OR_CHUNK = 500, 50
GAPS = cast(Table, RollupGap.__table__)
Gap = dict[str, Any]  # a row of rollup_gaps to insert
Unread = Row[int, str, str, datetime, datetime, str, str, str, int]  # UNREAD_COLUMNS
GapRow = Row[int, int, datetime]


def take_unread(session: Session, now: datetime) -> tuple[list[Unread], int]:
    """The events not read yet (new ones and those found in gaps) and the highest id they may
    have; moves the cursor past them and keeps the gaps left below it."""
    state = _locked_state(session, now)
    top = max(session.scalar(select(func.max(Event.id))) or 0, state.last_event_id)
    gaps = list(session.execute(select(RollupGap.first_id, RollupGap.last_id, RollupGap.seen_at)))
    if top == state.last_event_id and not gaps:
        state.updated_at = now
        return [], top
    new = list(
        session.execute(
            select(*UNREAD_COLUMNS)
            .where(Event.id > state.last_event_id, Event.id <= top)
            .order_by(Event.id)
        )
    )
    found = _found_in(session, gaps)
    kept = _still_missing(gaps, {row.id for row in found}, now)
    kept += _missing_below(new, state.last_event_id, now)
    session.execute(delete(RollupGap))
    if kept:
        session.execute(GAPS.insert(), kept)
    state.last_event_id, state.updated_at = top, now
    return new + found, top


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


def _found_in(session: Session, gaps: Sequence[GapRow]) -> list[Unread]:
    singles = [gap.first_id for gap in gaps if gap.first_id == gap.last_id]
    conditions: list[Any] = [
        Event.id.in_(singles[i : i + _IN_CHUNK]) for i in range(0, len(singles), _IN_CHUNK)
    ]
    conditions += [
        Event.id.between(gap.first_id, gap.last_id) for gap in gaps if gap.first_id != gap.last_id
    ]
    found: list[Unread] = []
    for i in range(0, len(conditions), _OR_CHUNK):
        found += session.execute(select(*UNREAD_COLUMNS).where(or_(*conditions[i : i + _OR_CHUNK])))
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


def _missing_below(new: Sequence[Unread], cursor: int, now: datetime) -> list[Gap]:
    """Runs of ids missing between the cursor and the new events. A run is kept only if the event
    just above it is recent: an insert holding an older id would have been open longer than the
    grace (this also keeps a rebuild from tracking every id ever skipped)."""
    kept: list[Gap] = []
    expected = cursor + 1
    for row in new:
        if row.id > expected and as_utc(row.received_at) >= as_utc(now) - GAP_GRACE:
            kept.append(_gap(expected, row.id - 1, now))
        expected = row.id + 1
    return kept
