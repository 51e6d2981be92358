"""security: demo accounts (the only ones a sandbox signs in without a token), people (users,
memberships with roles, password resets), token roles and expiry, web sessions as tokens
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import ids, key, ref, times

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    with op.batch_alter_table("access_tokens") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=20), nullable=False, server_default="admin")
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("web_session", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("user_id", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "users",
        key("user_id"),
        sa.Column("email", sa.String(length=254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        *times("created_at", "password_changed_at"),
    )
    op.create_table(
        "memberships",
        key("membership_id"),
        ref("user_id", "users.user_id"),
        sa.Column("scope", sa.String(length=20), nullable=False),
        *ids("subject_id"),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("advertiser_ids", sa.String(length=2000), nullable=False),
        *times("created_at"),
    )
    op.create_index("ix_memberships_user", "memberships", ["user_id"])
    op.create_table(
        "password_resets",
        sa.Column("reset_hash", sa.String(length=64), primary_key=True),
        ref("user_id", "users.user_id"),
        *times("created_at", "expires_at"),
        *times("used_at", nullable=True),
    )
    op.create_table(
        "demo_accounts",
        sa.Column("kind", sa.String(length=20), primary_key=True),
        key("subject_id"),
        *times("created_at"),
    )


def downgrade() -> None:
    op.drop_table("demo_accounts")
    op.drop_table("password_resets")
    op.drop_index("ix_memberships_user", table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("users")
    with op.batch_alter_table("access_tokens") as batch:
        for column in ("last_used_at", "user_id", "web_session", "expires_at", "role"):
            batch.drop_column(column)
