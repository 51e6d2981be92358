"""Columns the models repeat, written once as types for `Mapped[...]` (SQLAlchemy's `Annotated`
columns): `advertiser_id: Mapped[AdvertiserId]` is the column written here, and a
`mapped_column(...)` beside it adds to it (`= mapped_column(index=True)`). The tables they make
are the migrations' (tests/integration/test_migrations.py compares them)."""

from __future__ import annotations

from typing import Annotated

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import mapped_column

from sparkads.db.base import BigCount

# An identifier (the 24-character strings of `sparkads.ids`), and one that is its table's key.
Id = Annotated[str, mapped_column(String(24))]
Key = Annotated[str, mapped_column(String(24), primary_key=True)]
# The ad account a row belongs to.
AdvertiserId = Annotated[str, mapped_column(ForeignKey("advertisers.advertiser_id"))]
# A count that can pass 2**31 (views, followers, bytes: `BigCount`), 0 when the row is made.
Count = Annotated[int, mapped_column(BigCount, default=0)]
# A rollup's measure (events counted, watch time, spend in micros): BIGINT, 0 when made.
Measure = Annotated[int, mapped_column(BigInteger, default=0)]
