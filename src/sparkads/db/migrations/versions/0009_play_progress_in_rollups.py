"""Play progress in the rollups (25 %, 50 %, 75 % views); platform and province on events

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 01:00:00

The feed reports how far a play got (`play_25`, `play_50`, `play_75`; `play_100` is a complete
view), so reports give TikTok's quartile metrics (`video_views_p25` ...). Existing rows had no
such events: 0. Events keep the viewer's platform (device OS) and province (the targeting
catalogue's location id of the region) for AUDIENCE reports by `platform` and `province_id`;
older events have neither (empty).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("rollup_ad_hour", "rollup_ad_day")
COLUMNS = ("views_p25", "views_p50", "views_p75")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("platform", sa.String(8), nullable=False, server_default=""))
        batch.add_column(sa.Column("province_id", sa.String(24), nullable=False, server_default=""))
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column in COLUMNS:
                batch.add_column(
                    sa.Column(column, sa.BigInteger(), nullable=False, server_default="0")
                )


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("province_id")
        batch.drop_column("platform")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column in COLUMNS:
                batch.drop_column(column)
