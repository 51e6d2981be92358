"""SQLite writers queue on the file lock next to the database (db.write_lock) instead of the busy
handler: with the busy timeout at zero, concurrent writers in threads and in another process all
succeed (without the lock they fail with "database is locked"), and reads never take it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from sparkads.db.engine import make_engine
from sparkads.db.write_lock import LOCK_SUFFIX, WriteLockedConnection

WRITES_EACH = 40


def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=0")  # a writer that meets the lock fails at once


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    event.listen(engine, "connect", _no_busy_wait)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)"))
    return engine


def _write(engine: Engine, who: str, failures: list[BaseException]) -> None:
    try:
        for n in range(WRITES_EACH):
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO t (who, n) VALUES (:w, :n)"), {"w": who, "n": n}
                )
                connection.execute(text("UPDATE t SET n = n + 1 WHERE who = :w"), {"w": who})
    except BaseException as error:
        failures.append(error)


def test_writers_in_threads_queue_on_the_lock_without_the_busy_handler(engine: Engine) -> None:
    failures: list[BaseException] = []
    threads = [threading.Thread(target=_write, args=(engine, f"t{i}", failures)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 4 * WRITES_EACH
    engine.dispose()


def test_without_the_lock_the_same_writers_fail(tmp_path: Path) -> None:
    """The control: plain sqlite3 connections, same work, busy timeout zero."""
    path = tmp_path / "plain.db"
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)")
    failures: list[BaseException] = []

    def write(who: str) -> None:
        connection = sqlite3.connect(path, timeout=0, check_same_thread=False)
        try:
            for n in range(WRITES_EACH):
                connection.execute("INSERT INTO t (who, n) VALUES (?, ?)", (who, n))
                connection.execute("UPDATE t SET n = n + 1 WHERE who = ?", (who,))
                connection.commit()
        except sqlite3.OperationalError as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures, "four unlocked writers never met each other: the first test proves nothing"


def test_writers_in_two_processes_queue_on_the_lock(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string()
    script = (
        "import sys\n"
        "from sqlalchemy import event, text\n"
        "from sparkads.db.engine import make_engine\n"
        "engine = make_engine(sys.argv[1])\n"
        "event.listen(engine, 'connect', lambda c, r: c.execute('PRAGMA busy_timeout=0'))\n"
        "for n in range(int(sys.argv[2])):\n"
        "    with engine.begin() as connection:\n"
        "        connection.execute(text(\"INSERT INTO t (who, n) VALUES ('p', :n)\"), {'n': n})\n"
        "        connection.execute(text(\"UPDATE t SET n = n + 1 WHERE who = 'p'\"))\n"
    )
    other = subprocess.Popen([sys.executable, "-c", script, url, str(WRITES_EACH * 3)])
    failures: list[BaseException] = []
    _write(engine, "here", failures)
    assert other.wait(timeout=60) == 0
    assert failures == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == WRITES_EACH * 4
    engine.dispose()


def test_reads_do_not_take_the_lock_and_a_transaction_releases_it(engine: Engine) -> None:
    with engine.connect() as reader:
        raw = reader.connection.driver_connection
        assert isinstance(raw, WriteLockedConnection)
        reader.execute(text("SELECT count(*) FROM t"))
        with engine.begin() as writer:  # a write while the reader's connection is open
            writer.execute(text("INSERT INTO t (who, n) VALUES ('w', 1)"))
        assert raw.waits == 0
    lock = Path(str(engine.url.database) + LOCK_SUFFIX)
    assert lock.exists()
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO t (who, n) VALUES ('r', 1)"))
        connection.rollback()
    with engine.begin() as connection:  # the rolled-back write let the lock go
        connection.execute(text("INSERT INTO t (who, n) VALUES ('s', 1)"))
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 2
    engine.dispose()
