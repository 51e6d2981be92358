"""security: demo accounts (the only ones a sandbox signs in without a token), people (users,
memberships with roles, password resets), token roles and expiry, web sessions as tokens
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import ids, key, ref, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

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
    create_table(
        "users",
        key("user_id"),
        sa.Column("email", sa.String(length=254), nullable=False, unique=True),
        *strings(password_hash=200),
        *times("created_at", "password_changed_at"),
    )
    create_table(
        "memberships",
        key("membership_id"),
        ref("user_id", "users.user_id"),
        *strings(scope=20),
        *ids("subject_id"),
        *strings(role=20, advertiser_ids=2000),
        *times("created_at"),
        indexes=[("ix_memberships_user", ["user_id"])],
    )
    create_table(
        "password_resets",
        sa.Column("reset_hash", sa.String(length=64), primary_key=True),
        ref("user_id", "users.user_id"),
        *times("created_at", "expires_at"),
        *times("used_at", nullable=True),
    )
    create_table(
        "demo_accounts",
        sa.Column("kind", sa.String(length=20), primary_key=True),
        key("subject_id"),
        *times("created_at"),
    )


def downgrade() -> None:
    drop_table("demo_accounts")
    drop_table("password_resets")
    drop_table("memberships", "ix_memberships_user")
    drop_table("users")
    with op.batch_alter_table("access_tokens") as batch:
        for column in ("last_used_at", "user_id", "web_session", "expires_at", "role"):
            batch.drop_column(column)
