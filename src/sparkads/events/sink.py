"""Where event rows go: the event sink. The intake (`events.service.record`) hands it a batch of
rows and gets back the ids of the rows that were new; duplicates per (decision, type), in the
store or within the batch, are skipped, never an error.

One implementation today, `DatabaseSink`: the main database, inside the request's transaction (so
events, billing and counters commit or roll back together), with the fastest safe path per
database, on the driver's own cursor (the rows come from verified tokens, so SQLAlchemy's per-row
parameter processing is skipped):
- SQLite: one `executemany` of `INSERT ... ON CONFLICT DO NOTHING`; the batch holds the write lock
  from its first insert to its commit, so its new rows have consecutive ids and are read back with
  one range query;
- PostgreSQL: `COPY` into a temporary staging table, then one `INSERT ... SELECT ... ON CONFLICT DO
  NOTHING RETURNING`, in (decision, type) order so concurrent batches never deadlock. The table is
  partitioned by the decision's UTC day (`decision_day`, in every row: `decision_day` of the row
  mapping), which every copy of an event shares, so it is part of the duplicate key there.
A columnar engine (ClickHouse and the like) would be the next implementation once one database
stops keeping up (docs/scaling.md); none is built until it can be tested against a real server.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from sparkads.db.bulk import converted, driver_cursor, execute_many
from sparkads.events.models import Event

EVENTS = cast(Table, Event.__table__)
COLUMNS = (
    "decision_id",
    "event_type",
    "advertiser_id",
    "campaign_id",
    "adgroup_id",
    "ad_id",
    "item_id",
    "viewer_id",
    "country",
    "age_group",
    "gender",
    "platform",
    "province_id",
    "occurred_at",
    "received_at",
    "billing",
    "goal",
    "price",
    "cost",
    "billing_note",
)
Key = tuple[str, str]  # (decision_id, event_type)
EventRow = Mapping[str, object]  # COLUMNS (and `decision_day`) of one new event


class EventSink(Protocol):
    def insert_new(self, session: Session, rows: Sequence[EventRow]) -> dict[Key, int]:
        """Store the rows that are not duplicates; their ids by (decision_id, event_type)."""
        ...

    def insert(self, session: Session, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
        """Plain rows into a table of the batch's transaction (the spend ledger)."""
        ...

    def executemany(self, session: Session, sql: str, params: Sequence[Sequence[object]]) -> None:
        """A plain statement with `?` placeholders, once per parameter tuple, in the batch's
        transaction (cost and billing notes on the new events, ledger rows)."""
        ...


class DatabaseSink:
    """The main database (see the module's docstring)."""

    def insert_new(self, session: Session, rows: Sequence[EventRow]) -> dict[Key, int]:
        if not rows:
            return {}
        ordered = sorted(rows, key=lambda r: (r["decision_id"], r["event_type"]))
        with driver_cursor(session) as (cursor, dialect):
            values = converted(dialect, EVENTS, COLUMNS, ordered, memo=True)
            names = ", ".join(COLUMNS)
            if dialect.name == "postgresql":
                # partitioned by the decision's UTC day (migration 0016): part of the unique key
                days = [(r["decision_day"],) for r in ordered]
                values = [(*v, *d) for v, d in zip(values, days, strict=True)]
                return _postgres_copy(cursor, f"{names}, decision_day", values)
            return _sqlite_insert(cursor, names, values)

    def insert(self, session: Session, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
        if not rows:
            return
        names = list(rows[0])
        placeholders = ", ".join("?" * len(names))
        dialect = session.get_bind().dialect
        self.executemany(
            session,
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})",  # noqa: S608
            converted(dialect, table, names, rows, memo=True),
        )

    def executemany(self, session: Session, sql: str, params: Sequence[Sequence[object]]) -> None:
        execute_many(session, sql, params)


def _sqlite_insert(
    cursor: sqlite3.Cursor, names: str, values: list[Sequence[object]]
) -> dict[Key, int]:
    connection = cursor.connection
    before = connection.total_changes
    placeholders = ", ".join("?" * len(COLUMNS))
    cursor.executemany(
        f"INSERT INTO events ({names}) VALUES ({placeholders}) "  # noqa: S608 (constant)
        "ON CONFLICT (decision_id, event_type) DO NOTHING",
        values,
    )
    added = connection.total_changes - before
    if not added:
        return {}
    last = cursor.execute("SELECT last_insert_rowid()").fetchone()[0]
    found = cursor.execute(
        "SELECT id, decision_id, event_type FROM events WHERE id > ? AND id <= ?",
        (last - added, last),
    ).fetchall()
    if len(found) != added:  # ids not consecutive: never expected while the lock is held
        raise RuntimeError(f"event ids not consecutive: {len(found)} rows for {added} inserts")
    return {(d, t): i for i, d, t in found}


def _postgres_copy(cursor: Any, names: str, values: list[Sequence[object]]) -> dict[Key, int]:
    """psycopg: COPY into the staging table, then the insert that skips duplicates."""
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS events_stage ON COMMIT DELETE ROWS AS "  # noqa: S608
        f"SELECT {names} FROM events WITH NO DATA"
    )
    with cursor.copy(f"COPY events_stage ({names}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)
    cursor.execute(
        f"INSERT INTO events ({names}) SELECT {names} FROM events_stage "  # noqa: S608
        "ORDER BY decision_id, event_type "
        "ON CONFLICT (decision_id, event_type, decision_day) DO NOTHING "
        "RETURNING id, decision_id, event_type"
    )
    found = cursor.fetchall()
    cursor.execute("DELETE FROM events_stage")  # a second batch in the same transaction
    return {(d, t): i for i, d, t in found}


DEFAULT_SINK: EventSink = DatabaseSink()
