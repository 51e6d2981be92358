"""The unit of work: one transaction, owned by the entrypoint that opens it.

Services receive `uow.session`, may flush, never commit. The entrypoint calls `uow.commit()`; leaving
the block without it (or on an exception) rolls everything back, so a failed request writes nothing.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from sparkads.db import audit, change_feed
from sparkads.db.column_limits import check_before_flush


class UnitOfWork:
    """`nested`: a unit inside a transaction that its caller owns (the simulator's world): its
    commit only flushes, and leaving it closes nothing (the caller commits, or rolls back)."""

    def __init__(self, session: Session, *, nested: bool = False) -> None:
        self.session = session
        self.nested = nested

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed, and unlike rollback() it leaves loaded
        # objects readable (detached) for the response that is still being built.
        if not self.nested:
            self.session.close()

    def commit(self) -> None:
        if self.nested:
            self.session.flush()
        else:
            self.session.commit()


class UnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        check_before_flush(self._sessions)
        change_feed.install()  # every session of the process writes the change feed
        audit.install()  # and the audit log

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self._sessions())
