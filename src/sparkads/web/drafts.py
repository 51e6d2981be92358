"""A campaign being built in the wizard: its form state turned into the v1.3 schemas the API uses
(CampaignCreate, AdGroupCreate, AdCreate), created through the same services — for real on submit,
or in a transaction rolled back for the review (so the review shows exactly what the rules say,
warnings included) — and what its budget would buy (the forecast, a replay of the traffic log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.api.validation import parse_model
from sparkads.authorizations.models import Identity
from sparkads.campaigns import adgroups, ads, rules
from sparkads.campaigns import service as campaigns
from sparkads.campaigns.enums import BillingEvent, BudgetMode, Objective
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.campaigns.schemas import AdCreate, AdGroupCreate, CampaignCreate
from sparkads.clock import Clock
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import Snapshot
from sparkads.errors import SparkadsError
from sparkads.money import from_micros
from sparkads.posts.models import ItemType, Post
from sparkads.services import forecasts
from sparkads.services.forecasts import Outlook
from sparkads.web.forms import form_amount
from sparkads.web.i18n import N_

State = dict[str, list[str]]


def one(state: State, name: str, default: str = "") -> str:
    values = state.get(name) or [default]
    return values[0].strip()


def _behaviours(state: State) -> list[dict[str, Any]]:
    """The wizard's one behaviour line (viewers who did these actions on videos of a category in
    the last N days) as the API's `actions`; nothing ticked, no behaviour targeting."""
    actions = state.get("behaviour_actions") or []
    if not actions:
        return []
    category = one(state, "behaviour_category")
    period = one(state, "behaviour_period", "30")
    return [{
        "action_scene": "VIDEO_RELATED",
        "action_period": int(period) if period.isdigit() else period,
        "video_user_actions": actions,
        "action_category_ids": [category] if category else [],
    }]  # fmt: skip


def _amount(state: State, name: str) -> Decimal | None:
    return form_amount(one(state, name), name)


def _local_time(state: State, name: str, zone: str) -> str | None:
    """A datetime-local field, in the ad account's timezone, as v1.3 UTC time."""
    raw = one(state, name)
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(zone))
    except ValueError:
        raise SparkadsError(
            "schedule_invalid", detail=f"{name} {raw!r} is not a date and time"
        ) from None
    return local.astimezone(ZoneInfo("UTC")).strftime(adgroups.TIME_FORMAT)


UPLOAD = "upload"  # the wizard's "upload a new ads-only video" choice (R6 push flow)


@dataclass(frozen=True)
class NewVideo:
    """A video uploaded in the wizard, to publish as an ads-only post on an own account."""

    identity_type: str
    identity_id: str
    video_id: str
    ad_text: str

    @classmethod
    def from_state(cls, state: State) -> NewVideo | None:
        if one(state, "post") != UPLOAD:
            return None
        identity_type, _, identity_id = one(state, "upload_identity").partition(":")
        return cls(identity_type, identity_id, one(state, "video_id"), one(state, "ad_text"))

    def problem(self) -> SparkadsError | None:
        """What is missing before the next step; the services check the rest."""
        if not (self.identity_type and self.identity_id):
            return SparkadsError(
                "invalid_parameter", field="upload_identity", detail=N_("choose a TikTok account")
            )
        if not self.video_id:
            return SparkadsError(
                "invalid_parameter", field="video_file", detail=N_("choose a video file to upload")
            )
        if not 1 <= len(self.ad_text) <= 100:
            return SparkadsError(
                "invalid_parameter", field="ad_text", detail=N_("write 1 to 100 characters")
            )
        return None


@dataclass(frozen=True)
class PostChoice:
    identity_type: str
    identity_id: str
    item_id: str

    @classmethod
    def parse(cls, value: str) -> PostChoice | None:
        parts = value.split(":")
        return cls(*parts) if len(parts) == 3 and all(parts) else None

    @property
    def value(self) -> str:
        return f"{self.identity_type}:{self.identity_id}:{self.item_id}"


def goal_and_billing(state: State, objective: Objective) -> tuple[str, str]:
    """The chosen 'GOAL:BILLING' pair, or the objective's first one (from the rules' table)."""
    allowed = rules.OBJECTIVE_GOALS[objective]
    goal, _, billing = one(state, "goal").partition(":")
    for option, billings in allowed.items():
        if option.value == goal and billing in {b.value for b in billings}:
            return goal, billing
    first = next(iter(allowed))
    return first.value, allowed[first][0].value


def campaign_schema(state: State, advertiser: Advertiser, key: str) -> CampaignCreate:
    mode = one(state, "budget_mode", BudgetMode.DAY.value)
    return parse_model(
        CampaignCreate,
        {
            "advertiser_id": advertiser.advertiser_id,
            "campaign_name": one(state, "campaign_name") or "Spark campaign",
            "objective_type": one(state, "objective"),
            "budget_mode": mode,
            "budget": _amount(state, "budget"),
            "request_id": f"web-{key}-campaign"[:64],
        },
    )


