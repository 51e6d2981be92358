"""Ads Manager → campaigns, ad groups and ads: status, secondary status (why not delivering, with the
delivery issue's cause and solution), inline enable/disable and budget edit, all through the same
services as campaign/*, adgroup/* and ad/* of the v1.3 API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.accounts.principal import Principal
from sparkads.campaigns import queries, review, status
from sparkads.campaigns.commands import AdGroupChange, AdGroupPlan, CampaignChange
from sparkads.campaigns.enums import OperationStatus
from sparkads.campaigns.models import Ad, AdGroup, Campaign, CreativePortfolio
from sparkads.campaigns.standing import ad_standing, adgroup_status
from sparkads.errors import SparkadsError
from sparkads.i18n import LocalText
from sparkads.posts.models import Post
from sparkads.services.campaigns import Campaigns
from sparkads.web.drafts import campaigns_of, form_micros
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_
from sparkads.web.labels import GOALS, OBJECTIVES, SECONDARY
from sparkads.web.problems import explain
from sparkads.web.routing import back_to, shows_errors_on, web_router
from sparkads.web.session import Web, WebDep

router = web_router()
DELETED = OperationStatus.DELETE.value


def _badge(secondary: str) -> dict[str, str]:
    label, tone = SECONDARY.get(secondary, (secondary, "off"))
    return {"code": secondary, "label": label, "tone": tone}


def _ad_row(
    session: Session, web: Web, ad: Ad, group: AdGroup, campaign: Campaign
) -> dict[str, object]:
    state = ad_standing(session, ad, group, campaign, web.context.clock.now())
    problem = state.problem
    return {
        "ad": ad, "group": group, "campaign": campaign, "status": _badge(state.secondary),
        "issue": explain(problem, web.lang) if problem else None,
        "post": session.get(Post, ad.tiktok_item_id),
        "review_reasons": [explain(r, web.lang) for r in review.reasons(ad)],
        "ctas": _portfolio_ctas(session, ad),
    }  # fmt: skip


def _portfolio_ctas(session: Session, ad: Ad) -> tuple[str, ...]:
    """The calls to action of the ad's dynamic CTA portfolio, if it has one."""
    if ad.call_to_action_id is None:
        return ()
    portfolio = session.get(CreativePortfolio, ad.call_to_action_id)
    return portfolio.calls_to_action if portfolio is not None else ()


def _group_row(group: AdGroup, campaign: Campaign, now: datetime) -> dict[str, object]:
    secondary = adgroup_status(group, campaign, now)
    return {"group": group, "campaign": campaign, "status": _badge(secondary)}


def tables(session: Session, web: Web, advertiser: Advertiser) -> dict[str, Any]:
    now = web.context.clock.now()
    campaigns = [
        c for c in queries.list_campaigns(session, advertiser.advertiser_id)
        if c.operation_status != DELETED
    ]  # fmt: skip
    by_id = {c.campaign_id: c for c in campaigns}
    groups = [
        g for g in queries.list_adgroups(session, advertiser.advertiser_id)
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
            for ad in queries.list_ads(session, advertiser.advertiser_id)
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
        currency=advertiser.currency, kept=web.kept_values(), **values,
    )  # fmt: skip


def _toggle(value: str) -> OperationStatus:
    if value not in ("ENABLE", "DISABLE"):
        raise SparkadsError(
            "invalid_parameter", field="operation_status", detail=N_("ENABLE or DISABLE")
        )
    return OperationStatus(value)


# How each level's status is set, as campaign/status/update, adgroup/... and ad/... do.
StatusSetter = Callable[[Campaigns, Principal, str, Sequence[str], OperationStatus], object]
STATUS_SETTERS: dict[str, StatusSetter] = {
    "campaigns": Campaigns.set_campaign_status,
    "adgroups": Campaigns.set_adgroup_status,
    "ads": Campaigns.set_ad_status,
}


@router.post("/ads/{level}/{object_id}/status")
@shows_errors_on(back_to("/ads/campaigns"))  # the refusal shows at the top of the page
def set_status(level: str, object_id: str, web: WebDep, form: FormDep) -> Response:
    wanted = _toggle(form.get("operation_status"))
    campaigns, principal, advertiser_id = acting(web)
    set_status = STATUS_SETTERS.get(level)
    if set_status is None:
        raise SparkadsError("object_not_found", object_type=level, object_id=object_id)
    set_status(campaigns, principal, advertiser_id, [object_id], wanted)
    web.flash(N_("Enabled.") if wanted is OperationStatus.ENABLE else N_("Paused."))
    return web.redirect(f"/ads/campaigns#{level}")


def acting(web: Web) -> tuple[Campaigns, Principal, str]:
    """The campaigns service, the signed-in person and their current ad account."""
    account = web.require_ad_account()
    assert web.user is not None
    return campaigns_of(web), web.user.principal, account.advertiser_id


def parse_budget(raw: str) -> int:
    """A budget typed in a form, in micros."""
    field = LocalText(N_("Budget"))
    value = form_micros(raw, field)
    if value is None:
        detail = LocalText(N_("“{value}” is not a number"), {"value": raw})
        raise SparkadsError("invalid_parameter", field=field, detail=detail)
    return value


def _budget_of(web: Web, level: str, object_id: str) -> LocalText | None:
    """What a refused budget names: the campaign or ad group, if the current account has it."""
    advertiser_id = web.require_ad_account().advertiser_id
    with web.uow() as uow:
        if level == "campaigns":
            campaign = uow.session.get(Campaign, object_id)
            if campaign is not None and campaign.advertiser_id == advertiser_id:
                return LocalText(
                    N_("Budget of the campaign {name}"), {"name": campaign.campaign_name}
                )
        elif level == "adgroups":
            group = uow.session.get(AdGroup, object_id)
            if group is not None and group.advertiser_id == advertiser_id:
                return LocalText(N_("Budget of the ad group {name}"), {"name": group.adgroup_name})
    return None


def budget_refused(web: Web, error: SparkadsError, form: Form) -> Response:
    """A refused budget goes back to the campaigns page, naming the campaign or ad group, with
    the value typed kept in that row's field."""
    level, object_id = web.request.path_params["level"], web.request.path_params["object_id"]
    about = _budget_of(web, level, object_id)
    kept = {f"budget-{object_id}": form.get("budget")}
    web.flash_problem(error, about=about, kept=kept)
    return web.redirect("/ads/campaigns")


@router.post("/ads/{level}/{object_id}/budget")
@shows_errors_on(budget_refused)  # the refusal shows at the top of the page
def set_budget(level: str, object_id: str, web: WebDep, form: FormDep) -> Response:
    budget = parse_budget(form.get("budget"))
    campaigns, principal, advertiser_id = acting(web)
    if level == "campaigns":
        change = CampaignChange(campaign_id=object_id, budget=budget)
        campaigns.update_campaign(principal, advertiser_id, change)
    else:
        group = AdGroupChange(adgroup_id=object_id, plan=AdGroupPlan(budget=budget))
        campaigns.update_adgroup(principal, advertiser_id, group)
    web.flash(N_("Budget saved."))
    return web.redirect(f"/ads/campaigns#{level}")
