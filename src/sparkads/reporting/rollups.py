"""Rollups per ad and hour and per ad and day, both in the advertiser's timezone, from events.

Incremental: the events not read yet (`cursor`: new ids, and late commits found in the gaps below
the cursor) are counted once each into the (ad, hour) and (ad, day) cells they fall in, added to
what the cells hold (`INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE SET n = n +
excluded.n`, in the database: no event becomes a Python object), in the transaction that moves
the cursor past them: a fold costs what it reads, not the day so far. Watch time is then
recomputed from each touched cell's totals. Rebuilding from scratch gives the same numbers.
Hours and days are local, from each event's exact time (`periods`), so zones with half-hour or
45-minute offsets are exact. Spend is the billed cost on each event, the same amounts as the
spend ledger. Watch time is estimated per impression from how far the viewer got (see KPIS)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Integer, MetaData, String, Table, column, delete, text
from sqlalchemy.orm import Session

from sparkads.clock import Clock
from sparkads.events.models import Event
from sparkads.reporting import cursor
from sparkads.reporting.models import COUNTED, AdDayRollup, AdHourRollup
from sparkads.reporting.periods import offset_spans

EVENT_COLUMN = {
    "impression": "impressions",
    "click": "clicks",
    "conversion": "conversions",
    "view_2s": "views_2s",
    "view_6s": "views_6s",
    "complete_view": "complete_views",
    "play_25": "views_p25",
    "play_50": "views_p50",
    "play_75": "views_p75",
    "like": "likes",
    "comment": "comments",
    "share": "shares",
    "follow": "follows",
    "profile_visit": "profile_visits",
}
# Seconds watched, by how far an impression got: <2 s ≈ 1 s, 2–6 s ≈ 4 s, past 6 s ≈ halfway
# between 6 s and the end, complete = the whole post.
WATCHED_BEFORE_2S, WATCHED_2_TO_6S = 1.0, 4.0
_ADDED = ("spend", *COUNTED)
_WATCH = ("impressions", "views_2s", "views_6s", "complete_views")
_CHUNK = 500


def play_ms(cells: dict[str, int], duration: float | None) -> int:
    """Estimated watch time of a cell's impressions (milliseconds)."""
    length = duration or 6.0
    impressions, two, six, done = (
        cells["impressions"],
        cells["views_2s"],
        cells["views_6s"],
        cells["complete_views"],
    )
    seconds = (
        max(0, impressions - two) * WATCHED_BEFORE_2S
        + max(0, two - six) * WATCHED_2_TO_6S
        + max(0, six - done) * (6.0 + length) / 2
        + done * length
    )
    return int(seconds * 1000)


EVENTS = cast(Table, Event.__table__)
Rollup = type[AdHourRollup] | type[AdDayRollup]

# The fold runs in the database, set-based: the events of the fold (a range of ids, and ids found
# in the gaps below it) are grouped by ad and local hour into a temporary table of cells, which
# is then added to the hour rollups, and, grouped by local day, to the day rollups (INSERT ...
# SELECT ... GROUP BY ... ON CONFLICT DO UPDATE SET n = n + excluded.n). The local hour of an
# event is its UTC time plus its advertiser's offset at that instant: the offsets of the fold's
# time span, cut where each zone's clock changes (`periods.offset_spans`), are another temporary
# table. Python touches the cells only to set watch time (not additive) from their new totals.
_ZONES = Table(
    "fold_zones",
    MetaData(),
    Column("advertiser_id", String(24), primary_key=True),
    Column("starts_at", EVENTS.c.occurred_at.type, primary_key=True),
    Column("ends_at", EVENTS.c.occurred_at.type),
    Column("seconds", Integer),
)
_CELL_COLUMNS = ("ad_id", "hour", "advertiser_id", "campaign_id", "adgroup_id", *_ADDED)
_TEMPORARY = {
    "sqlite": (
        "CREATE TEMPORARY TABLE IF NOT EXISTS fold_zones (advertiser_id VARCHAR(24),"
        " starts_at VARCHAR(26), ends_at VARCHAR(26), seconds INTEGER,"
        " PRIMARY KEY (advertiser_id, starts_at))",
        "CREATE TEMPORARY TABLE IF NOT EXISTS fold_cells (ad_id VARCHAR(24), hour VARCHAR(13),"
        " advertiser_id VARCHAR(24), campaign_id VARCHAR(24), adgroup_id VARCHAR(24),"
        f" {', '.join(f'{name} INTEGER' for name in _ADDED)})",
    ),
    "postgresql": (
        "CREATE TEMPORARY TABLE IF NOT EXISTS fold_zones (advertiser_id VARCHAR(24),"
        " starts_at TIMESTAMPTZ, ends_at TIMESTAMPTZ, seconds INTEGER,"
        " PRIMARY KEY (advertiser_id, starts_at)) ON COMMIT DELETE ROWS",
        "CREATE TEMPORARY TABLE IF NOT EXISTS fold_cells (ad_id VARCHAR(24), hour VARCHAR(13),"
        " advertiser_id VARCHAR(24), campaign_id VARCHAR(24), adgroup_id VARCHAR(24),"
        f" {', '.join(f'{name} BIGINT' for name in _ADDED)}) ON COMMIT DELETE ROWS",
    ),
}
# 'YYYY-MM-DD HH' of the local hour (HOUR_FORMAT); SQLite holds times as text to the microsecond,
# cut to the second first (offsets are whole seconds) so its millisecond rounding never moves one
_LOCAL_HOUR = {
    "sqlite": "strftime('%Y-%m-%d %H', substr(e.occurred_at, 1, 19), z.seconds || ' seconds')",
    "postgresql": (
        "to_char((e.occurred_at AT TIME ZONE 'UTC') + make_interval(secs => z.seconds),"
        " 'YYYY-MM-DD HH24')"
    ),
}
_COUNTS = ", ".join(
    f"SUM(CASE WHEN e.event_type = '{kind}' THEN 1 ELSE 0 END)" for kind in EVENT_COLUMN
)
_COUNTED_FROM_EVENTS = ", ".join(EVENT_COLUMN.values())