def adgroup_schema(
    state: State, advertiser: Advertiser, campaign: Campaign, key: str
) -> AdGroupCreate:
    objective = Objective(campaign.objective_type)
    goal, billing = goal_and_billing(state, objective)
    custom = one(state, "bid_type", "BID_TYPE_NO_BID") == "BID_TYPE_CUSTOM"
    bid = _amount(state, "bid") if custom else None
    bid_field = "conversion_bid_price" if billing == BillingEvent.OCPM.value else "bid_price"
    ranged = one(state, "schedule") == "range"
    data: dict[str, Any] = {
        "advertiser_id": advertiser.advertiser_id,
        "campaign_id": campaign.campaign_id,
        "adgroup_name": one(state, "adgroup_name") or campaign.campaign_name,
        "request_id": f"web-{key}-adgroup"[:64],
        "promotion_type": (
            (one(state, "promotion_type") or None) if objective in rules.PROMOTION_TYPES else None
        ),
        "placement_type": "PLACEMENT_TYPE_NORMAL",
        "placements": ["PLACEMENT_TIKTOK"],
        "location_ids": state.get("location_ids") or [],
        "gender": one(state, "gender", "GENDER_UNLIMITED"),
        "age_groups": state.get("age_groups") or [],
        "interest_category_ids": state.get("interests") or [],
        "languages": state.get("languages") or [],
        "actions": _behaviours(state),
        "operating_systems": state.get("operating_systems") or [],
        "min_android_version": one(state, "min_android_version") or None,
        "min_ios_version": one(state, "min_ios_version") or None,
        "network_types": state.get("network_types") or [],
        "audience_ids": state.get("audience_ids") or [],
        "excluded_audience_ids": state.get("excluded_audience_ids") or [],
        "budget_mode": campaign.budget_mode,
        "budget": from_micros(campaign.budget) if campaign.budget else None,
        "schedule_type": "SCHEDULE_START_END" if ranged else "SCHEDULE_FROM_NOW",
        "schedule_start_time": _local_time(state, "start", advertiser.timezone) if ranged else None,
        "schedule_end_time": _local_time(state, "end", advertiser.timezone) if ranged else None,
        "optimization_goal": goal,
        "billing_event": billing,
        "bid_type": "BID_TYPE_CUSTOM" if custom else "BID_TYPE_NO_BID",
        bid_field: bid,
    }
    return parse_model(AdGroupCreate, data)


def ad_schema(
    session: Session,
    state: State,
    advertiser: Advertiser,
    group: AdGroup,
    choice: PostChoice | NewVideo,
) -> AdCreate:
    identity = session.get(Identity, choice.identity_id)
    creative: dict[str, Any] = {
        "ad_name": one(state, "ad_name"),
        "identity_type": choice.identity_type,
        "identity_id": choice.identity_id,
        "identity_authorized_bc_id": identity.bc_id if identity else None,
        "call_to_action": one(state, "call_to_action") or None,
        "landing_page_url": one(state, "landing_page_url") or None,
    }
    if isinstance(choice, NewVideo):
        creative |= {
            "video_id": choice.video_id,
            "ad_text": choice.ad_text,
            "dark_post_status": "ON",
            "ad_format": ads.FORMAT_OF[ItemType.VIDEO.value].value,
        }
    else:
        post = session.get(Post, choice.item_id)
        if post is None:
            raise SparkadsError("post_not_found", item_id=choice.item_id)
        creative |= {
            "tiktok_item_id": choice.item_id,
            "ad_format": ads.FORMAT_OF[post.item_type].value,
        }
    return parse_model(
        AdCreate,
        {"advertiser_id": advertiser.advertiser_id, "adgroup_id": group.adgroup_id,
         "creatives": [creative]},
    )  # fmt: skip


@dataclass(frozen=True)
class Built:
    campaign: Campaign
    adgroup: AdGroup
    ad: Ad


def build(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    state: State,
    key: str,
    *,
    auto_approve: bool,
) -> Built:
    """Create the campaign, its ad group and its Spark ad (through review); the caller commits,
    or not."""
    choice = PostChoice.parse(one(state, "post")) or NewVideo.from_state(state)
    if choice is None:
        raise SparkadsError("invalid_parameter", field="post", detail=N_("choose a post"))
    if isinstance(choice, NewVideo) and (problem := choice.problem()) is not None:
        raise problem
    campaign = campaigns.create_campaign(
        session, clock, advertiser, campaign_schema(state, advertiser, key)
    )
    group = adgroups.create_adgroup(
        session, clock, advertiser, adgroup_schema(state, advertiser, campaign, key)
    )
    [ad] = ads.create_ads(
        session,
        clock,
        advertiser,
        ad_schema(session, state, advertiser, group, choice),
        auto_approve=auto_approve,
    )
    return Built(campaign, group, ad)


def outlook(
    session: Session,
    built: Built,
    advertiser: Advertiser,
    snapshot: Snapshot,
    counters: Counters,
    now: datetime,
) -> Outlook:
    """The forecast, wired as POST /api/v1/forecasts wires it (nothing is saved); raises
    `forecast_no_basis` without enough traffic."""
    group = built.adgroup
    days = 1
    if group.budget_mode == BudgetMode.TOTAL.value and group.schedule_end_time is not None:
        days = rules.scheduled_days(group.schedule_start_time, group.schedule_end_time)
    bid = group.conversion_bid_price if group.billing_event == "OCPM" else group.bid_price
    return forecasts.outlook(
        session,
        advertiser,
        forecasts.DraftGroup(
            targeting=group.targeting, goal=group.optimization_goal,
            billing=group.billing_event, bid_type=group.bid_type, bid=bid or 0,
            daily_budget=(group.budget or 0) // days, item_id=built.ad.tiktok_item_id,
            frequency=group.frequency,
        ),
        snapshot=snapshot, history=counters.stats_snapshot(), now=now,
    )  # fmt: skip
