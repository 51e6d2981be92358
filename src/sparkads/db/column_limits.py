"""Column limits checked before every flush, so that every database refuses the same values the
same way.

SQLite keeps an over-long string in a VARCHAR(24), a 2**40 in an INTEGER column and a NUL character
in a text without a word; PostgreSQL refuses each of them with a database error, which would reach
the user as a 500 after the request had done its work. Checked here, on the values the session is
about to write, they become a clear 400 naming the field, on both databases, and nothing is written.
PostgreSQL cannot even compare a text holding NUL, so every statement's text parameters are checked
too (a lookup by such an id would otherwise fail instead of finding nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    SmallInteger,
    String,
    event,
    inspect,
)
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnElement

from sparkads.errors import SparkadsError

# Signed bounds of PostgreSQL's integer types (SQLAlchemy's BigInteger / Integer / SmallInteger).
_BITS = ((BigInteger, 64), (SmallInteger, 16), (Integer, 32))


def check_before_flush(sessions: sessionmaker[Session]) -> None:
    """Check the values of every new or changed row of these sessions before they are flushed."""
    event.listen(sessions, "before_flush", _check_pending)


def _check_pending(session: Session, _context: UOWTransaction, _instances: object) -> None:
    for instance in session.new:
        _check(instance, changed_only=False)
    for instance in session.dirty:
        _check(instance, changed_only=True)


def _check(instance: object, *, changed_only: bool) -> None:
    state = inspect(instance)
    for attribute in state.mapper.column_attrs:
        column = attribute.columns[0]
        if not isinstance(column, Column):
            continue
        if changed_only:
            added = state.attrs[attribute.key].history.added
            if not added:
                continue
            value = added[0]
        else:
            value = state.dict.get(attribute.key)
        if value is not None:
            check_value(column, attribute.key, value)


def check_value(column: Column[Any], field: str, value: object) -> None:
    """Raise the error a user sees if the column cannot store the value (on any database)."""
    kind = column.type
    if isinstance(value, str) and isinstance(kind, String):
        if kind.length is not None and len(value) > kind.length:
            raise SparkadsError("value_too_long", field=field, limit=kind.length, length=len(value))
        if "\x00" in value:
            raise SparkadsError("value_not_storable", field=field)
    elif isinstance(value, int) and not isinstance(value, bool) and isinstance(kind, Integer):
        bits = next(bits for integer, bits in _BITS if isinstance(kind, integer))
        minimum, maximum = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        if not minimum <= value <= maximum:
            raise SparkadsError(
                "value_out_of_range", field=field, value=value, minimum=minimum, maximum=maximum
            )


def refuse_nul_parameters(engine: Engine) -> None:
    """Refuse, before it reaches the database, any statement with a text parameter holding NUL."""
    event.listen(engine, "before_cursor_execute", _refuse_nul)


def _refuse_nul(
    _connection: Connection,
    _cursor: DBAPICursor,
    _statement: str,
    parameters: object,
    context: ExecutionContext | None,
    executemany: bool,
) -> None:
    # executemany hands a list of rows, except "insert many values", which hands one flat row
    rows: Sequence[object] = (parameters,)
    if (
        executemany
        and isinstance(parameters, list | tuple)
        and parameters
        and isinstance(parameters[0], Mapping | tuple | list)
    ):
        rows = parameters
    for row in rows:
        if isinstance(row, Mapping):
            named: Iterable[tuple[str, object]] = row.items()
        elif isinstance(row, list | tuple):
            named = zip(_positional_names(context, len(row)), row, strict=False)
        else:
            continue
        for name, value in named:
            if isinstance(value, str) and "\x00" in value:
                raise SparkadsError("value_not_storable", field=_field(context, name))


def _positional_names(context: ExecutionContext | None, count: int) -> list[str]:
    compiled = getattr(context, "compiled", None)
    names = list(getattr(compiled, "positiontup", None) or ())
    return names if len(names) == count else ["value"] * count


def _field(context: ExecutionContext | None, bind_name: str) -> str:
    """The column a bind parameter is compared with or written to, as the user's field name."""
    statement = getattr(getattr(context, "compiled", None), "statement", None)
    for element in visitors.iterate(statement) if statement is not None else ():
        if (
            isinstance(element, BinaryExpression)
            and isinstance(element.right, BindParameter)
            and element.right.key == bind_name
            and isinstance(element.left, ColumnElement)
        ):
            return str(getattr(element.left, "key", None) or bind_name)
    return re.sub(r"_+\d+$", "", bind_name)  # `caption`, `caption_1`, many values' `caption__3`
