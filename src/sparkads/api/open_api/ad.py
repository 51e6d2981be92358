"""ad/*: Spark ads whose creative is a post reference (R1, R6, R8, R12, R15, R16)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from sparkads.api.context import ContextDep
from sparkads.api.open_api import commands, envelope, listing
from sparkads.api.open_api import render_campaigns as render
from sparkads.api.open_api.ad_schemas import AdCreate, AdUpdate, ReviewInfoParams
from sparkads.api.open_api.deps import (
    LangDep,
    PrincipalDep,
    campaigns_of,
    for_status_change,
    query_advertiser,
    read_query,
)
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.wire import AdStatusUpdate, GetParams
from sparkads.campaigns import queries, review
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import Clock
from sparkads.errors import negotiate_language

router = APIRouter(prefix="/open_api/v1.3/ad", tags=["Ads"])
FILTERS = {
    "adgroup_ids": listing.ids_filter("adgroup_id"),
    "ad_ids": listing.ids_filter("ad_id"),
    "identity_ids": listing.ids_filter("identity_id"),
}


def _render(session: Session, clock: Clock, row: Ad, lang: str = "en") -> dict[str, object]:
    return render.ad(
        session,
        row,
        session.get_one(AdGroup, row.adgroup_id),
        session.get_one(Campaign, row.campaign_id),
        clock.now(),
        lang,
    )


@router.post("/create/", openapi_extra=body_doc())
def create(
    body: AdCreate, principal: PrincipalDep, context: ContextDep, lang: LangDep
) -> JSONResponse:
    """Create up to 20 Spark ads in one ad group. Each creative names an identity and a post
    (`tiktok_item_id`), or a new uploaded video (`video_id`, TT_USER/BC_AUTH_TT). Warnings (post
    length, music, authorization window) come back on each ad without refusing it."""
    created = campaigns_of(context, principal, body.advertiser_id).create_ads(
        principal, body.advertiser_id, body.adgroup_id, commands.new_creatives(body)
    )
    with context.uow() as uow:
        rendered = [_render(uow.session, context.clock, row, lang) for row in created]
    return envelope.ok(
        {
            "ad_ids": [row.ad_id for row in created],
            "need_audit": review.need_audit(created),
            "creatives": rendered,
        }
    )


@router.get("/get/", openapi_extra=query_doc(GetParams))
def get(
    request: Request, principal: PrincipalDep, context: ContextDep, lang: LangDep
) -> JSONResponse:
    """List ads; `secondary_status` and `delivery_issue` say why an ad is not delivering."""
    rows = listing.in_language(_render, lang)
    return listing.get_page(request, principal, context, FILTERS, queries.list_ads, rows)


@router.get("/review_info/", openapi_extra=query_doc(ReviewInfoParams))
def review_info(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Review results of up to 100 ads: `review_status` (ALL_AVAILABLE, UNAVAILABLE, IN_REVIEW),
    `is_approved`, and for a rejection each reason's code, text and suggestion (EN or FR, from
    `lang` or Accept-Language)."""
    with context.uow() as uow:
        advertiser = query_advertiser(request, uow.session, principal)
        params = read_query(request, ReviewInfoParams)
        params.check_fields()
        lang = params.lang or negotiate_language(request.headers.get("accept-language"))
        found = {
            ad_id: review.review_info(
                queries.get_ad(uow.session, advertiser.advertiser_id, ad_id), lang
            )
            for ad_id in dict.fromkeys(params.ad_ids)
        }
        return envelope.ok({"ad_review_map": found})


@router.post("/update/", openapi_extra=body_doc())
def update(
    body: AdUpdate, principal: PrincipalDep, context: ContextDep, lang: LangDep
) -> JSONResponse:
    changed = campaigns_of(context, principal, body.advertiser_id).update_ads(
        principal, body.advertiser_id, body.adgroup_id, commands.creative_changes(body)
    )
    with context.uow() as uow:
        rendered = [_render(uow.session, context.clock, row, lang) for row in changed]
    return envelope.ok({"ad_ids": [row.ad_id for row in changed], "creatives": rendered})


@router.post("/status/update/", openapi_extra=body_doc())
def status_update(
    body: AdStatusUpdate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    campaigns = for_status_change(context, principal, body)
    changed = campaigns.set_ad_status(
        principal, body.advertiser_id, body.ad_ids, body.operation_status
    )
    return envelope.ok(
        {
            "ad_ids": [a.ad_id for a in changed],
            "aco_ad_ids": [],
            "status": body.operation_status.value,
        }
    )
