"""audiences members files, creator marketplace"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import (
    counts,
    create_indexes,
    drop_table,
    fk,
    foreign_keys,
    ids,
    pk,
    times,
)

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "creator_profiles",
        *ids("creator_id"),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        *counts("asking_fee"),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        *times("created_at", "updated_at"),
        *foreign_keys("creator_profiles", creator_id="creators"),
        pk("creator_profiles", "creator_id"),
    )
    create_indexes("creator_profiles", "sector")

    op.create_table(
        "audience_files",
        sa.Column("file_path", sa.String(length=64), nullable=False),
        *ids("advertiser_id"),
        sa.Column("calculate_type", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("signature", sa.String(length=32), nullable=False),
        *counts("size_bytes"),
        sa.Column("hash_count", sa.Integer(), nullable=False),
        sa.Column("rejected_lines", sa.Integer(), nullable=False),
        sa.Column("digests", sa.LargeBinary(), nullable=False),
        *times("created_at"),
        *foreign_keys("audience_files", advertiser_id="advertisers"),
        pk("audience_files", "file_path"),
    )
    create_indexes("audience_files", "advertiser_id")

    op.create_table(
        "audience_members",
        *ids("audience_id"),
        sa.Column("viewer_id", sa.String(length=64), nullable=False),
        fk("audience_members", "audience_id", "audiences", "audience_id", ondelete="CASCADE"),
        pk("audience_members", "audience_id", "viewer_id"),
    )
    op.create_table(
        "collaborations",
        *ids("collaboration_id", "advertiser_id", "creator_id"),
        sa.Column("kind", sa.String(length=8), nullable=False),
        *ids("item_id", nullable=True),
        sa.Column("brief", sa.String(length=2000), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        *counts("fee"),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        *ids("authorization_id", nullable=True),
        *times("created_at"),
        *times("decided_at", nullable=True),
        *foreign_keys(
            "collaborations",
            advertiser_id="advertisers",
            authorization_id="spark_codes",
            creator_id="creators",
            item_id="posts",
        ),
        pk("collaborations", "collaboration_id"),
    )
    create_indexes(
        "collaborations",
        ("ix_collaborations_advertiser", ["advertiser_id", "created_at"]),
        ("ix_collaborations_creator", ["creator_id", "created_at"]),
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
    op.drop_table("audience_members")
    drop_table("audience_files", "ix_audience_files_advertiser_id")
    drop_table("creator_profiles", "ix_creator_profiles_sector")
