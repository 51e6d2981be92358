"""Many rows in one statement on the driver's own cursor, for writers that own their values.

SQLAlchemy's `executemany` prepares every row through its compiled statement (parameter dicts,
type processors, the NUL check of `column_limits`): about ten microseconds a row. A writer whose
values are already clean (catalogue codes, keys it made itself, numbers) can hand tuples to the
driver's `executemany` in the session's transaction instead; only the column types that need a
conversion on this database (dates on SQLite) are converted. Nothing user-typed goes through
here: the values must be what the column can store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":{}"}


def insert_many(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict: str = "",
) -> None:
    """INSERT INTO table (columns) VALUES (...) [on_conflict] for every row, in the session's
    transaction. `on_conflict` is written as both SQLite and PostgreSQL read it, e.g.
    `ON CONFLICT (key) DO UPDATE SET n = table.n + excluded.n`."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    mark = _PLACEHOLDER[dialect.paramstyle]
    marks = ", ".join(mark.format(i + 1) for i in range(len(columns)))
    names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks}) {on_conflict}".rstrip()  # noqa: S608
    convert: list[tuple[int, Callable[[Any], Any]]] = []
    for i, name in enumerate(columns):
        found = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if found is not None:
            convert.append((i, found))
    if convert:
        converted = []
        for row in rows:
            values = list(row)
            for i, processor in convert:
                values[i] = processor(values[i])
            converted.append(values)
        rows = converted
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()
