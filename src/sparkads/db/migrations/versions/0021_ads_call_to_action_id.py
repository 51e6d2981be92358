"""ads: `call_to_action_id`, the dynamic CTA portfolio (creative/portfolio/create/) an ad shows
its call to action from (ad/create, ad/update); null for an ad with one call_to_action"""

from __future__ import annotations

from alembic import op

from sparkads.db.migrations.columns import ids

revision = "0021"
down_revision = "0020"


def upgrade() -> None:
    with op.batch_alter_table("ads") as batch:
        batch.add_column(*ids("call_to_action_id", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ads") as batch:
        batch.drop_column("call_to_action_id")
