from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from sqlalchemy import BigInteger, DateTime, Enum, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


# Counts and sizes that can pass 2**31 (views of a post, bytes of a video): BIGINT on PostgreSQL.
# SQLite's INTEGER already holds 64 bits, so SQLite keeps the type its tables were created with.
BigCount = BigInteger().with_variant(Integer(), "sqlite")


def _values(kind: type[StrEnum]) -> list[str]:
    return [member.value for member in kind]


def enum_column(kind: type[StrEnum], length: int) -> Enum:
    """A StrEnum column stored as its value in a VARCHAR(length), with neither a database enum
    type nor a CHECK constraint: the storage of the String(length) column it stands for, so the
    mapping changes without a migration. Rows load as enum members."""
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=_values,
    )


RowT = TypeVar("RowT", bound=Base)


def added(session: Session, row: RowT) -> RowT:
    """A new row added to the session and flushed (its keys and defaults set), returned."""
    session.add(row)
    session.flush()
    return row
