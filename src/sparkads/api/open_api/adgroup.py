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
from sparkads.campaigns import queries, standing
from sparkads.campaigns.models import AdGroup, Campaign
from sparkads.clock import Clock, format_tiktok_time
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
    """adgroup/get's rows with their delivery (`services.delivery_status`), read for the whole
    list at once: the secondary status TikTok names for the reason, `primary_status` and the
    sparkads extension `delivery_issue` (reason, counted since, requests)."""

    def __init__(self, context: AppContext, lang: str = "en") -> None:
        self.lang = lang
        context.rollups.before_read()  # results for learning, as reports fold (see Facts)
        self.facts = Facts(context.rollups.reasons, dict(context.delivery.store.excluded))
        self.now = context.clock.now()
        self.found: dict[str, Delivery] = {}

    def rows(self, session: Session, advertiser_id: str) -> list[AdGroup]:
        groups = list(queries.list_adgroups(session, advertiser_id))
        parents = {c.campaign_id: c for c in queries.list_campaigns(session, advertiser_id)}
        configured = {
            g.adgroup_id: standing.adgroup_status(g, parents[g.campaign_id], self.now)
            for g in groups
        }
        goals = {g.adgroup_id: g.optimization_goal for g in groups}
        self.found = deliveries(session, configured, self.facts, self.now, goals)
        return groups

    def render(self, session: Session, clock: Clock, row: AdGroup) -> dict[str, object]:
        shown = _render(session, clock, row, self.lang)
        delivery = self.found[row.adgroup_id]
        configured = str(shown["secondary_status"])
        shown["secondary_status"] = delivery.secondary(configured)
        shown["primary_status"] = delivery.primary
        shown["delivery_issue"] = (
            {
                "reason": delivery.reason,
                "counted_since": format_tiktok_time(delivery.since) if delivery.since else None,
                "requests_matched": delivery.asked,
                "requests_answered": delivery.requests,
                "window_hours": int(RECENT.total_seconds() // 3600),
            }
            if delivery.reason is not None
            else None
        )
        return shown


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
    return listing.get_page(request, principal, context, FILTERS, delivered.rows, delivered.render)


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
