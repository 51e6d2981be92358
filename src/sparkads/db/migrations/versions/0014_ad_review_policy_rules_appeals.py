"""Ad review: review state on ads, content policy rules, appeals of takedowns

Every new or edited ad goes through review (campaigns/review.py): its state, round (2+ is a
re-review after an edit), reasons and reviewer live on the ad. Ads that existed before were
serving, so they start APPROVED. Policy rules (prohibited words and categories, domains, age
restricted categories, durations, formats) are rows an operator edits. A post taken down keeps
its creator's appeal (status, text, when).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import ids, times

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    with op.batch_alter_table("ads") as batch:
        batch.add_column(
            sa.Column("review_status", sa.String(12), nullable=False, server_default="APPROVED")
        )
        batch.add_column(
            sa.Column("review_round", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(
            sa.Column("review_reasons", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("reviewed_by", sa.String(100), nullable=False, server_default="")
        )
    op.create_index("ix_ads_review_status", "ads", ["review_status", "modify_time"])
    op.create_table(
        "policy_rules",
        *ids("rule_id"),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.String(500), nullable=False),
        *times("created_at"),
        sa.PrimaryKeyConstraint("rule_id"),
        sa.UniqueConstraint("kind", "value"),
    )
    with op.batch_alter_table("posts") as batch:
        batch.add_column(
            sa.Column("appeal_status", sa.String(12), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("appeal_text", sa.String(1000), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("appealed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("appealed_at")
        batch.drop_column("appeal_text")
        batch.drop_column("appeal_status")
    op.drop_table("policy_rules")
    op.drop_index("ix_ads_review_status", table_name="ads")
    with op.batch_alter_table("ads") as batch:
        for column in ("reviewed_by", "reviewed_at", "review_reasons", "review_round"):
            batch.drop_column(column)
        batch.drop_column("review_status")
