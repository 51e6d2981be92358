"""The few statements that differ between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import BigInteger, ColumnElement, Table, cast, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session


def _insert(session: Session, table: Table) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_duplicates(
    session: Session, table: Table, index_elements: list[str]
) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT (keys) DO NOTHING for the session's database."""
    return _insert(session, table).on_conflict_do_nothing(index_elements=index_elements)


def upsert(
    session: Session, table: Table, index_elements: list[str], update: Mapping[str, object]
) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET `update` for the session's database; values of
    `update` may refer to the row being inserted through `excluded(name)`."""
    statement = _insert(session, table)
    values = {k: v(statement.excluded) if callable(v) else v for k, v in update.items()}
    return statement.on_conflict_do_update(index_elements=index_elements, set_=values)


def epoch_micros_of(
    session: Session, column: InstrumentedAttribute[datetime] | ColumnElement[datetime]
) -> ColumnElement[int]:
    """A timestamp column as whole microseconds since 1970 (UTC), computed exactly by the
    database, so a reader of millions of rows makes no datetime objects and compares instants
    exactly. SQLite holds "YYYY-MM-DD HH:MM:SS.ffffff" (SQLAlchemy's format): whole seconds from
    strftime, then the six digits after the dot."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", column) * 1_000_000, BigInteger)
    seconds = cast(func.strftime("%s", column), BigInteger)
    return seconds * 1_000_000 + cast(func.substr(column, 21, 6), BigInteger)


def instant_as_stored(session: Session) -> Callable[[datetime], datetime | str]:
    """How a writer handing rows straight to the driver (`db/bulk.py`) gives an instant, so that
    nothing converts it row by row: PostgreSQL's driver takes the datetime; SQLite holds
    SQLAlchemy's text form "YYYY-MM-DD HH:MM:SS.ffffff" of the instant's own fields (what its
    DateTime type writes), made here at a quarter of that type's cost."""
    if session.get_bind().dialect.name == "postgresql":
        return _as_given
    return _sqlite_text


def _as_given(moment: datetime) -> datetime:
    return moment


def _sqlite_text(moment: datetime) -> str:
    m = moment
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 (the fastest way)
        m.year, m.month, m.day, m.hour, m.minute, m.second, m.microsecond,
    )  # fmt: skip