def _fold(session: Session, pending: cursor.Pending) -> int:
    dialect = session.get_bind().dialect.name
    for statement in _TEMPORARY[dialect]:
        session.execute(text(statement))
    session.execute(text("DELETE FROM fold_zones"))
    session.execute(text("DELETE FROM fold_cells"))
    selections = [("e.id > :after AND e.id <= :top", {"after": pending.after, "top": pending.top})]
    for start in range(0, len(pending.found), _CHUNK):
        chunk = pending.found[start : start + _CHUNK]
        marks = ", ".join(f":f{i}" for i in range(len(chunk)))
        selections.append((f"e.id IN ({marks})", {f"f{i}": v for i, v in enumerate(chunk)}))
    _zones(session, selections)
    for where, params in selections:
        session.execute(
            text(
                f"INSERT INTO fold_cells (ad_id, hour, advertiser_id, campaign_id, adgroup_id,"  # noqa: S608 (constants)
                f" spend, {_COUNTED_FROM_EVENTS})"
                f" SELECT e.ad_id, {_LOCAL_HOUR[dialect]} AS local_hour, e.advertiser_id,"
                f" e.campaign_id, e.adgroup_id, SUM(e.cost), {_COUNTS}"
                " FROM events AS e JOIN fold_zones AS z ON z.advertiser_id = e.advertiser_id"
                " AND e.occurred_at >= z.starts_at AND e.occurred_at < z.ends_at"
                f" WHERE {where}"
                " GROUP BY e.ad_id, local_hour, e.advertiser_id, e.campaign_id, e.adgroup_id"
            ),
            params,
        )
    _add(session, AdHourRollup, "hour", "hour")
    _add(session, AdDayRollup, "day", "substr(hour, 1, 10)")
    _set_play_ms(session, AdHourRollup, "hour", "hour", dialect)
    _set_play_ms(session, AdDayRollup, "day", "substr(hour, 1, 10)", dialect)
    return int(session.scalar(text(f"SELECT SUM({' + '.join(COUNTED)}) FROM fold_cells")) or 0)  # noqa: S608


