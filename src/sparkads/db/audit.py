"""The audit log: who changed what, when, with the values before and after, written in the same
transaction as the change.

Like the change feed (`db/change_feed.py`), it is hooked at the unit-of-work level, not in each
service, so no write path is forgotten: a `before_flush` listener on every ORM session records each
new, changed or deleted row of the audited tables (campaigns, ad groups, ads, Spark codes, library
items, identities, access grants, Business Center asset roles, memberships, API tokens, people,
advertisers), and a `do_orm_execute` listener reads the rows an UPDATE / DELETE statement on them
is about to touch (same WHERE, same transaction) and records each. Columns that change on every
write (`modify_time`) are left out; secrets (token and password hashes, code digests, access
request links) are never copied: a secret that changed shows as "(changed)".

Who: the APIs set `ACTOR` (a context variable) when they check the token's role
(`api/context.check_role`); the web app (`web/session.Web.uow`) and the CLI
(`cli/common.unit_of_work`) name the actor on the session they open (`session.info`). Anything else (background work,
scripts) is recorded as the system. Other domains add their tables to `AUDITED` (reviews, when
they land)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TypeAlias

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Table, event, inspect, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    UOWTransaction,
    composite,
    mapped_column,
)
from sqlalchemy.orm.base import NO_VALUE

from sparkads.db.base import Base

# A value as JSON keeps it (what `plain` makes of a column's value).
JsonValue: TypeAlias = str | int | float | bool | list["JsonValue"] | dict[str, "JsonValue"] | None


@dataclass(frozen=True)
class Audited:
    entity: str  # what the history calls it
    key: str  # the column naming one object
    advertiser: str | None = None  # the column naming its ad account, for per-account reading
    hashed_key: bool = False  # the key is a secret (an access request's link): store a digest


AUDITED: dict[str, Audited] = {
    "campaigns": Audited("campaign", "campaign_id", "advertiser_id"),
    "adgroups": Audited("adgroup", "adgroup_id", "advertiser_id"),
    "ads": Audited("ad", "ad_id", "advertiser_id"),
    "spark_codes": Audited("authorization", "authorization_id"),
    "library_items": Audited("library_item", "item_id", "advertiser_id"),
    "identities": Audited("identity", "identity_id", "advertiser_id"),
    "access_requests": Audited("access_grant", "request_id", "advertiser_id", hashed_key=True),
    "bc_asset_assignments": Audited("asset_role", "asset_id"),
    "memberships": Audited("membership", "membership_id"),
    "access_tokens": Audited("token", "token_id"),
    "users": Audited("person", "user_id"),
    "advertisers": Audited("advertiser", "advertiser_id", "advertiser_id"),
    # reviews: an ad's review state is on its row (above); the rules reviewers apply are here.
    # Takedowns and appeals are in each post's own history (post_history).
    "policy_rules": Audited("policy_rule", "rule_id"),
    # developer apps (their tokens are access tokens, above); partner shares of assets
    "developer_apps": Audited("developer_app", "app_id"),
    "bc_partner_shares": Audited("asset_partner_share", "id"),
    # an advertiser's dismissed recommendations (undo deletes the row)
    "recommendation_dismissals": Audited(
        "recommendation_dismissal", "dismissal_id", "advertiser_id"
    ),
}
# changed on every write, or bookkeeping: not history
SKIPPED = frozenset({"modify_time", "updated_at", "last_used_at"})
# never copied into the log; a change shows as CHANGED_MARK
SECRETS = frozenset(
    {"token_hash", "password_hash", "code_digest", "request_id", "secret_hash", "code_hash"}
)
CHANGED_MARK = "(changed)"
# rows that are sessions, not changes: a sign-in makes a web session token
NOT_CHANGES = {"access_tokens": ("web_session", True)}


@dataclass(frozen=True)
class Actor:
    """Who a change is made for: the surface, and the account and person behind it."""

    surface: str  # open_api | api | web | cli | system
    scope: str = ""  # the token's scope (advertiser, business_center, creator, operator …)
    subject_id: str = ""
    role: str = ""
    user_id: str | None = None
    token_id: str | None = None

    @property
    def label(self) -> str:
        who = f"{self.scope or self.surface}:{self.subject_id}" if self.subject_id else self.surface
        return f"{who} (person {self.user_id})" if self.user_id else who


SYSTEM = Actor("system")
ACTOR: ContextVar[Actor | None] = ContextVar("sparkads_audit_actor", default=None)


def set_actor(actor: Actor) -> None:
    """Changes made from here on in this context are recorded as made by `actor`."""
    ACTOR.set(actor)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = ACTOR.set(actor)
    try:
        yield
    finally:
        ACTOR.reset(token)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_object", "entity", "entity_id", "id"),
        Index("ix_audit_log_advertiser", "advertiser_id", "id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(index=True)
    surface: Mapped[str] = mapped_column(String(16))
    actor_scope: Mapped[str] = mapped_column(String(20), default="")
    actor_id: Mapped[str] = mapped_column(String(24), default="")
    actor_role: Mapped[str] = mapped_column(String(20), default="")
    actor_user_id: Mapped[str | None] = mapped_column(String(24))
    actor_token_id: Mapped[str | None] = mapped_column(String(24))
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[str] = mapped_column(String(64))
    advertiser_id: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(8))  # create | update | delete
    before: Mapped[dict[str, JsonValue] | None] = mapped_column(JSON)
    after: Mapped[dict[str, JsonValue] | None] = mapped_column(JSON)
    # who, as one value: the six columns above in `Actor`'s field order, read and written together
    actor: Mapped[Actor] = composite(
        "surface", "actor_scope", "actor_id", "actor_role", "actor_user_id", "actor_token_id"
    )


def plain(value: object) -> JsonValue:
    """A column value as JSON keeps it."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _key(audited: Audited, value: object) -> str:
    text = "" if value is None else str(value)
    if audited.hashed_key and text:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return text


