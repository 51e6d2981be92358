"""accounts, posts, spark authorization"""

from __future__ import annotations

import sqlalchemy as sa

from sparkads.db.migrations.columns import POST_COUNTS, columns, ids, int_serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0001"
down_revision = None


def upgrade() -> None:
    create_table(
        "access_tokens",
        *ids("token_id"),
        *strings(token_hash=64, scope=20),
        *ids("subject_id"),
        *strings(label=100),
        *times("created_at"),
        *times("revoked_at", nullable=True),
        primary_key="token_id",
        unique=("token_hash",),
        indexes=[("ix_access_tokens_subject", ["scope", "subject_id"])],
    )
    create_table(
        "business_centers",
        *ids("bc_id"),
        *strings(name=200, company=200, currency=3, timezone=64),
        *times("created_at"),
        primary_key="bc_id",
    )
    create_table(
        "creators",
        *ids("creator_id"),
        *strings(handle=64, display_name=100, country=2, sector=40),
        *columns(sa.Integer(), "followers", "paid_followers"),
        *strings(bio=500),
        *times("created_at"),
        primary_key="creator_id",
        unique=("handle",),
    )
    create_table(
        "advertisers",
        *ids("advertiser_id"),
        *strings(name=200, currency=3, timezone=64),
        *ids("bc_id", nullable=True),
        *times("created_at"),
        references={"bc_id": "business_centers"},
        primary_key="advertiser_id",
        indexes=["bc_id"],
    )
    create_table(
        "posts",
        *ids("item_id", "creator_id"),
        *strings(item_type=12, format=16, caption=2200),
        sa.Column("duration", sa.Float(), nullable=True),
        *columns(sa.Integer(), "width", "height", "size_bytes"),
        *strings(visibility=10),
        *columns(sa.Boolean(), "ads_only"),
        *strings(music_title=200, nullable=True),
        *columns(sa.Boolean(), "music_cleared"),
        *columns(sa.JSON(), "anchors", "images"),
        *ids("original_item_id", nullable=True),
        *strings(status=12, status_reason=300),
        *columns(sa.Integer(), *POST_COUNTS),
        *times("caption_locked_at", nullable=True),
        *times("published_at", "updated_at"),
        references={"creator_id": "creators", "original_item_id": "posts.item_id"},
        primary_key="item_id",
        indexes=[("ix_posts_creator_published", ["creator_id", "published_at"])],
    )
    create_table(
        "identities",
        *ids("identity_id"),
        *strings(identity_type=16),
        *ids("creator_id"),
        *ids("advertiser_id", "bc_id", nullable=True),
        *times("created_at"),
        *times("ended_at", nullable=True),
        references={
            "advertiser_id": "advertisers",
            "bc_id": "business_centers",
            "creator_id": "creators",
        },
        primary_key="identity_id",
        indexes=[
            "creator_id",
            ("ix_identities_owner", ["identity_type", "advertiser_id", "bc_id"]),
        ],
    )
    create_table(
        "post_history",
        int_serial(),
        *ids("item_id"),
        *times("at"),
        *strings(kind=40),
        *columns(sa.JSON(), "detail"),
        references={"item_id": "posts"},
        primary_key="id",
        indexes=["item_id"],
    )
    create_table(
        "spark_codes",
        *ids("authorization_id"),
        *strings(code_digest=64, code_hint=16),
        *ids("item_id", "creator_id"),
        *columns(sa.Integer(), "duration_days"),
        *times("starts_at", "ends_at"),
        *times("revoked_at", nullable=True),
        *times("created_at"),
        references={"creator_id": "creators", "item_id": "posts"},
        primary_key="authorization_id",
        unique=("code_digest",),
        indexes=["creator_id", "item_id"],
    )
    create_table(
        "access_requests",
        *strings(request_id=48, kind=24),
        *ids("bc_id", "advertiser_id", "creator_id", nullable=True),
        *strings(message=500, status=12),
        *ids("identity_id", nullable=True),
        *times("created_at"),
        *times("decided_at", "ended_at", nullable=True),
        *strings(ended_by=20, nullable=True),
        references={
            "advertiser_id": "advertisers",
            "bc_id": "business_centers",
            "creator_id": "creators",
            "identity_id": "identities",
        },
        primary_key="request_id",
        indexes=["bc_id", "creator_id"],
    )
    create_table(
        "library_items",
        int_serial(),
        *ids("advertiser_id", "item_id", "authorization_id"),
        *ids("original_authorization_id", nullable=True),
        *ids("identity_id"),
        *times("bound_at"),
        *times("unbound_at", nullable=True),
        references={
            "advertiser_id": "advertisers",
            "authorization_id": "spark_codes",
            "identity_id": "identities",
            "item_id": "posts",
            "original_authorization_id": "spark_codes.authorization_id",
        },
        primary_key="id",
        unique=("advertiser_id", "item_id"),
        indexes=["advertiser_id"],
    )


def downgrade() -> None:
    drop_table("library_items", "ix_library_items_advertiser_id")
    drop_table("access_requests", "ix_access_requests_creator_id", "ix_access_requests_bc_id")
    drop_table("spark_codes", "ix_spark_codes_item_id", "ix_spark_codes_creator_id")
    drop_table("post_history", "ix_post_history_item_id")
    drop_table("identities", "ix_identities_owner", "ix_identities_creator_id")
    drop_table("posts", "ix_posts_creator_published")
    drop_table("advertisers", "ix_advertisers_bc_id")
    drop_table("creators")
    drop_table("business_centers")
    drop_table("access_tokens", "ix_access_tokens_subject")
