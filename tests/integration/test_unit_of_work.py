from __future__ import annotations

import pytest
from sqlalchemy import select

from sparkads.accounts import service
from sparkads.accounts.models import Creator
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.errors import SparkadsError


def test_leaving_without_commit_writes_nothing(database_url: str, clock: TestClock) -> None:
    factory = UnitOfWorkFactory(make_engine(database_url))

    def create_twice() -> None:
        with factory() as uow:
            service.create_creator(uow.session, clock, handle="half.written")
            service.create_creator(uow.session, clock, handle="half.written")  # handle_taken

    with pytest.raises(SparkadsError):
        create_twice()
    with factory() as uow:
        assert uow.session.scalars(select(Creator)).all() == []


def test_committed_work_is_kept_and_readable_after_the_block(
    database_url: str, clock: TestClock
) -> None:
    factory = UnitOfWorkFactory(make_engine(database_url))
    with factory() as uow:
        creator = service.create_creator(uow.session, clock, handle="kept")
        uow.commit()
    assert creator.handle == "kept"
    with factory() as uow:
        assert [c.handle for c in uow.session.scalars(select(Creator))] == ["kept"]


def test_migrations_apply_on_an_empty_database(tmp_path: object) -> None:
    from sparkads.db import migrate

    url = f"sqlite:///{tmp_path}/fresh.db"
    migrate.upgrade(url)
    migrate.upgrade(url)  # idempotent
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
        }
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
