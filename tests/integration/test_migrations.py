from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sparkads.db.base import Base
from sparkads.db.engine import make_engine
from sparkads.db.migrate import import_models, upgrade


def test_migrations_create_exactly_what_the_models_declare(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    import_models()
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
