"""adgroup/*: budgets, bidding, targeting and schedule of ad groups (R3, R13, R14)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from sparkads.api.context import AppContext, ContextDep
from sparkads.api.open_api import commands, envelope, listing
from sparkads.api.open_api import render_campaigns as render
from sparkads.api.open_api.campaign_schemas import AdGroupCreate, AdGroupUpdate
from sparkads.api.open_api.deps import LangDep, PrincipalDep, campaigns_of, for_status_change
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.wire import AdGroupStatusUpdate, GetParams
from sparkads.campaigns import queries
from sparkads.campaigns.models import AdGroup, Campaign
from sparkads.clock import Clock, format_tiktok_time
from sparkads.marketplace.reach import audience_size_estimate
from sparkads.services.delivery_status import RECENT, Delivery, Facts, deliveries

router = APIRouter(prefix="/open_api/v1.3/adgroup", tags=["Ad groups"])
FILTERS = {
    "adgroup_ids": listing.ids_filter("adgroup_id"),
    "adgroup_name": listing.name_filter("adgroup_name"),
    "optimization_goal": listing.equals("optimization_goal"),
    "promotion_type": listing.equals("promotion_type"),
    "billing_events": listing.one_of("billing_event"),
    "creative_material_mode": listing.equals("creative_material_mode"),
}


def _render(session: Session, clock: Clock, row: AdGroup, lang: str = "en") -> dict[str, object]:
    return render.adgroup(row, session.get_one(Campaign, row.campaign_id), clock.now(), lang)


class _Delivered:
    """adgroup/get's rows with their delivery (`services.delivery_status`), read at once for the
    rows shown (the page's; all of them when a filter reads the delivery, see `listing`): the
    secondary status TikTok names for the reason, `primary_status` and the sparkads extension
    `delivery_issue` (reason, counted since, requests)."""

    def __init__(self, context: AppContext, lang: str = "en") -> None:
        self.lang = lang
        context.rollups.before_read()  # results for learning, as reports fold (see Facts)
        self.facts = Facts(context.rollups.reasons, dict(context.delivery.store.excluded))
        self.now = context.clock.now()
        self.campaigns: dict[str, Campaign] = {}
        self.groups: dict[str, AdGroup] = {}

    def rows(self, session: Session, advertiser_id: str) -> list[AdGroup]:
        self.campaigns = {c.campaign_id: c for c in queries.list_campaigns(session, advertiser_id)}
        self.groups = {g.adgroup_id: g for g in queries.list_adgroups(session, advertiser_id)}
        return list(self.groups.values())

    def render(self, session: Session, clock: Clock, row: AdGroup) -> dict[str, object]:
        """Every row, for the filters: no audience estimate yet (`add` gives the page's)."""
        return render.adgroup(
            row, self.campaigns[row.campaign_id], self.now, self.lang, estimate=False
        )

    def add(self, session: Session, rows: list[listing.Row]) -> None:
        """The delivery of these rendered rows, from their configured secondary status, and
        their audience size estimate."""
        for shown in rows:
            group = self.groups[str(shown["adgroup_id"])]
            shown["audience_size_estimate"] = audience_size_estimate(
                session, group.targeting, self.now
            )
        configured = {str(r["adgroup_id"]): str(r["secondary_status"]) for r in rows}
        goals = {str(r["adgroup_id"]): str(r["optimization_goal"]) for r in rows}
        found = deliveries(session, configured, self.facts, self.now, goals)
        for shown in rows:
            delivery = found[str(shown["adgroup_id"])]
            shown["secondary_status"] = delivery.secondary(str(shown["secondary_status"]))
            shown["primary_status"] = delivery.primary
            shown["delivery_issue"] = _issue(delivery)


def _issue(delivery: Delivery) -> dict[str, object] | None:
    if delivery.reason is None:
        return None
    return {
        "reason": delivery.reason,
        "counted_since": format_tiktok_time(delivery.since) if delivery.since else None,
        "requests_matched": delivery.asked,
        "requests_answered": delivery.requests,
        "window_hours": int(RECENT.total_seconds() // 3600),
    }


@router.post("/create/", openapi_extra=body_doc())
def create(
    body: AdGroupCreate, principal: PrincipalDep, context: ContextDep, lang: LangDep
) -> JSONResponse:
    """Create an ad group: budget ≥ the minimum, a bid that fits the objective, and targeting
    whose ids all exist (tool/region/, tool/language/, tool/interest_category/)."""
    row = campaigns_of(context, principal, body.advertiser_id).create_adgroup(
        principal, body.advertiser_id, commands.new_adgroup(body)
    )
    with context.uow() as uow:
        return envelope.ok(_render(uow.session, context.clock, row, lang))


@router.get("/get/", openapi_extra=query_doc(GetParams))
def get(
    request: Request, principal: PrincipalDep, context: ContextDep, lang: LangDep
) -> JSONResponse:
    """Ad groups; `secondary_status`, `primary_status` and `delivery_issue` say whether a running
    ad group delivered over the last 24 hours, and if not, why (services.delivery_status); their
    warnings in the request's language."""
    delivered = _Delivered(context, lang)
    return listing.get_page(
        request, principal, context, FILTERS, delivered.rows, delivered.render, delivered.add
    )


@router.post("/update/", openapi_extra=body_doc())
def update(
    body: AdGroupUpdate, principal: PrincipalDep, context: ContextDep, lang: LangDep
) -> JSONResponse:
    row = campaigns_of(context, principal, body.advertiser_id).update_adgroup(
        principal, body.advertiser_id, commands.adgroup_change(body)
    )
    with context.uow() as uow:
        return envelope.ok(_render(uow.session, context.clock, row, lang))


@router.post("/status/update/", openapi_extra=body_doc())
def status_update(
    body: AdGroupStatusUpdate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """ENABLE, DISABLE or DELETE ad groups; with allow_partial_success, failures are listed and
    the others still change (code 20001)."""
    campaigns = for_status_change(context, principal, body)
    changed, failed = campaigns.set_adgroup_status(
        principal, body.advertiser_id, body.adgroup_ids, body.operation_status,
        partial=body.allow_partial_success,
    )  # fmt: skip
    data: dict[str, object] = {
        "adgroup_ids": [a.adgroup_id for a in changed],
        "status": body.operation_status.value,
    }
    if not failed:
        return envelope.ok(data)
    data["error_list"] = [
        {"adgroup_id": adgroup_id, "error_message": f"{e.code}: {e}"} for adgroup_id, e in failed
    ]
    return envelope.partial(data)
