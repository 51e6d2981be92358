"""Many rows in one statement on the driver's own cursor, for writers that own their values.

SQLAlchemy's `executemany` prepares every row through its compiled statement (parameter dicts,
type processors, the NUL check of `column_limits`): about ten microseconds a row. A writer whose
values are already clean (catalogue codes, keys it made itself, numbers, verified tokens) can hand
tuples to the driver's `executemany` in the session's transaction instead; only the column types
that need a conversion on this database (dates on SQLite) are converted (`converted`). Nothing
user-typed goes through here: the values must be what the column can store.

One place for what differs between drivers: statements are written with `?` placeholders and
turned into the driver's own (`%s` for psycopg), and `driver_cursor` opens a cursor of the
session's connection (in its transaction: SQLite's write lock, `db.write_lock`, is taken by the
first write as with any other statement). The traffic log (`traffic.store`), the event sink
(`events.sink`) and the rollups (`reporting.rollups`) write through here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Dialect, Table
from sqlalchemy.orm import Session

Row = Sequence[object]
Convert = Callable[[object], object]


@contextmanager
def driver_cursor(session: Session) -> Iterator[tuple[Any, Dialect]]:
    """A cursor of the session's connection (its transaction; whatever the session holds is
    flushed first, as `session.execute` would) and the dialect, closed afterwards."""
    session.flush()
    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    cursor = driver.cursor()
    try:
        yield cursor, connection.dialect
    finally:
        cursor.close()


def for_driver(dialect: Dialect, sql: str) -> str:
    """A statement written with `?` placeholders, in the driver's paramstyle."""
    style = dialect.paramstyle
    if style == "qmark":
        return sql
    if style in ("format", "pyformat"):
        return sql.replace("%", "%%").replace("?", "%s")
    parts = sql.split("?")  # numeric
    return "".join(f"{part}:{i}" for i, part in enumerate(parts[:-1], 1)) + parts[-1]


def execute_many(session: Session, sql: str, rows: Sequence[Row]) -> None:
    """`sql` (with `?` placeholders) once per row, in the session's transaction."""
    if not rows:
        return
    with driver_cursor(session) as (cursor, dialect):
        cursor.executemany(for_driver(dialect, sql), rows)


def converted(
    dialect: Dialect,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Row] | Sequence[Mapping[str, object]],
    *,
    memo: bool,
) -> list[Row]:
    """The rows as parameter tuples, through the column types' own conversions (dates as SQLite
    stores them), looked up once per column and applied only where a type has one. `rows` are
    sequences in `columns` order, or mappings holding them; `memo`: remember each conversion's
    answers for the call (a batch of events shares a few moments)."""
    convert: list[tuple[int, Convert]] = []
    for i, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            convert.append((i, _memo(process) if memo else process))
    as_tuples = _tuples(columns, rows)
    if not convert:
        return list(as_tuples)
    out: list[Row] = []
    for row in as_tuples:
        values = list(row)
        for i, change in convert:
            values[i] = change(values[i])
        out.append(tuple(values))
    return out


def _tuples(
    columns: Sequence[str], rows: Sequence[Row] | Sequence[Mapping[str, object]]
) -> Sequence[Row]:
    if not rows or isinstance(rows[0], Sequence):
        return cast(Sequence[Row], rows)
    mappings = cast(Sequence[Mapping[str, object]], rows)
    if len(columns) == 1:
        return [(r[columns[0]],) for r in mappings]
    pick = itemgetter(*columns)
    return [pick(r) for r in mappings]


def _memo(process: Convert) -> Convert:
    seen: dict[object, object] = {}

    def remembered(value: object) -> object:
        if value not in seen:
            seen[value] = process(value)
        return seen[value]

    return remembered


ROWS_A_STATEMENT = 64  # the most rows of one multi-row INSERT (a power of two)


def insert_many(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict: str = "",
) -> None:
    """INSERT INTO table (columns) VALUES (...), (...), ... [on_conflict], in the session's
    transaction: one statement of many rows skips the driver's per-row work of an executemany
    (a fifth of a 15-column upsert on SQLite). Statements hold `ROWS_A_STATEMENT` rows, the rest
    goes in statements of 32, 16, ... 1 rows, so a connection compiles at most seven statements
    a table, whatever the batch sizes. The rows of one call must not conflict with each other
    (PostgreSQL refuses to update a row twice in one statement). `on_conflict` is written as both
    SQLite and PostgreSQL read it, e.g. `ON CONFLICT (key) DO UPDATE SET n = table.n + excluded.n`."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    values = converted(dialect, table, columns, rows, memo=False)
    names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
    one = f"({', '.join('?' * len(columns))})"
    with driver_cursor(session) as (cursor, _):
        start, size = 0, ROWS_A_STATEMENT
        while start < len(values):
            while start + size > len(values):
                size //= 2
            tuples = ", ".join([one] * size)
            sql = f"INSERT INTO {table.name} ({names}) VALUES {tuples} {on_conflict}"  # noqa: S608
            cursor.execute(
                for_driver(dialect, sql.rstrip()), list(chain(*values[start : start + size]))
            )
            start += size
