"""SQLite writers queue on a file lock instead of sleeping in SQLite's busy handler.

SQLite has one writer at a time. A connection that finds the write lock taken calls its busy
handler, which sleeps (1, 2, 5, 10 … 100 ms) and tries again: two serve processes writing batches
of events to one file spend much of their time asleep while the lock is free, and were slower
together than one alone. Here every connection to a database file (`connect_args["factory"]` of
the engine, `db.engine`) starts its write transactions with `BEGIN IMMEDIATE` while holding an
exclusive `flock` on a file next to the database (`<database>-writer`), released as soon as the
transaction ends (commit or rollback). The kernel hands the lock to the next waiter the moment it
is released, across threads and processes alike (each connection opens the file itself, and
`flock` locks belong to the open file), so writers never sleep on the lock and everything before
the first write of a transaction (decoding, token checks, reads) still runs side by side.

A write is what Python's sqlite3 module would open a transaction for: INSERT, UPDATE, DELETE,
REPLACE (and SAVEPOINT, which opens one in SQLite) outside a transaction. DDL and statements inside
a transaction already open are left alone, and a writer that does not take the lock (another
program) still meets the busy handler, as before. A thread that already holds the lock through
another connection does not wait on itself: that connection falls back on the busy handler.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite3 import _Parameters as Parameters

LOCK_SUFFIX = "-writer"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT")
_threads = threading.local()
Factory = Callable[[sqlite3.Connection], sqlite3.Cursor]


def _held() -> list[int]:
    """How many write locks this thread holds, through any connection (one counter a thread)."""
    counter: list[int] | None = getattr(_threads, "counter", None)
    if counter is None:
        counter = _threads.counter = [0]
    return counter


def lock_path(database: str) -> str | None:
    """The lock file of a database file; None for in-memory and URI databases."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + LOCK_SUFFIX


class WriteLockedConnection(sqlite3.Connection):
    """A sqlite3 connection whose write transactions hold the database's writer lock."""

    def __init__(self, database: str | bytes | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        path = lock_path(os.fsdecode(database)) if not kwargs.get("uri") else None
        self._lock_fd = (
            os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644) if path else None
        )
        self._holding: list[int] | None = None  # the holding thread's counter
        self.waits = 0  # times this connection found the lock taken (tests, diagnostics)

    def cursor(self, factory: Factory | None = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or WriteLockedCursor)

    def execute(self, sql: str, parameters: Parameters = (), /) -> sqlite3.Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Parameters], /) -> sqlite3.Cursor:
        return self.cursor().executemany(sql, parameters)

    def before(self, sql: str) -> None:
        """Called before each statement: a write outside a transaction begins one, locked."""
        if self._holding is not None and not self.in_transaction:
            self._release()  # ended by a COMMIT or ROLLBACK statement rather than commit()
        if self._lock_fd is None or self.in_transaction:
            return
        if sql.lstrip()[:9].upper().startswith(_WRITES):
            self.begin_write()

    def begin_write(self) -> None:
        """BEGIN IMMEDIATE under the writer lock (waiting for it without sleeping)."""
        if self._lock_fd is None or self.in_transaction:
            return
        held = _held()
        if held[0]:  # this thread holds it through another connection: the busy handler
            sqlite3.Connection.execute(self, "BEGIN IMMEDIATE")
            return
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.waits += 1
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        self._holding = held
        held[0] += 1
        try:
            sqlite3.Connection.execute(self, "BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def commit(self) -> None:
        self._end(super().commit)

    def rollback(self) -> None:
        self._end(super().rollback)

    def _end(self, finish: Callable[[], None]) -> None:
        try:
            finish()
        finally:
            if not self.in_transaction:
                self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def _release(self) -> None:
        if self._holding is not None and self._lock_fd is not None:
            self._holding[0] -= 1
            self._holding = None
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)


class WriteLockedCursor(sqlite3.Cursor):
    connection: WriteLockedConnection

    def execute(self, sql: str, parameters: Parameters = (), /) -> WriteLockedCursor:
        self.connection.before(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Parameters], /) -> WriteLockedCursor:
        self.connection.before(sql)
        return super().executemany(sql, parameters)
