"""64-bit counts and sizes on PostgreSQL (post views and bytes, creator followers)

A post's views or a video's bytes can pass 2**31, which PostgreSQL's INTEGER refuses. SQLite's
INTEGER already holds 64 bits: nothing changes there (the models declare these columns BIGINT
with an INTEGER variant for SQLite), so SQLite tables are not rebuilt.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import POST_COUNTS

revision = "0008"
down_revision = "0007"

WIDENED = {
    "posts": ("size_bytes", *POST_COUNTS),
    "creators": ("followers", "paid_followers"),
}


def _alter(old: sa.types.TypeEngine[int], new: sa.types.TypeEngine[int]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in WIDENED.items():
        for column in columns:
            op.alter_column(table, column, existing_type=old, type_=new, existing_nullable=False)


def upgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())
