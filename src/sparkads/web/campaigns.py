"""Ads Manager → campaigns, ad groups and ads: status, secondary status (why not delivering, with the
delivery issue's cause and solution), inline enable/disable and budget edit, all through the same
services as campaign/*, adgroup/* and ad/* of the v1.3 API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns import adgroups, ads, review, service, status
from sparkads.campaigns.enums import OperationStatus
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.campaigns.schemas import AdGroupUpdate, CampaignUpdate
from sparkads.clock import as_utc
from sparkads.errors import SparkadsError
from sparkads.posts.models import Post
from sparkads.web.forms import FormDep, form_amount
from sparkads.web.i18n import N_
from sparkads.web.labels import GOALS, OBJECTIVES, SECONDARY
from sparkads.web.problems import explain
from sparkads.web.routing import web_router
from sparkads.web.session import Web, WebDep

router = web_router()
DELETED = OperationStatus.DELETE.value


def window(group: AdGroup) -> status.Window:
    end = as_utc(group.schedule_end_time) if group.schedule_end_time else None
    return status.Window(as_utc(group.schedule_start_time), end)


def _badge(secondary: str) -> dict[str, str]:
    label, tone = SECONDARY.get(secondary, (secondary, "off"))
    return {"code": secondary, "label": label, "tone": tone}


def _ad_row(
    session: Session, web: Web, ad: Ad, group: AdGroup, campaign: Campaign
) -> dict[str, Any]:
    now = web.context.clock.now()
    asset = ads.ad_asset(session, ad)
    problem = (
        ads.asset_problem(asset, now)
        if asset is not None
        else SparkadsError(
            "post_not_authorized", item_id=ad.tiktok_item_id, identity_id=ad.identity_id
        )
    )
    secondary = status.ad_status(
        ad.operation_status, group.operation_status, campaign.operation_status, window(group),
        now, asset_lost=problem is not None, review=review.secondary(ad),
    )  # fmt: skip
    return {
        "ad": ad, "group": group, "campaign": campaign, "status": _badge(secondary),
        "issue": explain(problem, web.lang) if problem else None,
        "post": session.get(Post, ad.tiktok_item_id),
        "review_reasons": [explain(r, web.lang) for r in review.reasons(ad)],
    }  # fmt: skip


def _group_row(group: AdGroup, campaign: Campaign, now: datetime) -> dict[str, Any]:
    secondary = status.adgroup_status(
        group.operation_status, campaign.operation_status, window(group), now
    )
    return {"group": group, "campaign": campaign, "status": _badge(secondary)}


def tables(session: Session, web: Web, advertiser: Advertiser) -> dict[str, Any]:
    now = web.context.clock.now()
    campaigns = [
        c for c in service.list_campaigns(session, advertiser.advertiser_id)
        if c.operation_status != DELETED
    ]  # fmt: skip
    by_id = {c.campaign_id: c for c in campaigns}
    groups = [
        g for g in adgroups.list_adgroups(session, advertiser.advertiser_id)
        if g.operation_status != DELETED and g.campaign_id in by_id
    ]  # fmt: skip
    groups_by_id = {g.adgroup_id: g for g in groups}
    return {
        "campaigns": [
            {"campaign": c, "status": _badge(status.campaign_status(c.operation_status))}
            for c in campaigns
        ],
        "adgroups": [_group_row(g, by_id[g.campaign_id], now) for g in groups],
        "ads": [
            _ad_row(session, web, ad, groups_by_id[ad.adgroup_id], by_id[ad.campaign_id])
            for ad in ads.list_ads(session, advertiser.advertiser_id)
            if ad.operation_status != DELETED and ad.adgroup_id in groups_by_id
        ],
    }


@router.get("/ads/campaigns")
def show_campaigns(web: WebDep) -> Response:
    """The campaigns page; a refused change comes back here as a flashed problem."""
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        values = tables(uow.session, web, advertiser)
    return web.render(
        "ads/campaigns.html", section="campaigns", objectives=OBJECTIVES, goals=GOALS,
        currency=advertiser.currency, **values,
    )  # fmt: skip


def _toggle(value: str) -> OperationStatus:
    if value not in ("ENABLE", "DISABLE"):
        raise SparkadsError(
            "invalid_parameter", field="operation_status", detail="ENABLE or DISABLE"
        )
    return OperationStatus(value)


@router.post("/ads/{level}/{object_id}/status")
def set_status(level: str, object_id: str, web: WebDep, form: FormDep) -> Response:
    try:
        wanted = _toggle(form.get("operation_status"))
        with web.uow() as uow:
            advertiser = web.advertiser(uow.session)
            clock = web.context.clock
            if level == "campaigns":
                service.set_campaign_status(uow.session, clock, advertiser, [object_id], wanted)
            elif level == "adgroups":
                _, failed = adgroups.set_adgroup_status(
                    uow.session, clock, advertiser, [object_id], wanted
                )
                if failed:
                    raise failed[0][1]
            elif level == "ads":
                ads.set_ad_status(uow.session, clock, advertiser, [object_id], wanted)
            else:
                raise SparkadsError("object_not_found", object_type=level, object_id=object_id)
            uow.commit()
    except SparkadsError as error:
        web.flash_problem(error)  # POST-redirect-GET: the refusal shows at the top of the page
        return web.redirect("/ads/campaigns")
    web.flash(N_("Enabled.") if wanted is OperationStatus.ENABLE else N_("Paused."))
    return web.redirect(f"/ads/campaigns#{level}")


def parse_budget(raw: str) -> Decimal:
    value = form_amount(raw, "budget")
    if value is None:
        raise SparkadsError("invalid_parameter", field="budget", detail=f"{raw!r} is not a number")
    return value


@router.post("/ads/{level}/{object_id}/budget")
def set_budget(level: str, object_id: str, web: WebDep, form: FormDep) -> Response:
    try:
        budget = parse_budget(form.get("budget"))
        with web.uow() as uow:
            advertiser = web.advertiser(uow.session)
            ids = {"advertiser_id": advertiser.advertiser_id, "budget": budget}
            if level == "campaigns":
                service.update_campaign(
                    uow.session, web.context.clock, advertiser,
                    CampaignUpdate(campaign_id=object_id, **ids),
                )  # fmt: skip
            else:
                adgroups.update_adgroup(
                    uow.session, web.context.clock, advertiser,
                    AdGroupUpdate(adgroup_id=object_id, **ids),
                )  # fmt: skip
            uow.commit()
    except SparkadsError as error:
        web.flash_problem(error)
        return web.redirect("/ads/campaigns")
    web.flash(N_("Budget saved."))
    return web.redirect(f"/ads/campaigns#{level}")
