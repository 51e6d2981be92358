"""A campaign being built in the wizard: its form state turned into the domain commands the API
also maps its bodies to (campaigns/commands.py), launched through the same application service
(services.campaigns) — for real on submit, or as a dry run rolled back for the review (so the
review shows exactly what the rules say, warnings included) — and what its budget would buy (the
forecast, a replay of the traffic log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.models import IdentityType
from sparkads.campaigns import rules
from sparkads.campaigns.commands import AdGroupPlan, NewAdGroup, NewCampaign, NewCreative
from sparkads.campaigns.enums import (
    BidType,
    BillingEvent,
    BudgetMode,
    DarkPostStatus,
    Objective,
    OptimizationGoal,
    PlacementType,
    PromotionType,
    ScheduleType,
)
from sparkads.campaigns.models import Campaign
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import Snapshot
from sparkads.errors import SparkadsError
from sparkads.i18n import LocalText
from sparkads.money import to_micros
from sparkads.services import forecasts
from sparkads.services.campaigns import Campaigns, Launch, Launched
from sparkads.services.forecasts import Outlook
from sparkads.web import problems
from sparkads.web.forms import form_amount, whole_number
from sparkads.web.i18n import N_, gettext
from sparkads.web.session import Web

State = dict[str, list[str]]
E = TypeVar("E", bound=StrEnum)

# The label the wizard shows beside each field a refusal may name, by the field's code in the
# form or in the API's commands (the services' rules speak of `bid_price`, the page of "Bid").
FIELD_LABELS = {
    "objective": N_("Objective"),
    "campaign_name": N_("Campaign name"),
    "post": N_("Post"),
    "upload_identity": N_("TikTok account"),
    "video_file": N_("Video file"),
    "ad_text": N_("Caption"),
    "promotion_type": N_("Where do people go?"),
    "call_to_action": N_("Call to action"),
    "landing_page_url": N_("Link"),
    "location_ids": N_("Countries"),
    "goal": N_("Optimize for"),
    "optimization_goal": N_("Optimize for"),
    **dict.fromkeys(("budget", "budget_mode"), N_("Budget")),
    **dict.fromkeys(("bid", "bid_price", "conversion_bid_price"), N_("Bid")),
    **dict.fromkeys(("start", "schedule_start_time"), N_("Start")),
    **dict.fromkeys(("end", "schedule_end_time"), N_("End")),
    "adgroup_name": N_("Ad group name"),
    "ad_name": N_("Ad name"),
}


def labelled(error: SparkadsError) -> SparkadsError:
    """`error` naming its field by the label the wizard shows (in the reader's language, as a
    LocalText) rather than by its code; other errors as they are."""
    if error.code == "landing_page_invalid":  # its message names the field by its code
        detail = error.params.get("detail", "")
        cause = LocalText(N_("A website campaign sends people to a page: the Link is empty."))
        if not isinstance(detail, LocalText):  # the address as typed
            detail = LocalText(N_("not a web address people can open ({url})"), {"url": detail})
            cause = LocalText(N_("The Link is not an address a phone can open."))
        return SparkadsError(
            "invalid_parameter", field=LocalText(FIELD_LABELS["landing_page_url"]), detail=detail,
            form_field="landing_page_url", form_cause=cause, form_solution=LocalText(LINK_HINT),
        )  # fmt: skip
    named = problems.labelled(error, FIELD_LABELS)
    if named is error:
        return error
    return SparkadsError(named.code, **{**named.params, "form_field": error.params["field"]})


# the targeting fields a minors' warning names (`campaigns/minors.PROFILING_FIELDS`), as the
# wizard's audience step labels them
PROFILING_LABELS = {
    "interest_category_ids": N_("Interests"),
    "actions": N_("Behaviours"),
    "audience_ids": N_("Audiences"),
    "excluded_audience_ids": N_("Excluded audiences"),
}


def warning_in_words(warning: SparkadsError, lang: str) -> SparkadsError:
    """A warning as the wizard shows it: the targeting fields it names by their labels."""
    used = warning.params.get("used")
    if warning.code != "minors_see_no_profiled_ads" or not isinstance(used, str):
        return warning
    words = ", ".join(gettext(lang, PROFILING_LABELS.get(n, n)) for n in used.split(", "))
    return SparkadsError(warning.code, **{**warning.params, "used": words})


LINK_HINT = N_(
    "Type the address of the page people open when they tap the button, such as "
    "https://brand.example.com/offer, in Link."
)


def one(state: State, name: str, default: str = "") -> str:
    values = state.get(name) or [default]
    return values[0].strip()


def _behaviours(state: State) -> list[dict[str, object]]:
    """The wizard's one behaviour line (viewers who did these actions on videos of a category in
    the last N days) as the API's `actions`; nothing ticked, no behaviour targeting."""
    actions = state.get("behaviour_actions") or []
    if not actions:
        return []
    category = one(state, "behaviour_category")
    period = one(state, "behaviour_period", "30")
    return [{
        "action_scene": "VIDEO_RELATED",
        "action_period": period if (days := whole_number(period)) is None else days,
        "video_user_actions": actions,
        "action_category_ids": [category] if category else [],
    }]  # fmt: skip


MAX_AMOUNT = Decimal(10) ** 12  # what the v1.3 bodies accept: 18 digits, 6 after the point


def form_micros(raw: str, field: str | LocalText) -> int | None:
    """A money amount typed in a form, in micros; None when left empty."""
    value = form_amount(raw, field)
    if value is None:
        return None
    if not 0 <= value < MAX_AMOUNT or -value.as_tuple().exponent > 6:  # type: ignore[operator]
        raise SparkadsError(
            "invalid_parameter",
            field=field,
            detail=LocalText(N_("“{value}”: 0 or more, 6 decimals at most"), {"value": raw}),
        )
    return to_micros(value)


