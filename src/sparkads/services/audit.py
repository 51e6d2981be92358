"""Reading the audit log (`db/audit.py` writes it): per object or per ad account, for the native
API (`GET /api/v1/audit`), the web app's History pages and their CSV / JSON exports.

Who may read what: an operator reads everything; an advertiser or Business Center token (or a
person signed in for one) reads the entries of the ad accounts it may act on, and must name one.
Entities without an ad account (tokens, memberships, people, Spark codes) are for operators."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Role, TokenScope
from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.db.audit import AUDITED, AuditEntry
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

ENTITIES = tuple(sorted({audited.entity for audited in AUDITED.values()}))
MAX_LIMIT = 10_000
CSV_COLUMNS = (
    "id", "at", "surface", "actor", "actor_role", "actor_user_id", "entity", "entity_id",
    "advertiser_id", "action", "field", "before", "after",
)  # fmt: skip


@dataclass(frozen=True)
class Query:
    advertiser_id: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    limit: int = 1_000
    before_id: int | None = None  # page back: entries older than this id


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


def changes(entry: AuditEntry) -> list[FieldChange]:
    """What one entry changed, field by field (a creation has only `after`, a deletion `before`)."""
    before, after = entry.before or {}, entry.after or {}
    return [
        FieldChange(name, before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
    ]


def read(session: Session, principal: Principal, query: Query) -> list[AuditEntry]:
    """The entries this principal may read, newest first."""
    if query.entity is not None and query.entity not in ENTITIES:
        raise SparkadsError(
            "invalid_parameter",
            field="entity",
            detail=LocalText(N_("one of {choices}"), {"choices": ", ".join(ENTITIES)}),
        )
    if not 1 <= query.limit <= MAX_LIMIT:
        raise SparkadsError(
            "invalid_parameter",
            field="limit",
            detail=LocalText(N_("from 1 to {most}"), {"most": MAX_LIMIT}),
        )
    statement = select(AuditEntry)
    if principal.scope is TokenScope.OPERATOR and principal.role is Role.REVIEWER:
        raise SparkadsError("role_not_allowed", role=principal.role.value, needed="an operator")
    if principal.scope is not TokenScope.OPERATOR:
        if not query.advertiser_id:
            raise SparkadsError(
                "invalid_parameter",
                field="advertiser_id",
                detail=LocalText(N_("the ad account to read")),
            )
        authorize_advertiser(session, principal, query.advertiser_id)
    if query.advertiser_id:
        statement = statement.where(AuditEntry.advertiser_id == query.advertiser_id)
    if query.entity:
        statement = statement.where(AuditEntry.entity == query.entity)
    if query.entity_id:
        statement = statement.where(AuditEntry.entity_id == query.entity_id)
    if query.before_id:
        statement = statement.where(AuditEntry.id < query.before_id)
    return list(session.scalars(statement.order_by(AuditEntry.id.desc()).limit(query.limit)))


def as_dict(entry: AuditEntry) -> dict[str, object]:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    return {
        "id": entry.id,
        "at": at.isoformat(),
        "surface": entry.surface,
        "actor": entry.actor.label,
        "actor_scope": entry.actor_scope,
        "actor_id": entry.actor_id,
        "actor_role": entry.actor_role,
        "actor_user_id": entry.actor_user_id,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "advertiser_id": entry.advertiser_id,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }


def to_json(entries: list[AuditEntry]) -> str:
    return json.dumps({"entries": [as_dict(e) for e in entries]}, ensure_ascii=False, indent=1)


def to_csv(entries: list[AuditEntry]) -> str:
    """One line per changed field (a spreadsheet filters by field); values as JSON."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = as_dict(entry)
        for change in changes(entry) or [FieldChange("", None, None)]:
            writer.writerow(
                [
                    row["id"], row["at"], row["surface"], row["actor"], row["actor_role"],
                    row["actor_user_id"] or "", row["entity"], row["entity_id"],
                    row["advertiser_id"] or "", row["action"], change.field,
                    _cell(change.before), _cell(change.after),
                ]
            )  # fmt: skip
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    # a spreadsheet must not run what a user typed (formula injection)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_name(query: Query, kind: str, now: datetime) -> str:
    parts = ["audit", query.advertiser_id or "all"]
    if query.entity:
        parts += [query.entity, query.entity_id or ""]
    name = "-".join(p for p in parts if p)
    # a header value: only what every client reads safely (ids are typed by users)
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)
    return f"{safe}-{now:%Y%m%d}.{kind}"
