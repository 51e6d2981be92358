"""audiences members files, creator marketplace"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import columns, counts, ids, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table, fk

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    create_table(
        "creator_profiles",
        *ids("creator_id"),
        *strings(sector=40),
        *columns(sa.JSON(), "countries", "languages"),
        *counts("asking_fee"),
        *columns(sa.Boolean(), "opted_in"),
        *times("created_at", "updated_at"),
        references={"creator_id": "creators"},
        primary_key="creator_id",
        indexes=["sector"],
    )
    create_table(
        "audience_files",
        *strings(file_path=64),
        *ids("advertiser_id"),
        *strings(calculate_type=20, file_name=255, signature=32),
        *counts("size_bytes"),
        *columns(sa.Integer(), "hash_count", "rejected_lines"),
        *columns(sa.LargeBinary(), "digests"),
        *times("created_at"),
        references={"advertiser_id": "advertisers"},
        primary_key="file_path",
        indexes=["advertiser_id"],
    )
    create_table(
        "audience_members",
        *ids("audience_id"),
        *strings(viewer_id=64),
        fk("audience_members", "audience_id", "audiences", "audience_id", ondelete="CASCADE"),
        primary_key=("audience_id", "viewer_id"),
    )
    create_table(
        "collaborations",
        *ids("collaboration_id", "advertiser_id", "creator_id"),
        *strings(kind=8),
        *ids("item_id", nullable=True),
        *strings(brief=2000, message=500),
        *counts("fee"),
        *columns(sa.Integer(), "duration_days"),
        *strings(status=12),
        *ids("authorization_id", nullable=True),
        *times("created_at"),
        *times("decided_at", nullable=True),
        references={
            "advertiser_id": "advertisers",
            "authorization_id": "spark_codes",
            "creator_id": "creators",
            "item_id": "posts",
        },
        primary_key="collaboration_id",
        indexes=[
            ("ix_collaborations_advertiser", ["advertiser_id", "created_at"]),
            ("ix_collaborations_creator", ["creator_id", "created_at"]),
        ],
    )

    with op.batch_alter_table("audiences", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "audience_sub_type", sa.String(length=20), server_default="NORMAL", nullable=False
            )
        )
        batch_op.add_column(sa.Column("calculate_type", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("submitted", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("definition", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("source_audience_id", sa.String(length=24), nullable=True))
        batch_op.add_column(
            sa.Column("auto_refresh", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_audiences_source_audience_id"), ["source_audience_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audiences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audiences_source_audience_id"))
        batch_op.drop_column("expires_at")
        batch_op.drop_column("refreshed_at")
        batch_op.drop_column("revision")
        batch_op.drop_column("auto_refresh")
        batch_op.drop_column("source_audience_id")
        batch_op.drop_column("definition")
        batch_op.drop_column("submitted")
        batch_op.drop_column("calculate_type")
        batch_op.drop_column("audience_sub_type")

    drop_table("collaborations", "ix_collaborations_creator", "ix_collaborations_advertiser")
    drop_table("audience_members")
    drop_table("audience_files", "ix_audience_files_advertiser_id")
    drop_table("creator_profiles", "ix_creator_profiles_sector")
