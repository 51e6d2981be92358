"""local hour rollups and rollup gaps

Hourly rollups move from UTC hours (a timestamp) to local hours of the advertiser's timezone
("YYYY-MM-DD HH"), and the rollup cursor keeps the ids it skipped (`rollup_gaps`). Rollups are
derived from the events: the old hourly rows and the cursor are dropped, and the next refresh
folds every event again (both hour and day rollups).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import counts, times
from sparkads.db.migrations.shapes import create_table

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    create_table(
        "rollup_gaps",
        sa.Column("first_id", sa.BigInteger(), autoincrement=False, nullable=False),
        *counts("last_id"),
        *times("seen_at"),
        primary_key="first_id",
    )
    op.execute("DELETE FROM rollup_ad_hour")
    op.execute("DELETE FROM rollup_state")
    with op.batch_alter_table("rollup_ad_hour", schema=None) as batch_op:
        batch_op.alter_column(
            "hour",
            existing_type=sa.DateTime(timezone=True),
            type_=sa.String(length=13),
            existing_nullable=False,
        )


def downgrade() -> None:
    op.execute("DELETE FROM rollup_ad_hour")
    op.execute("DELETE FROM rollup_state")
    with op.batch_alter_table("rollup_ad_hour", schema=None) as batch_op:
        batch_op.alter_column(
            "hour",
            existing_type=sa.String(length=13),
            type_=sa.DateTime(timezone=True),
            existing_nullable=False,
            postgresql_using="hour::timestamp with time zone",
        )
    op.drop_table("rollup_gaps")
