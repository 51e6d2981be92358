"""developer apps (TikTok-style OAuth): apps with hashed secrets and redirect URIs, single-use
authorization codes, and the app and approved ad accounts of the tokens they obtain; report tasks
(report/task/create/) with their CSV; CUSTOMIZED_USER identities (identity/create/); ad accounts shared with partner Business Centers
(bc/partner/add/)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import ids, key, ref, times

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.create_table(
        "developer_apps",
        key("app_id"),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("redirect_uris", sa.String(length=2000), nullable=False),
        *times("created_at"),
        *times("disabled_at", nullable=True),
    )
    op.create_table(
        "oauth_auth_codes",
        sa.Column("code_hash", sa.String(length=64), primary_key=True),
        ref("app_id", "developer_apps.app_id"),
        ref("user_id", "users.user_id"),
        *ids("bc_id"),
        sa.Column("advertiser_ids", sa.String(length=2000), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("redirect_uri", sa.String(length=500), nullable=False),
        *times("created_at", "expires_at"),
        *times("used_at", nullable=True),
    )
    op.create_index("ix_oauth_auth_codes_app_id", "oauth_auth_codes", ["app_id"])
    with op.batch_alter_table("access_tokens") as batch:
        batch.add_column(sa.Column("app_id", sa.String(length=24), nullable=True))
        batch.add_column(
            sa.Column("advertiser_ids", sa.String(length=2000), nullable=False, server_default="")
        )
        batch.create_index("ix_access_tokens_app_id", ["app_id"])

    op.create_table(
        "report_tasks",
        key("task_id"),
        *ids("advertiser_id"),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        *times("created_at"),
        *times("finished_at", nullable=True),
    )
    op.create_index("ix_report_tasks_advertiser", "report_tasks", ["advertiser_id", "created_at"])
    op.create_table(
        "custom_identities",
        key("identity_id"),
        ref("advertiser_id", "advertisers.advertiser_id"),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("image_uri", sa.String(length=200), nullable=False),
        *times("created_at"),
    )
    op.create_index(
        "ix_custom_identities_advertiser", "custom_identities", ["advertiser_id", "created_at"]
    )
    op.create_table(
        "bc_partner_shares",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        ref("bc_id", "business_centers.bc_id"),
        ref("partner_id", "business_centers.bc_id"),
        ref("asset_id", "advertisers.advertiser_id"),
        sa.Column("role", sa.String(length=20), nullable=False),
        *times("created_at"),
        sa.UniqueConstraint("bc_id", "partner_id", "asset_id"),
    )
    op.create_index("ix_bc_partner_shares_partner", "bc_partner_shares", ["partner_id", "asset_id"])


def downgrade() -> None:
    op.drop_index("ix_bc_partner_shares_partner", table_name="bc_partner_shares")
    op.drop_table("bc_partner_shares")
    op.drop_index("ix_custom_identities_advertiser", table_name="custom_identities")
    op.drop_table("custom_identities")
    op.drop_index("ix_report_tasks_advertiser", table_name="report_tasks")
    op.drop_table("report_tasks")
    with op.batch_alter_table("access_tokens") as batch:
        batch.drop_index("ix_access_tokens_app_id")
        batch.drop_column("advertiser_ids")
        batch.drop_column("app_id")
    op.drop_index("ix_oauth_auth_codes_app_id", table_name="oauth_auth_codes")
    op.drop_table("oauth_auth_codes")
    op.drop_table("developer_apps")
