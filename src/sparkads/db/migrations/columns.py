"""Columns the migrations repeat, written once: ids, instants, counts, strings by length, columns
of one type.

The migrations are history, and revisions already applied depend on these: each one calling them
creates exactly the schema it created when it spelled every column out (checked by comparing the
statements of `upgrade head`, `downgrade base` and `upgrade head` again, `sqlite3 .schema`/`.dump`
and `pg_dump -s`/`-a`, before and after they were written with these helpers). A helper in use is
never changed; a new shape is a new function. Keys, indexes and tables: `shapes.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa

ID_LENGTH = 24

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
    Declared as the primary key here, or named in the table's primary key."""
    kind = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    if primary_key:
        return sa.Column(name, kind, primary_key=True, autoincrement=True)
    return sa.Column(name, kind, autoincrement=True, nullable=False)


def int_serial(name: str = "id") -> sa.Column[int]:
    """A 32-bit auto-incremented id, named in the table's primary key (the first tables' ids;
    later ones are 64-bit, `serial`)."""
    return sa.Column(name, sa.Integer(), autoincrement=True, nullable=False)


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
