"""Ad group services: budget (R13), bidding (R14), targeting (R3), schedule. Never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.attributes import from_attributes
from sparkads.campaigns import rules
from sparkads.campaigns.commands import AdGroupChange, AdGroupPlan, NewAdGroup
from sparkads.campaigns.enums import (
    BidType,
    BillingEvent,
    BudgetMode,
    Objective,
    OperationStatus,
    PlacementType,
    ScheduleType,
)
from sparkads.campaigns.idempotency import CreateRequest
from sparkads.campaigns.models import Ad, AdGroup
from sparkads.campaigns.queries import get_adgroup, get_campaign, validated_targeting
from sparkads.campaigns.service import MAX_STATUS_IDS, require_not_deleted
from sparkads.clock import Clock, as_utc
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id


def _schedule(
    schedule_type: ScheduleType, start: datetime, end: datetime | None, now: datetime
) -> None:
    if schedule_type is ScheduleType.START_END and end is None:
        raise SparkadsError(
            "schedule_invalid", detail=LocalText(N_("SCHEDULE_START_END needs schedule_end_time"))
        )
    if end is not None and end <= start:
        raise SparkadsError(
            "schedule_invalid", detail=LocalText(N_("schedule_end_time must be after the start"))
        )
    if end is not None and end <= now:
        raise SparkadsError(
            "schedule_invalid", detail=LocalText(N_("schedule_end_time is in the past"))
        )


def _check_budget(
    advertiser: Advertiser,
    mode: BudgetMode,
    schedule_type: ScheduleType,
    budget: int | None,
    start: datetime,
    end: datetime | None,
) -> None:
    if mode is BudgetMode.TOTAL and (schedule_type is not ScheduleType.START_END or end is None):
        raise SparkadsError(
            "schedule_invalid",
            detail=LocalText(N_("a lifetime budget (BUDGET_MODE_TOTAL) needs SCHEDULE_START_END")),
        )
    days = rules.scheduled_days(start, end) if end is not None else None
    rules.check_budget(advertiser.currency, level="adgroup", mode=mode, budget=budget, days=days)


def _check_frequency(frequency: int | None, frequency_schedule: int | None) -> None:
    if (frequency is None) != (frequency_schedule is None):
        raise SparkadsError(
            "invalid_parameter",
            field="frequency",
            detail=LocalText(N_("frequency and frequency_schedule go together")),
        )


def _check_placement(data: AdGroupPlan) -> None:
    if data.placement_type is PlacementType.NORMAL and not data.placements:
        raise SparkadsError(
            "invalid_parameter",
            field="placements",
            detail=LocalText(N_("PLACEMENT_TYPE_NORMAL needs placements, e.g. PLACEMENT_TIKTOK")),
        )


def create_adgroup(
    session: Session, clock: Clock, advertiser: Advertiser, data: NewAdGroup
) -> AdGroup:
    request = CreateRequest(advertiser.advertiser_id, "adgroup/create", data.request_id, "ad group")
    request.check_unused(session)
    campaign = get_campaign(session, advertiser.advertiser_id, data.campaign_id)
    require_not_deleted("campaign", campaign.campaign_id, campaign.operation_status)
    objective = Objective(campaign.objective_type)
    rules.check_goal(objective, data.optimization_goal, data.billing_event)
    rules.check_promotion(objective, data.promotion_type)
    bid = rules.Bid(
        data.bid_type, data.billing_event, data.plan.bid_price, data.plan.conversion_bid_price
    )
    rules.check_bid(bid)
    now = clock.now()
    start = data.plan.schedule_start_time or now
    end = data.plan.schedule_end_time
    _schedule(data.schedule_type, start, end, now)
    _check_budget(advertiser, data.budget_mode, data.schedule_type, data.plan.budget, start, end)
    rules.check_dayparting(data.plan.dayparting)
    _check_frequency(data.plan.frequency, data.plan.frequency_schedule)
    _check_placement(data.plan)
    spec = validated_targeting(session, advertiser, data.plan.targeting)
    adgroup = from_attributes(
        AdGroup,
        data,  # its name, status, promotion type, goal, billing event, bid type, pacing and modes
        adgroup_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        campaign_id=campaign.campaign_id,
        placement_type=data.plan.placement_type or PlacementType.NORMAL,
        placements=list(data.plan.placements or ["PLACEMENT_TIKTOK"]),
        bid_price=bid.bid_price,
        conversion_bid_price=bid.conversion_bid_price,
        budget=data.plan.budget,
        schedule_start_time=start,
        schedule_end_time=end,
        dayparting=data.plan.dayparting,
        frequency=data.plan.frequency,
        frequency_schedule=data.plan.frequency_schedule,
        targeting=spec.model_dump(mode="json"),
        comment_disabled=bool(data.plan.comment_disabled),
        create_time=now,
        modify_time=now,
    )
    request.remember(session, clock, added(session, adgroup).adgroup_id)
    return adgroup


def update_adgroup(
    session: Session, clock: Clock, advertiser: Advertiser, data: AdGroupChange
) -> AdGroup:
    adgroup = get_adgroup(session, advertiser.advertiser_id, data.adgroup_id)
    campaign = get_campaign(session, advertiser.advertiser_id, adgroup.campaign_id)
    require_not_deleted(
        "ad group", adgroup.adgroup_id, adgroup.operation_status, campaign.operation_status
    )
    mode = BudgetMode(adgroup.budget_mode)
    rules.check_budget_mode_unchanged("adgroup", mode, data.budget_mode)
    now = clock.now()
    start = data.plan.schedule_start_time or as_utc(adgroup.schedule_start_time)
    end = data.plan.schedule_end_time or (
        as_utc(adgroup.schedule_end_time) if adgroup.schedule_end_time else None
    )
    schedule_type = data.schedule_type or ScheduleType(adgroup.schedule_type)
    budget = data.plan.budget if data.plan.budget is not None else adgroup.budget
    if data.plan.schedule_end_time or data.plan.schedule_start_time or data.schedule_type:
        _schedule(schedule_type, start, end, now)
    _check_budget(advertiser, mode, schedule_type, budget, start, end)
    bid_type = data.bid_type or BidType(adgroup.bid_type)
    bid = rules.Bid(
        bid_type,
        BillingEvent(adgroup.billing_event),
        data.plan.bid_price if data.plan.bid_price is not None else adgroup.bid_price,
        data.plan.conversion_bid_price
        if data.plan.conversion_bid_price is not None
        else adgroup.conversion_bid_price,
    )
    if data.bid_type is BidType.NO_BID:
        bid = rules.Bid(bid_type, bid.billing, None, None)
    rules.check_bid(bid)
    rules.check_dayparting(data.plan.dayparting)
    frequency = data.plan.frequency if data.plan.frequency is not None else adgroup.frequency
    frequency_schedule = (
        data.plan.frequency_schedule
        if data.plan.frequency_schedule is not None
        else adgroup.frequency_schedule
    )
    _check_frequency(frequency, frequency_schedule)
    changes = data.plan.targeting
    if changes:
        spec = validated_targeting(session, advertiser, {**adgroup.targeting, **changes})
        adgroup.targeting = spec.model_dump(mode="json")
    if data.adgroup_name is not None:
        adgroup.adgroup_name = data.adgroup_name
    adgroup.schedule_type, adgroup.schedule_start_time = schedule_type, start
    adgroup.schedule_end_time, adgroup.budget = end, budget
    adgroup.bid_type, adgroup.bid_price = bid.bid_type, bid.bid_price
    adgroup.conversion_bid_price = bid.conversion_bid_price
    adgroup.frequency, adgroup.frequency_schedule = frequency, frequency_schedule
    if data.plan.dayparting is not None:
        adgroup.dayparting = data.plan.dayparting
    if data.plan.comment_disabled is not None:
        adgroup.comment_disabled = data.plan.comment_disabled
    if data.pacing is not None:
        adgroup.pacing = data.pacing
    adgroup.modify_time = now
    session.flush()
    return adgroup


def set_adgroup_status(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    adgroup_ids: Sequence[str],
    status: OperationStatus,
) -> tuple[list[AdGroup], list[tuple[str, SparkadsError]]]:
    """Returns the ad groups changed and, for the others, why not (for allow_partial_success)."""
    if len(adgroup_ids) > MAX_STATUS_IDS:
        raise SparkadsError("too_many_ids", field="adgroup_ids", limit=MAX_STATUS_IDS)
    changed, failed = [], []
    now = clock.now()
    for adgroup_id in adgroup_ids:
        try:
            adgroup = get_adgroup(session, advertiser.advertiser_id, adgroup_id)
            campaign = get_campaign(session, advertiser.advertiser_id, adgroup.campaign_id)
            require_not_deleted(
                "ad group", adgroup_id, adgroup.operation_status, campaign.operation_status
            )
        except SparkadsError as error:
            failed.append((adgroup_id, error))
            continue
        adgroup.operation_status, adgroup.modify_time = status, now
        if status is OperationStatus.DELETE:
            session.execute(
                update(Ad)
                .where(Ad.adgroup_id == adgroup.adgroup_id)
                .values(operation_status=status, modify_time=now)
            )
        changed.append(adgroup)
    session.flush()
    return changed, failed


__all__ = ["create_adgroup", "set_adgroup_status", "update_adgroup"]
