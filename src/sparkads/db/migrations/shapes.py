"""Shapes the migrations repeat, written once: id, time and count columns, foreign keys and
primary keys named by the metadata's convention (`db/base.py`), a table's indexes created in one
batch, and a table dropped with its indexes.

The migrations are history: each one calling these creates exactly the schema it created when it
spelled every column out (checked by comparing `sqlite3 .schema` and `pg_dump -s` after
`upgrade head`, before and after they were written with these helpers). Change nothing here that
would change what an old migration creates; a new shape is a new function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

ID_LENGTH = 24

# An index of a table: a column (indexed alone, named `ix_<table>_<column>` by the convention),
# or a name and its columns.
Index = str | tuple[str, list[str]]

T = TypeVar("T")

# A post's organic and paid counts: 0001 creates them INTEGER, 0008 widens them on PostgreSQL.
POST_COUNTS = (
    "organic_views",
    "organic_likes",
    "organic_comments",
    "organic_shares",
    "paid_views",
    "paid_likes",
    "paid_comments",
    "paid_shares",
    "paid_profile_visits",
)


def ids(*names: str, nullable: bool = False) -> list[sa.Column[str]]:
    """Identifier columns: the 24-character strings of `sparkads.ids`."""
    return [sa.Column(name, sa.String(length=ID_LENGTH), nullable=nullable) for name in names]


def key(name: str) -> sa.Column[str]:
    """An identifier that is its table's primary key."""
    return sa.Column(name, sa.String(length=ID_LENGTH), primary_key=True)


def ref(name: str, target: str) -> sa.Column[str]:
    """An identifier column that must name a row of `target` ("table.column"); the constraint is
    named by the convention."""
    return sa.Column(name, sa.String(length=ID_LENGTH), sa.ForeignKey(target), nullable=False)


def serial(name: str = "id", *, primary_key: bool = False) -> sa.Column[int]:
    """A 64-bit auto-incremented id: BIGINT on PostgreSQL, INTEGER on SQLite (so it is the rowid).
    Declared as the primary key here, or named in the table's `pk(...)`."""
    kind = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    if primary_key:
        return sa.Column(name, kind, primary_key=True, autoincrement=True)
    return sa.Column(name, kind, autoincrement=True, nullable=False)


def times(*names: str, nullable: bool = False) -> list[sa.Column[datetime]]:
    """Instants, stored with their time zone."""
    return [sa.Column(name, sa.DateTime(timezone=True), nullable=nullable) for name in names]


def counts(*names: str) -> list[sa.Column[int]]:
    """Counts and amounts in micros: 64-bit, never null."""
    return [sa.Column(name, sa.BigInteger(), nullable=False) for name in names]


def strings(*, nullable: bool = False, **lengths: int) -> list[sa.Column[str]]:
    """Strings of at most so many characters, in the order given: `strings(name=200, currency=3)`."""
    return [
        sa.Column(name, sa.String(length=length), nullable=nullable)
        for name, length in lengths.items()
    ]


def columns(
    kind: sa.types.TypeEngine[T], *names: str, nullable: bool = False
) -> list[sa.Column[T]]:
    """Columns of one type (`sa.Integer()`, `sa.Boolean()`, `sa.JSON()`...), in the order given."""
    return [sa.Column(name, kind, nullable=nullable) for name in names]


def foreign_keys(table: str, **references: str) -> list[sa.ForeignKeyConstraint]:
    """`column="table"` refers to that table's column of the same name, `column="table.column"`
    to another; each constraint named `fk_<table>_<column>_<referred table>`."""
    constraints = []
    for column, target in references.items():
        referred, _, referred_column = target.partition(".")
        constraints.append(fk(table, column, referred, referred_column or column))
    return constraints


def fk(
    table: str, column: str, referred: str, referred_column: str, *, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{referred}.{referred_column}"],
        name=op.f(f"fk_{table}_{column}_{referred}"),
        ondelete=ondelete,
    )


def pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def _index(table: str, index: Index) -> tuple[str, list[str]]:
    if isinstance(index, str):
        return op.f(f"ix_{table}_{index}"), [index]
    return index


def create_indexes(table: str, *indexes: Index) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for index in indexes:
            name, columns = _index(table, index)
            batch_op.create_index(name, columns, unique=False)


def create_table(
    table: str,
    *items: SchemaItem,
    primary_key: str | tuple[str, ...] = (),
    references: Mapping[str, str] | None = None,
    unique: Sequence[str] = (),
    indexes: Sequence[Index] = (),
) -> None:
    """A table of these columns (and constraints written out), then, in this order, its foreign
    keys (`references`, as in `foreign_keys`), its primary key, a unique key (named by its first
    column) and its indexes (as in `create_indexes`), each named by the convention."""
    keys: list[SchemaItem] = [*foreign_keys(table, **(references or {}))]
    if primary_key:
        named = (primary_key,) if isinstance(primary_key, str) else primary_key
        keys.append(pk(table, *named))
    if unique:
        keys.append(sa.UniqueConstraint(*unique, name=op.f(f"uq_{table}_{unique[0]}")))
    op.create_table(table, *items, *keys)
    if indexes:
        create_indexes(table, *indexes)


def drop_table(table: str, *indexes: str) -> None:
    """Drops a table's indexes, by name in the order given, then the table."""
    if indexes:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
    op.drop_table(table)
