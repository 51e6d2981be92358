"""people disabled by an operator: `users.disabled_at`

`sparkads users disable EMAIL` sets it (and revokes the person's web sessions and the API tokens
they made); a disabled person's password sign-in is refused as a wrong password is, until
`sparkads users enable EMAIL` clears it. People made before have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled_at")
