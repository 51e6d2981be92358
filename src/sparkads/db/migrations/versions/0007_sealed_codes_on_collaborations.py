"""sealed Spark codes on collaborations (tcm/tt_video/status/ returns them to the brand)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("collaborations") as batch:
        batch.add_column(sa.Column("sealed_code", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collaborations") as batch:
        batch.drop_column("sealed_code")
