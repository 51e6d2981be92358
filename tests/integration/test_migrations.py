from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from sparkads.db.base import Base
from sparkads.db.engine import make_engine
from sparkads.db.migrate import import_models, upgrade


def _not_partitioning(obj: Any, name: str | None, kind: str, reflected: bool, _: Any) -> bool:
    """On PostgreSQL the events table is partitioned by day (migration 0016): its partitions,
    its partition key `decision_day` and the unique key that includes it are the migration's,
    not the model's (which SQLite uses as declared)."""
    if kind == "table" and name and (name == "events_default" or name.startswith("events_p")):
        return False
    if kind == "column" and name == "decision_day" and obj.table.name == "events":
        return False
    return not (kind == "unique_constraint" and name == "uq_events_decision_id")


def test_migrations_create_exactly_what_the_models_declare(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    import_models()
    engine = make_engine(empty_database_url)
    postgres = engine.dialect.name == "postgresql"
    opts = {"include_object": _not_partitioning} if postgres else {}
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=opts)
        differences = compare_metadata(context, Base.metadata)
        if postgres:
            key = connection.execute(
                text(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conname = 'uq_events_decision_id'"
                )
            ).scalar()
            assert key == "UNIQUE (decision_id, event_type, decision_day)"
    engine.dispose()
    assert differences == []
