"""Fresh migrated databases for tests: SQLite files copied from a migrated template file, or, when
SPARKADS_TEST_POSTGRES_URL names a PostgreSQL server, databases cloned from a migrated template
database with `CREATE DATABASE … TEMPLATE …` (a few tens of milliseconds), so every test still
gets a database of its own."""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, text

from sparkads.db import migrate
from sparkads.db.engine import make_engine, normalise_url

# An admin URL (a role allowed to create databases) on a server the tests may create databases on.
POSTGRES_ENV = "SPARKADS_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


class Databases(Protocol):
    def create(self, *, migrated: bool = True) -> str:
        """A new database of its own, migrated to head unless told otherwise; its URL."""
        ...

    def drop(self, url: str) -> None: ...

    def close(self) -> None: ...


class SqliteDatabases:
    """Copies of one migrated SQLite file."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._names = itertools.count(1)
        self._template = directory / "template.db"
        migrate.upgrade(f"sqlite:///{self._template}")

    def create(self, *, migrated: bool = True) -> str:
        path = self._directory / f"test-{next(self._names)}.db"
        if migrated:
            shutil.copy(self._template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        """Kept: the files stay in pytest's temporary directory for a look after a failure."""

    def close(self) -> None:
        pass


class PostgresDatabases:
    """One migrated template database per test session, and a clone of it per test.

    A worker thread clones the next test's database and drops the last one while a test runs,
    so a test waits for neither (each takes about 0.1 s of the server's time)."""

    def __init__(self, admin_url: str) -> None:
        self._admin_url = normalise_url(admin_url)
        self._admin: Engine = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
        self._prefix = f"sparkads_test_{uuid.uuid4().hex[:8]}"
        self._names = itertools.count(1)
        self.template = f"{self._prefix}_template"
        self._execute(f'CREATE DATABASE "{self.template}"')
        migrate.upgrade(self.url(self.template))
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="test-databases")
        self._next: Future[str] | None = None
        self._drops: list[Future[None]] = []

    def url(self, name: str) -> str:
        return self._admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, migrated: bool = True) -> str:
        if not migrated:
            return self._clone("template0")
        ready = self._next or self._worker.submit(self._clone, self.template)
        self._next = self._worker.submit(self._clone, self.template)
        return ready.result()

    def drop(self, url: str) -> None:
        self._drops.append(self._worker.submit(self._drop, url))

    def close(self) -> None:
        if self._next is not None:
            self.drop(self._next.result())
        for dropped in self._drops:
            dropped.result()  # a failed drop shows here
        self._worker.shutdown()
        self._drop(self.url(self.template))
        self._admin.dispose()

    def _clone(self, template: str) -> str:
        name = f"{self._prefix}_{next(self._names)}"
        # FILE_COPY: a plain file copy is faster than WAL_LOG for a database this small.
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return self.url(name)

    def _drop(self, url: str) -> None:
        name = normalise_url(url).database
        # FORCE: a connection a test left open must not keep the database alive.
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _execute(self, statement: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(statement))