def _amount(state: State, name: str) -> int | None:
    return form_micros(one(state, name), name)


def _choice(kind: type[E], state: State, name: str, default: str = "") -> E:
    value = one(state, name, default)
    try:
        return kind(value)
    except ValueError:
        raise SparkadsError(
            "invalid_parameter",
            field=name,
            detail=LocalText(N_("“{value}” is not one of the choices"), {"value": value}),
        ) from None


def _local_time(state: State, name: str, zone: str) -> datetime | None:
    """A datetime-local field, in the ad account's timezone, in UTC."""
    raw = one(state, name)
    if not raw:
        return None
    try:
        local = datetime.fromisoformat(raw).replace(tzinfo=ZoneInfo(zone))
    except ValueError:
        raise SparkadsError(
            "schedule_invalid",
            detail=LocalText(N_("“{value}” is not a date and time"), {"value": raw}),
        ) from None
    return local.astimezone(ZoneInfo("UTC")).replace(microsecond=0)


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


def campaign_command(state: State, key: str) -> NewCampaign:
    return NewCampaign(
        campaign_name=one(state, "campaign_name") or "Spark campaign",
        objective_type=_choice(Objective, state, "objective"),
        budget_mode=_choice(BudgetMode, state, "budget_mode", BudgetMode.DAY.value),
        budget=_amount(state, "budget"),
        request_id=f"web-{key}-campaign"[:64],
    )


def adgroup_command(
    state: State, advertiser: Advertiser, campaign: Campaign, key: str
) -> NewAdGroup:
    objective = Objective(campaign.objective_type)
    goal, billing = goal_and_billing(state, objective)
    custom = one(state, "bid_type", "BID_TYPE_NO_BID") == "BID_TYPE_CUSTOM"
    bid = _amount(state, "bid") if custom else None
    conversion = billing == BillingEvent.OCPM.value
    ranged = one(state, "schedule") == "range"
    promotion = one(state, "promotion_type") if objective in rules.PROMOTION_TYPES else ""
    targeting: dict[str, object] = {
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
    }
    return NewAdGroup(
        campaign_id=campaign.campaign_id,
        adgroup_name=one(state, "adgroup_name") or campaign.campaign_name,
        request_id=f"web-{key}-adgroup"[:64],
        promotion_type=_choice(PromotionType, state, "promotion_type") if promotion else None,
        budget_mode=BudgetMode(campaign.budget_mode),
        schedule_type=ScheduleType.START_END if ranged else ScheduleType.FROM_NOW,
        optimization_goal=OptimizationGoal(goal),
        billing_event=BillingEvent(billing),
        bid_type=BidType.CUSTOM if custom else BidType.NO_BID,
        plan=AdGroupPlan(
            placement_type=PlacementType.NORMAL,
            placements=("PLACEMENT_TIKTOK",),
            targeting=targeting,
            budget=campaign.budget or None,
            schedule_start_time=_local_time(state, "start", advertiser.timezone)
            if ranged
            else None,
            schedule_end_time=_local_time(state, "end", advertiser.timezone) if ranged else None,
            bid_price=None if conversion else bid,
            conversion_bid_price=bid if conversion else None,
        ),
    )


def creative_command(state: State, choice: PostChoice | NewVideo) -> NewCreative:
    """The post's own format; the identity reached through its own Business Center, if any."""
    try:
        identity_type = IdentityType(choice.identity_type)
    except ValueError:
        raise SparkadsError("invalid_parameter", field="post", detail=N_("choose a post")) from None
    video = isinstance(choice, NewVideo)
    return NewCreative(
        identity_type=identity_type,
        identity_id=choice.identity_id,
        ad_name=one(state, "ad_name"),
        call_to_action=one(state, "call_to_action") or None,
        landing_page_url=one(state, "landing_page_url") or None,
        tiktok_item_id=None if isinstance(choice, NewVideo) else choice.item_id,
        video_id=choice.video_id if isinstance(choice, NewVideo) else None,
        ad_text=choice.ad_text if isinstance(choice, NewVideo) else None,
        dark_post_status=DarkPostStatus.ON if video else None,
    )


def campaigns_of(web: Web) -> Campaigns:
    """The application service, its units of work recorded as the signed-in person's."""
    return Campaigns(web.uow, web.context.clock, auto_approve=web.context.settings.auto_approve)


def build(web: Web, advertiser: Advertiser, state: State, key: str, *, dry_run: bool) -> Launched:
    """Create the campaign, its ad group and its Spark ad (through review); a dry run writes
    nothing."""
    choice = PostChoice.parse(one(state, "post")) or NewVideo.from_state(state)
    if choice is None:
        raise SparkadsError("invalid_parameter", field="post", detail=N_("choose a post"))
    if isinstance(choice, NewVideo) and (problem := choice.problem()) is not None:
        raise problem
    assert web.user is not None
    plan = Launch(
        campaign=campaign_command(state, key),
        adgroup=lambda campaign: adgroup_command(state, advertiser, campaign, key),
        creative=creative_command(state, choice),
    )
    return campaigns_of(web).launch(
        web.user.principal, advertiser.advertiser_id, plan, dry_run=dry_run
    )


def outlook(
    session: Session,
    built: Launched,
    advertiser: Advertiser,
    snapshot: Snapshot,
    counters: Counters,
    now: datetime,
    sample_rate: float | None = None,
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
        snapshot=snapshot, history=counters.stats_snapshot(), now=now, sample_rate=sample_rate,
    )  # fmt: skip