def _value(column: str, value: object) -> JsonValue:
    return CHANGED_MARK if column in SECRETS and value is not None else plain(value)


def _row_changes(
    instance: object, action: str
) -> tuple[dict[str, JsonValue], dict[str, JsonValue]]:
    state = inspect(instance)
    before: dict[str, JsonValue] = {}
    after: dict[str, JsonValue] = {}
    for attribute in state.mapper.column_attrs:
        name = attribute.key
        if name in SKIPPED:
            continue
        history = state.attrs[name].history
        if action == "create":
            value = state.attrs[name].value
            if value is not None:  # a creation lists what was set
                after[name] = _value(name, value)
        elif action == "delete":
            value = history.unchanged[0] if history.unchanged else state.attrs[name].loaded_value
            if value is not NO_VALUE:
                before[name] = _value(name, value)
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if plain(old) == plain(new):
                continue
            before[name] = _value(name, old)
            after[name] = _value(name, new)
    return before, after


def _entry(
    audited: Audited, instance: object, action: str, actor: Actor, now: datetime
) -> AuditEntry | None:
    before, after = _row_changes(instance, action)
    if action == "update" and not after:
        return None
    advertiser = getattr(instance, audited.advertiser, None) if audited.advertiser else None
    return _new_entry(
        audited,
        _key(audited, getattr(instance, audited.key, None)),
        advertiser if isinstance(advertiser, str) else None,
        action,
        actor,
        now,
        before or None,
        after or None,
    )


def _new_entry(
    audited: Audited,
    key: str,
    advertiser_id: str | None,
    action: str,
    actor: Actor,
    now: datetime,
    before: dict[str, JsonValue] | None,
    after: dict[str, JsonValue] | None,
) -> AuditEntry:
    return AuditEntry(
        at=now,
        actor=actor,
        entity=audited.entity,
        entity_id=key or "*",
        advertiser_id=advertiser_id,
        action=action,
        before=before,
        after=after,
    )


def _skipped(table: str, instance: object) -> bool:
    rule = NOT_CHANGES.get(table)
    return rule is not None and getattr(instance, rule[0], None) == rule[1]


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    actor = session.info.get("audit_actor") or ACTOR.get() or SYSTEM
    now = datetime.now(UTC)
    entries: list[AuditEntry] = []
    for instances, action in (
        (session.new, "create"),
        (session.dirty, "update"),
        (session.deleted, "delete"),
    ):
        for instance in instances:
            table = getattr(getattr(instance, "__table__", None), "name", "")
            audited = AUDITED.get(table)
            if audited is None or _skipped(table, instance):
                continue
            if action == "update" and not session.is_modified(instance):
                continue
            entry = _entry(audited, instance, action, actor, now)
            if entry is not None:
                entries.append(entry)
    entries.sort(key=_order)
    session.add_all(entries)


def _order(entry: AuditEntry) -> tuple[str, str]:
    return (entry.entity, entry.entity_id)


def _statement_entries(state: ORMExecuteState) -> list[AuditEntry]:
    """An UPDATE / DELETE statement on an audited table: the rows it is about to touch are read
    first (same transaction, same WHERE), so each gets its own entry with before and after."""
    statement = state.statement
    table = getattr(statement, "table", None)
    if not isinstance(table, Table):
        return []
    audited = AUDITED.get(table.name)
    if audited is None:
        return []
    criteria = list(getattr(statement, "_where_criteria", ()))
    rule = NOT_CHANGES.get(table.name)
    if rule is not None and any(
        getattr(getattr(c, "left", None), "key", None) == rule[0] for c in criteria
    ):
        return []  # e.g. a person's web sessions ended together
    written: dict[str, object] = {}
    if state.is_update:
        assigned: dict[object, object] = getattr(statement, "_values", None) or {}
        written = {
            getattr(column, "key", str(column)): getattr(value, "value", value)
            for column, value in assigned.items()
        }
        written = {k: v for k, v in written.items() if k not in SKIPPED and k in table.c}
        if not written:
            return []
    columns = [table.c[name] for name in written] if state.is_update else list(table.c)
    extra = [table.c[audited.key]]
    if audited.advertiser:
        extra.append(table.c[audited.advertiser])
    rows = state.session.connection().execute(select(*extra, *columns).where(*criteria)).all()
    actor = state.session.info.get("audit_actor") or ACTOR.get() or SYSTEM
    now = datetime.now(UTC)
    entries = []
    for row in rows:
        values = row._mapping
        key = _key(audited, values[table.c[audited.key]])
        advertiser = values[table.c[audited.advertiser]] if audited.advertiser else None
        if state.is_update:
            before = {
                k: _value(k, values[table.c[k]])
                for k in written
                if plain(values[table.c[k]]) != plain(written[k])
            }
            if not before:
                continue
            after = {k: _value(k, written[k]) for k in before}
            entries.append(
                _new_entry(audited, key, advertiser, "update", actor, now, before, after)
            )
        else:
            before = {
                c.key: _value(c.key, values[c])
                for c in columns
                if values[c] is not None and c.key not in SKIPPED
            }
            entries.append(_new_entry(audited, key, advertiser, "delete", actor, now, before, None))
    return entries


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        state.session.add_all(_statement_entries(state))


def install() -> None:
    """Record audited changes from every ORM session of this process (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
