"""web sessions opened with an API token: `access_tokens.opened_with`, the token pasted at sign-in

A web session opened with a pasted API token keeps that token's id, so revoking the token ends the
sessions opened with it (and the tokens page tells the reader which token their session came from).
Sessions opened before, with a password or as a demo account have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"


def upgrade() -> None:
    with op.batch_alter_table("access_tokens") as batch:
        batch.add_column(sa.Column("opened_with", sa.String(length=24), nullable=True))
        batch.create_index("ix_access_tokens_opened_with", ["opened_with"])


def downgrade() -> None:
    with op.batch_alter_table("access_tokens") as batch:
        batch.drop_index("ix_access_tokens_opened_with")
        batch.drop_column("opened_with")
