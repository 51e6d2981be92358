"""The change feed: one `change_log` row per changed thing, written in the same transaction as the
change, so every serve process can follow what changed (`delivery.store` applies it as deltas to its
snapshot) without rebuilding everything.

Written at the unit-of-work level, not by each service: a `before_flush` listener on every ORM
session adds a row for each new, changed or deleted instance of a tracked table, and a
`do_orm_execute` listener does the same for UPDATE / DELETE statements on them (e.g. deleting a
campaign deletes its ad groups in one statement). A row names an *entity* and its key (for ads,
their ad group; for codes and library items, their post), not the table, so the reader only has to
find the ad groups an entity touches. A statement whose rows cannot be named (no `key = value`
condition) records the wildcard `("all", "")`: the reader then rebuilds everything.

Columns the snapshot never reads (paid counters, written by every event batch) are ignored, so
event intake writes no change rows. Ids increase but, on PostgreSQL, may commit out of order: the
reader keeps the ids it has seen above its cursor and waits a while for gaps (`ChangeCursor`)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Integer, String, delete, event, func, inspect, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, UOWTransaction, mapped_column
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnElement
from sqlalchemy.sql.operators import eq

from sparkads.db.base import Base

# table -> (entity recorded, column holding its key)
TRACKED: dict[str, tuple[str, str]] = {
    "campaigns": ("campaign", "campaign_id"),
    "adgroups": ("adgroup", "adgroup_id"),
    "ads": ("adgroup", "adgroup_id"),
    "advertisers": ("advertiser", "advertiser_id"),
    "creators": ("creator", "creator_id"),
    "posts": ("post", "item_id"),
    "spark_codes": ("post", "item_id"),
    "library_items": ("post", "item_id"),
    "identities": ("identity", "identity_id"),
    "audiences": ("audience", "audience_id"),
    "audience_members": ("audience", "audience_id"),
}
# columns no snapshot reads: a change to only these records nothing
IGNORED: dict[str, frozenset[str]] = {
    "posts": frozenset(
        {
            "paid_views",
            "paid_likes",
            "paid_comments",
            "paid_shares",
            "paid_profile_visits",
            "updated_at",
        }
    ),
    "creators": frozenset({"paid_followers", "followers", "bio", "sector"}),
}
# a `column = value` condition of an UPDATE / DELETE names these entities
KEY_COLUMNS = {
    "campaign_id": "campaign",
    "adgroup_id": "adgroup",
    "advertiser_id": "advertiser",
    "creator_id": "creator",
    "item_id": "post",
    "identity_id": "identity",
    "audience_id": "audience",
}
WILDCARD = ("all", "")
GAP_PATIENCE = 30.0  # seconds an id below the newest seen may still commit (PostgreSQL)
RETENTION = timedelta(hours=1)

Change = tuple[str, str]  # (entity, key)


class ChangeLog(Base):
    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    entity: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(index=True)


def _changed_columns(instance: object) -> set[str]:
    state = inspect(instance)
    return {
        attribute.key
        for attribute in state.mapper.column_attrs
        if state.attrs[attribute.key].history.has_changes()
    }


def _pending_changes(session: Session) -> set[Change]:
    changes: set[Change] = set()
    for instances, dirty in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for instance in instances:
            table = getattr(getattr(instance, "__table__", None), "name", None)
            tracked = TRACKED.get(table or "")
            if tracked is None:
                continue
            if dirty and not _changed_columns(instance) - IGNORED.get(table or "", frozenset()):
                continue
            key = getattr(instance, tracked[1], None)
            changes.add((tracked[0], str(key)) if key is not None else WILDCARD)
    return changes


def _record(session: Session, changes: Iterable[Change]) -> None:
    now = datetime.now(UTC)
    for entity, key in sorted(changes):
        session.add(ChangeLog(entity=entity, key=key, at=now))


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    changes = _pending_changes(session)
    if changes:
        _record(session, changes)


def _statement_changes(state: ORMExecuteState) -> set[Change] | None:
    """The entities an UPDATE / DELETE on a tracked table touches, or None if it touches none."""
    statement: Any = state.statement
    table = getattr(getattr(statement, "table", None), "name", None)
    if table not in TRACKED:
        return None
    if state.is_update:
        written = {getattr(c, "key", str(c)) for c in (statement._values or {})}
        if written and not written - IGNORED.get(table, frozenset()):
            return None
    for criterion in getattr(statement, "_where_criteria", ()):
        column = getattr(getattr(criterion, "left", None), "key", None)
        if (
            isinstance(criterion, BinaryExpression)
            and criterion.operator is eq
            and isinstance(criterion.left, ColumnElement)
            and isinstance(criterion.right, BindParameter)
            and isinstance(column, str)
            and column in KEY_COLUMNS
            and criterion.right.value is not None
        ):
            return {(KEY_COLUMNS[column], str(criterion.right.value))}
    return {WILDCARD}


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        changes = _statement_changes(state)
        if changes:
            _record(state.session, changes)


def install() -> None:
    """Record changes from every ORM session of this process (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _on_execute)


def latest(session: Session) -> int:
    return session.scalar(select(func.max(ChangeLog.id))) or 0


def prune(session: Session) -> None:
    """Forget changes older than RETENTION (a reader that far behind rebuilds in full)."""
    session.execute(delete(ChangeLog).where(ChangeLog.at < datetime.now(UTC) - RETENTION))


@dataclass
class ChangeCursor:
    """Where a reader is in the feed: every id ≤ `position` is handled, and so are `seen`."""

    position: int = 0
    seen: set[int] = field(default_factory=set)
    waiting_since: dict[int, float] = field(default_factory=dict)  # gap id -> first noticed

    def read(self, session: Session) -> list[Change]:
        rows = session.execute(
            select(ChangeLog.id, ChangeLog.entity, ChangeLog.key)
            .where(ChangeLog.id > self.position)
            .order_by(ChangeLog.id)
        ).all()
        fresh = [(row.entity, row.key) for row in rows if row.id not in self.seen]
        self.seen.update(row.id for row in rows)
        self._advance(max((row.id for row in rows), default=self.position))
        return fresh

    def _advance(self, newest: int) -> None:
        now = time.monotonic()
        while self.position < newest:
            nxt = self.position + 1
            if nxt in self.seen:
                self.seen.discard(nxt)
            else:  # a gap: a transaction still committing, or one rolled back
                first = self.waiting_since.setdefault(nxt, now)
                if now - first < GAP_PATIENCE:
                    return
            self.waiting_since.pop(nxt, None)
            self.position = nxt
