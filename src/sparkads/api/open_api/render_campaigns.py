"""Campaigns, ad groups and ads in the v1.3 wire shapes (reference §3.10–3.21)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from sparkads.campaigns import review, standing, status
from sparkads.campaigns.assets import warning_dicts, warnings_for
from sparkads.campaigns.minors import adgroup_warnings
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import format_tiktok_time
from sparkads.marketplace.reach import audience_size_estimate
from sparkads.money import from_micros


def amount(micros: int | None) -> float | None:
    return None if micros is None else float(from_micros(micros))


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else format_tiktok_time(moment)


def _in_campaign(row: Campaign | AdGroup | Ad, parent: Campaign) -> dict[str, object]:
    """The first fields of a campaign, an ad group and an ad: the ad account and the campaign."""
    return {
        "advertiser_id": row.advertiser_id,
        "campaign_id": row.campaign_id,
        "campaign_name": parent.campaign_name,
    }


def campaign(row: Campaign) -> dict[str, object]:
    return {
        **_in_campaign(row, row),
        "objective_type": row.objective_type,
        "campaign_type": "REGULAR_CAMPAIGN",
        "budget_mode": row.budget_mode,
        "budget": amount(row.budget) or 0.0,
        "budget_optimize_on": False,
        "operation_status": row.operation_status,
        "secondary_status": status.campaign_status(row.operation_status),
        "special_industries": row.special_industries,
        "app_promotion_type": row.app_promotion_type,
        "po_number": row.po_number,
        "is_new_structure": True,
        "is_smart_performance_campaign": False,
        "is_search_campaign": False,
        "create_time": _time(row.create_time),
        "modify_time": _time(row.modify_time),
    }


def adgroup(
    row: AdGroup, parent: Campaign, now: datetime, lang: str = "en", *, estimate: bool = True
) -> dict[str, object]:
    """An ad group as v1.3 shows it, its warnings in `lang`; without `estimate`, its audience size
    estimate (a query over the traffic) is left None for the caller to fill in (adgroup/get, for
    its page)."""
    return {
        **_in_campaign(row, parent),
        "adgroup_id": row.adgroup_id,
        "adgroup_name": row.adgroup_name,
        "operation_status": row.operation_status,
        "secondary_status": standing.adgroup_status(row, parent, now),
        "objective_type": parent.objective_type,
        "placement_type": row.placement_type,
        "placements": row.placements,
        "promotion_type": row.promotion_type,
        "optimization_goal": row.optimization_goal,
        "billing_event": row.billing_event,
        "bid_type": row.bid_type,
        "bid_price": amount(row.bid_price),
        "conversion_bid_price": amount(row.conversion_bid_price),
        "bid_display_mode": "CPMV",
        "pacing": row.pacing,
        "budget_mode": row.budget_mode,
        "budget": amount(row.budget) or 0.0,
        "schedule_type": row.schedule_type,
        "schedule_start_time": _time(row.schedule_start_time),
        "schedule_end_time": _time(row.schedule_end_time),
        "dayparting": row.dayparting,
        "frequency": row.frequency,
        "frequency_schedule": row.frequency_schedule,
        **row.targeting,
        "comment_disabled": row.comment_disabled,
        "creative_material_mode": "CUSTOM",
        "is_new_structure": True,
        "audience_size_estimate": (
            audience_size_estimate(object_session(row), row.targeting, now) if estimate else None
        ),
        # advice, never a refusal (minors shown no profiled ads: campaigns/minors.py)
        "warnings": warning_dicts(adgroup_warnings(row.targeting), lang),
        "create_time": _time(row.create_time),
        "modify_time": _time(row.modify_time),
    }


def ad(
    session: Session, row: Ad, group: AdGroup, parent: Campaign, now: datetime, lang: str = "en"
) -> dict[str, object]:
    state = standing.ad_standing(session, row, group, parent, now)
    asset, problem = state.asset, state.problem
    # Warnings follow the current state (a renewed code clears the authorization warning).
    warnings = (
        warnings_for(asset, group, lang)
        if asset is not None  # as kept (in English; older rows had a "fr" key beside)
        else [{k: v for k, v in w.items() if k != "fr"} for w in row.warnings]
    )
    return {
        **_in_campaign(row, parent),
        "adgroup_id": row.adgroup_id,
        "adgroup_name": group.adgroup_name,
        "ad_id": row.ad_id,
        "ad_name": row.ad_name,
        "operation_status": row.operation_status,
        "secondary_status": state.secondary,
        "delivery_issue": None
        if problem is None
        else {
            "reason": problem.code,
            **{k: v for k, v in problem.render("en").items() if k != "code"},
        },
        "identity_type": row.identity_type,
        "identity_id": row.identity_id,
        "identity_authorized_bc_id": row.identity_authorized_bc_id,
        "tiktok_item_id": row.tiktok_item_id,
        "ad_format": row.ad_format,
        "ad_text": row.ad_text,
        "call_to_action": row.call_to_action,
        "call_to_action_id": row.call_to_action_id,
        "landing_page_url": row.landing_page_url,
        "dark_post_status": row.dark_post_status,
        "video_id": None,
        "image_ids": [],
        "is_aco": False,
        "creative_authorized": False,
        "warnings": warnings,
        "review_status": row.review_status,
        "review_reasons": review.rendered_reasons(row, "en"),
        "create_time": _time(row.create_time),
        "modify_time": _time(row.modify_time),
    }
