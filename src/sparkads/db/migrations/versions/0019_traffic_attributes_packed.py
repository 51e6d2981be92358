"""traffic log and viewer profiles: the viewer's attributes packed in one `attributes` text

The eleven attribute columns of `traffic_requests` and `viewer_profiles` become one text, the
values joined by "|" in the order country, region, language, age, gender, os, os_version, network,
device_price, interests, behaviours, an absent value empty (`traffic.attributes.packed`): the
intake binds one value instead of eleven per row. Downgrading splits the text back into the
columns (a row at a time, in Python: SQL has no portable split).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"

TABLES = {"traffic_requests": "id", "viewer_profiles": "viewer_key"}
# as 0010 made them (frozen here: the migration must not follow later models)
COLUMNS = (
    ("country", sa.String(2)), ("region", sa.String(8)), ("language", sa.String(8)),
    ("age", sa.SmallInteger()), ("gender", sa.String(6)), ("os", sa.String(8)),
    ("os_version", sa.String(8)), ("network", sa.String(4)), ("device_price", sa.Integer()),
    ("interests", sa.Text()), ("behaviours", sa.Text()),
)  # fmt: skip
NUMBERS, LISTS = {"age", "device_price"}, {"interests", "behaviours"}
BATCH = 5_000


def upgrade() -> None:
    text = " || '|' || ".join(f"COALESCE(CAST({name} AS TEXT), '')" for name, _ in COLUMNS)
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("attributes", sa.Text(), nullable=False, server_default=""))
        op.execute(f"UPDATE {table} SET attributes = {text}")  # noqa: S608 (our own names)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("attributes", server_default=None)
            for name, _ in COLUMNS:
                batch.drop_column(name)


def _values(packed: str) -> dict[str, object]:
    parts = packed.split("|")
    if len(parts) != len(COLUMNS):  # not written by the intake: kept as no attributes
        parts = [""] * len(COLUMNS)
    return {
        name: (int(v) if name in NUMBERS else v) if v or name in LISTS else None
        for (name, _), v in zip(COLUMNS, parts, strict=True)
    }


def downgrade() -> None:
    connection = op.get_bind()
    for table, key in TABLES.items():
        with op.batch_alter_table(table) as batch:
            for name, kind in COLUMNS:
                listed = name in LISTS  # NOT NULL: filled with "" until the update below
                batch.add_column(
                    sa.Column(
                        name, kind, nullable=not listed, server_default="" if listed else None
                    )
                )
        update = sa.text(
            f"UPDATE {table} SET "  # noqa: S608 (our own names)
            + ", ".join(f"{name} = :{name}" for name, _ in COLUMNS)
            + f" WHERE {key} = :key"
        )
        rows = connection.execute(sa.text(f"SELECT {key}, attributes FROM {table}")).all()  # noqa: S608
        for start in range(0, len(rows), BATCH):
            part = rows[start : start + BATCH]
            connection.execute(update, [{"key": k, **_values(text)} for k, text in part])
        with op.batch_alter_table(table) as batch:
            for name in LISTS:
                batch.alter_column(name, server_default=None)
            batch.drop_column("attributes")
