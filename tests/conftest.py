"""Shared fixtures: a migrated database per test (a copy of one migrated SQLite template, or with
SPARKADS_TEST_POSTGRES_URL set a PostgreSQL database cloned from a migrated template database), an
app on a test clock, and helpers that create accounts the way the CLI does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from factories.databases import Databases, PostgresDatabases, SqliteDatabases, postgres_admin_url
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# Property tests check behaviour, not speed: on a shared 2-core machine an example can take 10x
# its usual time, so no per-example deadline (speed is measured by bench/).
hypothesis_settings.register_profile("sparkads", deadline=None)
hypothesis_settings.load_profile("sparkads")


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Where tests get their databases: SQLite files, or a PostgreSQL server when one is named."""
    admin_url = postgres_admin_url()
    made: Databases = (
        PostgresDatabases(admin_url)
        if admin_url
        else SqliteDatabases(tmp_path_factory.mktemp("databases"))
    )
    yield made
    made.close()


@pytest.fixture
def database_url(databases: Databases) -> Iterator[str]:
    """A migrated database of the test's own."""
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture
def empty_database_url(databases: Databases) -> Iterator[str]:
    """A database of the test's own with no table yet, on the same kind of server."""
    url = databases.create(migrated=False)
    yield url
    databases.drop(url)


@pytest.fixture
def clock() -> TestClock:
    return TestClock(START)


@pytest.fixture(scope="session")
def keys_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The signing and sealing keys of the test apps: a key file of the session, made on first use."""
    return str(tmp_path_factory.mktemp("keys") / "keys.json")


@pytest.fixture
def settings(database_url: str, keys_file: str) -> Settings:
    return Settings(
        database_url=database_url,
        keys_file=keys_file,
        public_base_url="http://testserver",
        sandbox=True,
        auth_code_max_failures=5,
        seed=7,
        background_refresh=False,  # the snapshot is rebuilt synchronously when stale
    )


@pytest.fixture
def client(settings: Settings, clock: TestClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def uow(database_url: str) -> Iterator[UnitOfWork]:
    engine = make_engine(database_url)
    with UnitOfWorkFactory(engine)() as unit:
        yield unit
    engine.dispose()
