"""Play progress in the rollups (25 %, 50 %, 75 % views); platform and province on events

The feed reports how far a play got (`play_25`, `play_50`, `play_75`; `play_100` is a complete
view), so reports give TikTok's quartile metrics (`video_views_p25` ...). Existing rows had no
such events: 0. Events keep the viewer's platform (device OS) and province (the targeting
catalogue's location id of the region) for AUDIENCE reports by `platform` and `province_id`;
older events have neither (empty). Business Center assets shared with members
(`bc_asset_assignments`, bc/asset/assign/).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import ids, ref, times

revision = "0012"
down_revision = "0011"

TABLES = ("rollup_ad_hour", "rollup_ad_day")
COLUMNS = ("views_p25", "views_p50", "views_p75")


def upgrade() -> None:
    op.create_table(
        "bc_asset_assignments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        ref("bc_id", "business_centers.bc_id"),
        ref("user_id", "access_tokens.token_id"),
        sa.Column("asset_type", sa.String(16), nullable=False),
        *ids("asset_id"),
        sa.Column("roles", sa.String(100), nullable=False),
        *times("assigned_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bc_id", "user_id", "asset_type", "asset_id"),
    )
    op.create_index("ix_bc_asset_assignments_bc_id", "bc_asset_assignments", ["bc_id"])
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
    op.drop_index("ix_bc_asset_assignments_bc_id", table_name="bc_asset_assignments")
    op.drop_table("bc_asset_assignments")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("province_id")
        batch.drop_column("platform")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for column in COLUMNS:
                batch.drop_column(column)
