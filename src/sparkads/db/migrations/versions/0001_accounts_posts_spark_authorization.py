"""accounts, posts, spark authorization"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import create_indexes, drop_table, foreign_keys, ids, pk, times

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "access_tokens",
        *ids("token_id"),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        *ids("subject_id"),
        sa.Column("label", sa.String(length=100), nullable=False),
        *times("created_at"),
        *times("revoked_at", nullable=True),
        pk("access_tokens", "token_id"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_tokens_token_hash")),
    )
    create_indexes("access_tokens", ("ix_access_tokens_subject", ["scope", "subject_id"]))

    op.create_table(
        "business_centers",
        *ids("bc_id"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        *times("created_at"),
        pk("business_centers", "bc_id"),
    )
    op.create_table(
        "creators",
        *ids("creator_id"),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("followers", sa.Integer(), nullable=False),
        sa.Column("paid_followers", sa.Integer(), nullable=False),
        sa.Column("bio", sa.String(length=500), nullable=False),
        *times("created_at"),
        pk("creators", "creator_id"),
        sa.UniqueConstraint("handle", name=op.f("uq_creators_handle")),
    )
    op.create_table(
        "advertisers",
        *ids("advertiser_id"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        *ids("bc_id", nullable=True),
        *times("created_at"),
        *foreign_keys("advertisers", bc_id="business_centers"),
        pk("advertisers", "advertiser_id"),
    )
    create_indexes("advertisers", "bc_id")

    op.create_table(
        "posts",
        *ids("item_id", "creator_id"),
        sa.Column("item_type", sa.String(length=12), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("caption", sa.String(length=2200), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("ads_only", sa.Boolean(), nullable=False),
        sa.Column("music_title", sa.String(length=200), nullable=True),
        sa.Column("music_cleared", sa.Boolean(), nullable=False),
        sa.Column("anchors", sa.JSON(), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        *ids("original_item_id", nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_reason", sa.String(length=300), nullable=False),
        sa.Column("organic_views", sa.Integer(), nullable=False),
        sa.Column("organic_likes", sa.Integer(), nullable=False),
        sa.Column("organic_comments", sa.Integer(), nullable=False),
        sa.Column("organic_shares", sa.Integer(), nullable=False),
        sa.Column("paid_views", sa.Integer(), nullable=False),
        sa.Column("paid_likes", sa.Integer(), nullable=False),
        sa.Column("paid_comments", sa.Integer(), nullable=False),
        sa.Column("paid_shares", sa.Integer(), nullable=False),
        sa.Column("paid_profile_visits", sa.Integer(), nullable=False),
        *times("caption_locked_at", nullable=True),
        *times("published_at", "updated_at"),
        *foreign_keys("posts", creator_id="creators", original_item_id="posts.item_id"),
        pk("posts", "item_id"),
    )
    create_indexes("posts", ("ix_posts_creator_published", ["creator_id", "published_at"]))

    op.create_table(
        "identities",
        *ids("identity_id"),
        sa.Column("identity_type", sa.String(length=16), nullable=False),
        *ids("creator_id"),
        *ids("advertiser_id", "bc_id", nullable=True),
        *times("created_at"),
        *times("ended_at", nullable=True),
        *foreign_keys(
            "identities",
            advertiser_id="advertisers",
            bc_id="business_centers",
            creator_id="creators",
        ),
        pk("identities", "identity_id"),
    )
    create_indexes(
        "identities",
        "creator_id",
        ("ix_identities_owner", ["identity_type", "advertiser_id", "bc_id"]),
    )

    op.create_table(
        "post_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *ids("item_id"),
        *times("at"),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        *foreign_keys("post_history", item_id="posts"),
        pk("post_history", "id"),
    )
    create_indexes("post_history", "item_id")

    op.create_table(
        "spark_codes",
        *ids("authorization_id"),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("code_hint", sa.String(length=16), nullable=False),
        *ids("item_id", "creator_id"),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        *times("starts_at", "ends_at"),
        *times("revoked_at", nullable=True),
        *times("created_at"),
        *foreign_keys("spark_codes", creator_id="creators", item_id="posts"),
        pk("spark_codes", "authorization_id"),
        sa.UniqueConstraint("code_digest", name=op.f("uq_spark_codes_code_digest")),
    )
    create_indexes("spark_codes", "creator_id", "item_id")

    op.create_table(
        "access_requests",
        sa.Column("request_id", sa.String(length=48), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        *ids("bc_id", "advertiser_id", "creator_id", nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        *ids("identity_id", nullable=True),
        *times("created_at"),
        *times("decided_at", "ended_at", nullable=True),
        sa.Column("ended_by", sa.String(length=20), nullable=True),
        *foreign_keys(
            "access_requests",
            advertiser_id="advertisers",
            bc_id="business_centers",
            creator_id="creators",
            identity_id="identities",
        ),
        pk("access_requests", "request_id"),
    )
    create_indexes("access_requests", "bc_id", "creator_id")

    op.create_table(
        "library_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *ids("advertiser_id", "item_id", "authorization_id"),
        *ids("original_authorization_id", nullable=True),
        *ids("identity_id"),
        *times("bound_at"),
        *times("unbound_at", nullable=True),
        *foreign_keys(
            "library_items",
            advertiser_id="advertisers",
            authorization_id="spark_codes",
            identity_id="identities",
            item_id="posts",
            original_authorization_id="spark_codes.authorization_id",
        ),
        pk("library_items", "id"),
        sa.UniqueConstraint(
            "advertiser_id", "item_id", name=op.f("uq_library_items_advertiser_id")
        ),
    )
    create_indexes("library_items", "advertiser_id")


def downgrade() -> None:
    drop_table("library_items", "ix_library_items_advertiser_id")
    drop_table("access_requests", "ix_access_requests_creator_id", "ix_access_requests_bc_id")
    drop_table("spark_codes", "ix_spark_codes_item_id", "ix_spark_codes_creator_id")
    drop_table("post_history", "ix_post_history_item_id")
    drop_table("identities", "ix_identities_owner", "ix_identities_creator_id")
    drop_table("posts", "ix_posts_creator_published")
    drop_table("advertisers", "ix_advertisers_bc_id")
    op.drop_table("creators")
    op.drop_table("business_centers")
    drop_table("access_tokens", "ix_access_tokens_subject")
