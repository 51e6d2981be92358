"""Ads Manager → History: who changed a campaign, ad group or ad, when, and each field before
and after (the audit log, `db/audit.py`), with CSV and JSON exports of one object's history or the
whole ad account's."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.db.audit import AuditEntry
from sparkads.errors import SparkadsError
from sparkads.services import audit
from sparkads.web.history_words import Who, field_label, role_words, value_words
from sparkads.web.i18n import N_, localized_text
from sparkads.web.routing import web_router
from sparkads.web.session import Web, WebDep
from sparkads.web.templating import _money, _when

router = web_router()
# the objects with a History page: entity -> (model, name column, title)
OBJECTS: dict[str, tuple[type[Any], str, str]] = {
    "campaign": (Campaign, "campaign_name", N_("Campaign")),
    "adgroup": (AdGroup, "adgroup_name", N_("Ad group")),
    "ad": (Ad, "ad_name", N_("Ad")),
}
_STORED_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
MONEY_FIELDS = frozenset({"budget", "bid_price", "conversion_bid_price"})
ACTIONS = {"create": N_("Created"), "update": N_("Changed"), "delete": N_("Deleted")}
SURFACES = {
    "web": N_("web app"),
    "open_api": N_("Marketing API"),
    "api": N_("native API"),
    "cli": N_("command line"),
    "system": N_("system"),
}


def _moment(value: str) -> datetime | None:
    """A value that is wholly a moment as the audit log stores it (ISO 8601 with its offset)."""
    if not _STORED_MOMENT.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _shown(field: str, value: Any, web: Web, currency: str, zone: str) -> str:
    """A field's value the reader's way: money and moments (in the account's time zone, like the
    When column) through Babel; text as typed; anything else as JSON, its moments in words."""
    if value is None:
        return "—"
    words = value_words(field, value, web.lang)
    if words is not None:
        return words
    if field in MONEY_FIELDS and isinstance(value, int):
        return _money(web.lang, value, currency)
    if isinstance(value, str):
        moment = _moment(value)
        return value if moment is None else _when(web.lang, moment, zone)
    return localized_text(json.dumps(value, ensure_ascii=False), web.lang)


def _rows(
    entries: list[AuditEntry], web: Web, who: Who, currency: str, zone: str
) -> list[dict[str, object]]:
    return [
        {
            "entry": entry,
            "action": ACTIONS.get(entry.action, entry.action),
            "surface": SURFACES.get(entry.surface, entry.surface),
            "actor": entry.actor.label,
            "account": who.account(entry.actor),
            "person": who.person(entry.actor),
            "role": role_words(entry.actor_role, web.lang),
            "changes": [
                {
                    "field": change.field,
                    "label": field_label(change.field, web.lang),
                    "before": _shown(change.field, change.before, web, currency, zone),
                    "after": _shown(change.field, change.after, web, currency, zone),
                }
                for change in audit.changes(entry)
            ],
        }
        for entry in entries
    ]


def _object_name(session: Session, entity: str, object_id: str, advertiser_id: str) -> str:
    model, column, _ = OBJECTS[entity]
    row = session.get(model, object_id)
    if row is None or row.advertiser_id != advertiser_id:
        return object_id  # deleted, or not this account's: its entries are filtered anyway
    return str(getattr(row, column))


@router.get("/ads/history/{entity}/{object_id}")
def history_page(entity: str, object_id: str, web: WebDep) -> Response:
    user = web.require_ad_account()  # who first: another area's reader is sent home
    if entity not in OBJECTS:
        raise SparkadsError("object_not_found", object_type=entity, object_id=object_id)
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        assert web.user is not None
        entries = audit.read(
            uow.session,
            web.user.principal,
            audit.Query(advertiser.advertiser_id, entity, object_id, limit=500),
        )
        name = _object_name(uow.session, entity, object_id, advertiser.advertiser_id)
        who = Who(uow.session, web.lang)
        rows = _rows(entries, web, who, advertiser.currency, advertiser.timezone)
    return web.render(
        "ads/history.html", section="campaigns", entity=entity, kind=OBJECTS[entity][2],
        object_id=object_id, object_name=name, zone=advertiser.timezone, account=user, rows=rows,
    )  # fmt: skip


def _export(web: Web, kind: str, entity: str | None, object_id: str | None) -> Response:
    web.require_ad_account()
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        assert web.user is not None
        query = audit.Query(
            advertiser.advertiser_id, entity or None, object_id or None, limit=audit.MAX_LIMIT
        )
        entries = audit.read(uow.session, web.user.principal, query)
    name = audit.export_name(query, kind, web.context.clock.now())
    body, media = (
        (audit.to_csv(entries), "text/csv; charset=utf-8")
        if kind == "csv"
        else (audit.to_json(entries), "application/json")
    )
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/ads/history.csv")
def history_csv(web: WebDep, entity: str = "", id: str = "") -> Response:
    return _export(web, "csv", entity, id)


@router.get("/ads/history.json")
def history_json(web: WebDep, entity: str = "", id: str = "") -> Response:
    return _export(web, "json", entity, id)
