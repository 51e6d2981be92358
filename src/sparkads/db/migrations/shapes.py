"""Keys, indexes and tables the migrations repeat, written once: foreign keys and primary keys
named by the metadata's convention (`db/base.py`), a table created with its keys and indexes, a
table's indexes created in one batch, and a table dropped with its indexes. Columns: `columns.py`.

The migrations are history, and revisions already applied depend on these: each one calling them
creates exactly the schema it created when it spelled every key out (checked as `columns.py`
says). A helper in use is never changed; a new shape is a new function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

# An index of a table: a column (indexed alone, named `ix_<table>_<column>` by the convention),
# or a name and its columns.
Index = str | tuple[str, list[str]]


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
