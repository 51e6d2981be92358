"""TikTok v1.3 wire bodies → domain commands (campaigns/commands.py).

Each mapping first refuses fields sparkads does not support (`check_fields`), then turns amounts
into micros and 'YYYY-MM-DD HH:MM:SS' times (UTC) into datetimes, so the domain never sees the
wire format."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sparkads.api.open_api.ad_schemas import AdCreate, AdUpdate
from sparkads.api.open_api.campaign_schemas import (
    AdGroupCreate,
    AdGroupFields,
    AdGroupUpdate,
    CampaignCreate,
    CampaignUpdate,
)
from sparkads.authorizations.models import IdentityType
from sparkads.campaigns.commands import (
    AdGroupChange,
    AdGroupPlan,
    CampaignChange,
    CreativeChange,
    NewAdGroup,
    NewCampaign,
    NewCreative,
)
from sparkads.campaigns.enums import OperationStatus
from sparkads.errors import SparkadsError
from sparkads.money import to_micros

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def micros(amount: Decimal | None) -> int | None:
    return None if amount is None else to_micros(amount)


def parse_time(field: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SparkadsError(
            "schedule_invalid", detail=f"{field} {value!r} is not 'YYYY-MM-DD HH:MM:SS'"
        ) from None


def _tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def _plan(body: AdGroupFields) -> AdGroupPlan:
    return AdGroupPlan(
        placement_type=body.placement_type,
        placements=_tuple(body.placements),
        targeting=body.targeting_changes(),
        budget=micros(body.budget),
        schedule_start_time=parse_time("schedule_start_time", body.schedule_start_time),
        schedule_end_time=parse_time("schedule_end_time", body.schedule_end_time),
        dayparting=body.dayparting,
        frequency=body.frequency,
        frequency_schedule=body.frequency_schedule,
        comment_disabled=body.comment_disabled,
        bid_price=micros(body.bid_price),
        conversion_bid_price=micros(body.conversion_bid_price),
    )


def new_campaign(body: CampaignCreate) -> NewCampaign:
    body.check_fields()
    return NewCampaign(
        campaign_name=body.campaign_name,
        objective_type=body.objective_type,
        budget_mode=body.budget_mode,
        budget=micros(body.budget),
        operation_status=OperationStatus(body.operation_status),
        request_id=body.request_id,
        special_industries=tuple(body.special_industries),
        app_promotion_type=body.app_promotion_type,
        po_number=body.po_number,
    )


def campaign_change(body: CampaignUpdate) -> CampaignChange:
    body.check_fields()
    return CampaignChange(
        campaign_id=body.campaign_id,
        campaign_name=body.campaign_name,
        budget_mode=body.budget_mode,
        budget=micros(body.budget),
        special_industries=_tuple(body.special_industries),
        po_number=body.po_number,
    )


def new_adgroup(body: AdGroupCreate) -> NewAdGroup:
    body.check_fields()
    return NewAdGroup(
        campaign_id=body.campaign_id,
        adgroup_name=body.adgroup_name,
        request_id=body.request_id,
        operation_status=OperationStatus(body.operation_status),
        promotion_type=body.promotion_type,
        budget_mode=body.budget_mode,
        schedule_type=body.schedule_type,
        optimization_goal=body.optimization_goal,
        billing_event=body.billing_event,
        bid_type=body.bid_type,
        pacing=body.pacing,
        plan=_plan(body),
    )


def adgroup_change(body: AdGroupUpdate) -> AdGroupChange:
    body.check_fields()
    return AdGroupChange(
        adgroup_id=body.adgroup_id,
        adgroup_name=body.adgroup_name,
        budget_mode=body.budget_mode,
        schedule_type=body.schedule_type,
        bid_type=body.bid_type,
        pacing=body.pacing,
        plan=_plan(body),
    )


def _check_all(body: AdCreate | AdUpdate) -> None:
    body.check_fields()
    for creative in body.creatives:
        creative.check_fields()


def new_creatives(body: AdCreate) -> list[NewCreative]:
    _check_all(body)
    return [
        NewCreative(
            identity_type=IdentityType(c.identity_type),
            identity_id=c.identity_id,
            identity_authorized_bc_id=c.identity_authorized_bc_id,
            ad_name=c.ad_name,
            ad_format=c.ad_format,
            tiktok_item_id=c.tiktok_item_id,
            video_id=c.video_id,
            ad_text=c.ad_text,
            call_to_action=c.call_to_action,
            landing_page_url=c.landing_page_url,
            dark_post_status=c.dark_post_status,
            operation_status=OperationStatus(c.operation_status),
        )
        for c in body.creatives
    ]


def creative_changes(body: AdUpdate) -> list[CreativeChange]:
    _check_all(body)
    return [
        CreativeChange(
            ad_id=c.ad_id,
            ad_name=c.ad_name,
            identity_type=IdentityType(c.identity_type) if c.identity_type else None,
            identity_id=c.identity_id,
            identity_authorized_bc_id=c.identity_authorized_bc_id,
            ad_format=c.ad_format,
            tiktok_item_id=c.tiktok_item_id,
            video_id=c.video_id,
            call_to_action=c.call_to_action,
            landing_page_url=c.landing_page_url,
        )
        for c in body.creatives
    ]
