"""campaign/*: create, read, update and change the status of campaigns (R4, R13)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sparkads.api.context import ContextDep
from sparkads.api.open_api import commands, envelope, listing
from sparkads.api.open_api import render_campaigns as render
from sparkads.api.open_api.campaign_schemas import CampaignCreate, CampaignUpdate
from sparkads.api.open_api.deps import PrincipalDep, campaigns_of, for_status_change
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.wire import CampaignStatusUpdate, GetParams
from sparkads.campaigns import queries

router = APIRouter(prefix="/open_api/v1.3/campaign", tags=["Campaigns"])
FILTERS = {
    "campaign_name": listing.name_filter("campaign_name"),
    "campaign_type": listing.equals("campaign_type"),
}


@router.post("/create/", openapi_extra=body_doc())
def create(body: CampaignCreate, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Create a campaign. `request_id` makes the call idempotent (a replay answers 40050)."""
    campaign = campaigns_of(context, principal, body.advertiser_id).create_campaign(
        principal, body.advertiser_id, commands.new_campaign(body)
    )
    return envelope.ok(render.campaign(campaign))


@router.get("/get/", openapi_extra=query_doc(GetParams))
def get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """List campaigns, with TikTok's filtering, fields and pagination (deleted ones hidden)."""
    return listing.get_page(
        request, principal, context, FILTERS, queries.list_campaigns,
        lambda _session, _clock, row: render.campaign(row),
    )  # fmt: skip


@router.post("/update/", openapi_extra=body_doc())
def update(body: CampaignUpdate, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Rename or change the budget (within the minimum); the budget mode cannot change."""
    campaign = campaigns_of(context, principal, body.advertiser_id).update_campaign(
        principal, body.advertiser_id, commands.campaign_change(body)
    )
    return envelope.ok(render.campaign(campaign))


@router.post("/status/update/", openapi_extra=body_doc())
def status_update(
    body: CampaignStatusUpdate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """ENABLE, DISABLE or DELETE up to 20 campaigns; DELETE cascades to ad groups and ads."""
    campaigns = for_status_change(context, principal, body)
    changed = campaigns.set_campaign_status(
        principal, body.advertiser_id, body.campaign_ids, body.operation_status
    )
    return envelope.ok(
        {
            "campaign_ids": [c.campaign_id for c in changed],
            "status": body.operation_status.value,
            "campaign_list": [
                {
                    "campaign_id": c.campaign_id,
                    "status": c.operation_status,
                    "postback_window_mode": None,
                }
                for c in changed
            ],
        }
    )