def _zones(session: Session, selections: list[tuple[str, dict[str, int]]]) -> None:
    """The offsets of every advertiser of the fold's events over their whole time span: from the
    first to the last event of that advertiser across every selection (new ids, and each batch
    of ids found in gaps), so that no selection's events fall outside the zones."""
    bounds: dict[str, tuple[str | None, datetime, datetime]] = {}
    for where, params in selections:
        spans = session.execute(
            text(
                "SELECT e.advertiser_id, a.timezone, MIN(e.occurred_at), MAX(e.occurred_at)"  # noqa: S608
                " FROM events AS e LEFT JOIN advertisers AS a ON a.advertiser_id = e.advertiser_id"
                f" WHERE {where} GROUP BY e.advertiser_id, a.timezone"
            ).columns(
                column("advertiser_id", String),
                column("timezone", String),
                column("first", EVENTS.c.occurred_at.type),
                column("last", EVENTS.c.occurred_at.type),
            ),
            params,
        ).all()
        for advertiser_id, timezone, first, last in spans:
            if advertiser_id in bounds:
                _, known_first, known_last = bounds[advertiser_id]
                first, last = min(first, known_first), max(last, known_last)
            bounds[advertiser_id] = (timezone, first, last)
    rows = [
        {"advertiser_id": advertiser_id, "starts_at": starts, "ends_at": ends, "seconds": seconds}
        for advertiser_id, (timezone, first, last) in bounds.items()
        for starts, ends, seconds in offset_spans(
            first, last + timedelta(seconds=1), ZoneInfo(timezone or "UTC")
        )
    ]
    if rows:
        session.execute(_ZONES.insert(), rows)


def _add(session: Session, model: Rollup, period: str, label: str) -> None:
    """Add the cells to the rollups of one period (`label`: the period of a cell)."""
    table = model.__tablename__
    sums = ", ".join(f"SUM({name})" for name in _ADDED)
    added = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in _ADDED)
    session.execute(
        text(
            f"INSERT INTO {table} (ad_id, {period}, advertiser_id, campaign_id, adgroup_id,"  # noqa: S608 (constants)
            f" {', '.join(_ADDED)}, play_ms)"
            f" SELECT ad_id, {label}, advertiser_id, campaign_id, adgroup_id, {sums}, 0"
            " FROM fold_cells WHERE true"
            f" GROUP BY ad_id, {label}, advertiser_id, campaign_id, adgroup_id"
            f" ON CONFLICT (ad_id, {period}) DO UPDATE SET {added}"
        )
    )


# play_ms as `play_ms()` computes it, in the database's doubles, operation for operation
_REAL = {"sqlite": "CAST({} AS REAL)", "postgresql": "CAST({} AS DOUBLE PRECISION)"}
_AT_LEAST_0 = {"sqlite": "max(0, {})", "postgresql": "greatest(0, {})"}
_WHOLE = {"sqlite": "CAST({} AS INTEGER)", "postgresql": "CAST(trunc({}) AS BIGINT)"}


def _play_ms_sql(dialect: str) -> str:
    real, at_least_0 = _REAL[dialect].format, _AT_LEAST_0[dialect].format
    length = f"COALESCE(NULLIF({real('p.duration')}, 0), {real(6)})"
    seconds = (
        f"{real(at_least_0('r.impressions - r.views_2s'))} * {real(WATCHED_BEFORE_2S)}"
        f" + {real(at_least_0('r.views_2s - r.views_6s'))} * {real(WATCHED_2_TO_6S)}"
        f" + {real(at_least_0('r.views_6s - r.complete_views'))} * ({real(6)} + {length})"
        f" / {real(2)} + {real('r.complete_views')} * {length}"
    )
    return _WHOLE[dialect].format(f"({seconds}) * {real(1000)}")


def _set_play_ms(session: Session, model: Rollup, period: str, label: str, dialect: str) -> None:
    """Watch time is not additive (it depends on how far each impression got): set on every
    touched cell from its new totals and its post's duration, in one statement."""
    table = model.__tablename__
    session.execute(
        text(
            f"UPDATE {table} SET play_ms = ("  # noqa: S608 (constants)
            f" SELECT {_play_ms_sql(dialect)} FROM {table} AS r"
            " LEFT JOIN ads AS a ON a.ad_id = r.ad_id"
            " LEFT JOIN posts AS p ON p.item_id = a.tiktok_item_id"
            f" WHERE r.ad_id = {table}.ad_id AND r.{period} = {table}.{period})"
            f" WHERE (ad_id, {period}) IN (SELECT ad_id, {label} FROM fold_cells)"
        )
    )


def refresh(session: Session, clock: Clock) -> int:
    """Fold events not read yet into the rollups; returns how many were read."""
    pending = cursor.take_pending(session, clock.now())
    read = _fold(session, pending) if pending is not None else 0
    session.flush()
    return read


def rebuild(session: Session, clock: Clock) -> int:
    """Throw every rollup away and fold all events again (same numbers as incremental)."""
    session.execute(delete(AdHourRollup))
    session.execute(delete(AdDayRollup))
    cursor.reset(session)
    session.flush()
    return refresh(session, clock)
