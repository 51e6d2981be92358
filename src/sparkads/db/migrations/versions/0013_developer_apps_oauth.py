"""developer apps (TikTok-style OAuth): apps with hashed secrets and redirect URIs, single-use
authorization codes, and the app and approved ad accounts of the tokens they obtain; report tasks
(report/task/create/) with their CSV; CUSTOMIZED_USER identities (identity/create/); ad accounts shared with partner Business Centers
(bc/partner/add/)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import columns, ids, key, ref, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    create_table(
        "developer_apps",
        key("app_id"),
        *strings(name=100, secret_hash=64, redirect_uris=2000),
        *times("created_at"),
        *times("disabled_at", nullable=True),
    )
    create_table(
        "oauth_auth_codes",
        sa.Column("code_hash", sa.String(length=64), primary_key=True),
        ref("app_id", "developer_apps.app_id"),
        ref("user_id", "users.user_id"),
        *ids("bc_id"),
        *strings(advertiser_ids=2000, role=20, redirect_uri=500),
        *times("created_at", "expires_at"),
        *times("used_at", nullable=True),
        indexes=[("ix_oauth_auth_codes_app_id", ["app_id"])],
    )
    with op.batch_alter_table("access_tokens") as batch:
        batch.add_column(sa.Column("app_id", sa.String(length=24), nullable=True))
        batch.add_column(
            sa.Column("advertiser_ids", sa.String(length=2000), nullable=False, server_default="")
        )
        batch.create_index("ix_access_tokens_app_id", ["app_id"])

    create_table(
        "report_tasks",
        key("task_id"),
        *ids("advertiser_id"),
        *strings(file_name=200, status=20, message=500),
        *columns(sa.Integer(), "rows"),
        *columns(sa.Text(), "content"),
        *times("created_at"),
        *times("finished_at", nullable=True),
        indexes=[("ix_report_tasks_advertiser", ["advertiser_id", "created_at"])],
    )
    create_table(
        "custom_identities",
        key("identity_id"),
        ref("advertiser_id", "advertisers.advertiser_id"),
        *strings(display_name=100, image_uri=200),
        *times("created_at"),
        indexes=[("ix_custom_identities_advertiser", ["advertiser_id", "created_at"])],
    )
    create_table(
        "bc_partner_shares",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        ref("bc_id", "business_centers.bc_id"),
        ref("partner_id", "business_centers.bc_id"),
        ref("asset_id", "advertisers.advertiser_id"),
        *strings(role=20),
        *times("created_at"),
        sa.UniqueConstraint("bc_id", "partner_id", "asset_id"),
        indexes=[("ix_bc_partner_shares_partner", ["partner_id", "asset_id"])],
    )


def downgrade() -> None:
    drop_table("bc_partner_shares", "ix_bc_partner_shares_partner")
    drop_table("custom_identities", "ix_custom_identities_advertiser")
    drop_table("report_tasks", "ix_report_tasks_advertiser")
    with op.batch_alter_table("access_tokens") as batch:
        batch.drop_index("ix_access_tokens_app_id")
        batch.drop_column("advertiser_ids")
        batch.drop_column("app_id")
    drop_table("oauth_auth_codes", "ix_oauth_auth_codes_app_id")
    drop_table("developer_apps")
