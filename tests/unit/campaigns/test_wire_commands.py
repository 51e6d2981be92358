"""The open API's v1.3 bodies become domain commands field by field, by name: each field of the
command is read from the body's field of the same name, converted by one table (money to micros,
times to aware datetimes, lists to tuples, statuses to enums), so the whole command is pinned
here (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sparkads.api.open_api import commands
from sparkads.api.open_api.ad_schemas import AdCreate, AdUpdate
from sparkads.api.open_api.campaign_schemas import AdGroupCreate, CampaignUpdate
from sparkads.authorizations.models import IdentityType
from sparkads.campaigns.commands import (
    AdGroupPlan,
    CampaignChange,
    CreativeChange,
    NewAdGroup,
    NewCreative,
)
from sparkads.campaigns.enums import (
    AdFormat,
    BidType,
    BillingEvent,
    BudgetMode,
    OperationStatus,
    OptimizationGoal,
    Pacing,
    PlacementType,
    ScheduleType,
)
from sparkads.errors import SparkadsError


def test_an_ad_group_body_becomes_the_whole_command() -> None:
    body = AdGroupCreate.model_validate(
        {
            "advertiser_id": "1",
            "campaign_id": "2",
            "adgroup_name": "Group",
            "operation_status": "DISABLE",
            "placement_type": "PLACEMENT_TYPE_NORMAL",
            "placements": ["PLACEMENT_TIKTOK"],
            "location_ids": ["2077456"],
            "budget_mode": "BUDGET_MODE_DAY",
            "budget": "25.5",
            "schedule_type": "SCHEDULE_START_END",
            "schedule_start_time": "2026-11-01 08:00:00",
            "schedule_end_time": " 2026-11-30 23:59:59 ",
            "frequency": 3,
            "frequency_schedule": 7,
            "optimization_goal": "CLICK",
            "billing_event": "CPC",
            "bid_price": Decimal("0.4"),
        }
    )
    assert commands.new_adgroup(body) == NewAdGroup(
        campaign_id="2",
        adgroup_name="Group",
        budget_mode=BudgetMode.DAY,
        schedule_type=ScheduleType.START_END,
        optimization_goal=OptimizationGoal.CLICK,
        billing_event=BillingEvent.CPC,
        bid_type=BidType.CUSTOM,
        pacing=Pacing.SMOOTH,
        promotion_type=None,
        operation_status=OperationStatus.DISABLE,
        request_id=None,
        plan=AdGroupPlan(
            placement_type=PlacementType.NORMAL,
            placements=("PLACEMENT_TIKTOK",),
            targeting={"location_ids": ["2077456"]},
            budget=25_500_000,
            schedule_start_time=datetime(2026, 11, 1, 8, tzinfo=UTC),
            schedule_end_time=datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC),
            frequency=3,
            frequency_schedule=7,
            bid_price=400_000,
        ),
    )


def test_a_change_leaves_what_the_body_does_not_give() -> None:
    body = CampaignUpdate.model_validate(
        {"advertiser_id": "1", "campaign_id": "3", "budget": 120, "special_industries": []}
    )
    assert commands.campaign_change(body) == CampaignChange(
        campaign_id="3", budget=120_000_000, special_industries=()
    )


def test_creatives_take_their_identity_type_as_an_enum_or_none() -> None:
    created = AdCreate.model_validate(
        {
            "advertiser_id": "1",
            "adgroup_id": "4",
            "creatives": [
                {"identity_type": "AUTH_CODE", "identity_id": "9", "tiktok_item_id": "77"}
            ],
        }
    )
    assert commands.new_creatives(created) == [
        NewCreative(
            identity_type=IdentityType.AUTH_CODE,
            identity_id="9",
            ad_format=AdFormat.SINGLE_VIDEO,
            tiktok_item_id="77",
        )
    ]
    changed = AdUpdate.model_validate(
        {"advertiser_id": "1", "adgroup_id": "4", "creatives": [{"ad_id": "5", "ad_name": "B"}]}
    )
    assert commands.creative_changes(changed) == [CreativeChange(ad_id="5", ad_name="B")]


def test_a_time_not_in_the_wire_format_is_refused_by_name() -> None:
    body = AdGroupCreate.model_validate(
        {
            "advertiser_id": "1",
            "campaign_id": "2",
            "adgroup_name": "Group",
            "location_ids": ["2077456"],
            "budget_mode": "BUDGET_MODE_DAY",
            "schedule_type": "SCHEDULE_FROM_NOW",
            "schedule_end_time": "2026-11-30",
            "optimization_goal": "CLICK",
            "billing_event": "CPC",
        }
    )
    with pytest.raises(SparkadsError) as caught:
        commands.new_adgroup(body)
    assert caught.value.code == "schedule_invalid"
    assert "schedule_end_time" in str(caught.value.params)
