from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from sparkads.db.column_limits import refuse_nul_parameters
from sparkads.db.write_lock import WriteLockedConnection

# Every commit on SQLite is durable across an OS crash or power cut before it is acknowledged: FULL
# syncs the WAL at each commit (NORMAL only survives a process crash). PostgreSQL keeps its defaults
# (fsync on, synchronous_commit on), which are power-safe. docs/scaling.md has the measured cost.
SQLITE_SYNCHRONOUS = "FULL"

# The class of every SQLite connection: writers queue on a file lock (db.write_lock). The events
# benchmark sets sqlite3.Connection to compare with SQLite's busy handler in the same run.
SQLITE_CONNECTION: type[sqlite3.Connection] = WriteLockedConnection

# The PostgreSQL driver sparkads installs (the `postgres` extra): psycopg 3.
POSTGRES_DRIVER = "postgresql+psycopg"


def normalise_url(database_url: str) -> URL:
    """The URL with sparkads' driver: plain `postgresql://` (and `postgres://`) mean psycopg 3."""
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername=POSTGRES_DRIVER)
    return url


def make_engine(database_url: str) -> Engine:
    """An engine for the URL. SQLite files get WAL, power-safe commits (`synchronous=FULL`),
    foreign keys, writers queued on a file lock (`db.write_lock`) and a busy timeout; PostgreSQL
    sessions run in UTC, whatever the server's default time zone."""
    url = normalise_url(database_url)
    engine = _sqlite_engine(url) if url.get_backend_name() == "sqlite" else _server_engine(url)
    refuse_nul_parameters(engine)
    return engine


def _server_engine(url: URL) -> Engine:
    if url.get_backend_name() != "postgresql":
        return create_engine(url, pool_pre_ping=True)
    # Times are stored and compared in UTC (timestamptz); a session in the server's local zone
    # would hand back datetimes in that zone and group SQL dates by it. Options of the URL are kept.
    given = url.query.get("options")
    options = " ".join([*([given] if isinstance(given, str) else given or ()), "-c timezone=UTC"])
    return create_engine(url.update_query_dict({"options": options}), pool_pre_ping=True)


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # writers queue on a file lock next to the database rather than in the busy handler's sleeps
    # (db.write_lock); the busy timeout stays for writers that do not take it
    connect_args = {"check_same_thread": False, "timeout": 30, "factory": SQLITE_CONNECTION}
    engine = create_engine(url, connect_args=connect_args)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
    cursor.close()
