from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, select

from sparkads.accounts import service
from sparkads.accounts.models import Creator
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.errors import SparkadsError


@pytest.fixture
def factory(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = make_engine(database_url)
    yield UnitOfWorkFactory(engine)
    engine.dispose()


def test_leaving_without_commit_writes_nothing(
    factory: UnitOfWorkFactory, clock: TestClock
) -> None:
    def create_twice() -> None:
        with factory() as uow:
            service.create_creator(uow.session, clock, handle="half.written")
            service.create_creator(uow.session, clock, handle="half.written")  # handle_taken

    with pytest.raises(SparkadsError):
        create_twice()
    with factory() as uow:
        assert uow.session.scalars(select(Creator)).all() == []


def test_committed_work_is_kept_and_readable_after_the_block(
    factory: UnitOfWorkFactory, clock: TestClock
) -> None:
    with factory() as uow:
        creator = service.create_creator(uow.session, clock, handle="kept")
        uow.commit()
    assert creator.handle == "kept"
    with factory() as uow:
        assert [c.handle for c in uow.session.scalars(select(Creator))] == ["kept"]


def test_migrations_apply_on_an_empty_database(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    migrate.upgrade(empty_database_url)  # idempotent
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert {
        "posts",
        "spark_codes",
        "library_items",
        "identities",
        "access_requests",
        "access_tokens",
        "advertisers",
        "creators",
        "business_centers",
    } <= tables
