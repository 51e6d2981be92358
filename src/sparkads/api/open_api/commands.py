"""TikTok v1.3 wire bodies → domain commands (campaigns/commands.py).

Each mapping first refuses fields sparkads does not support (`check_fields`), then turns amounts
into micros and 'YYYY-MM-DD HH:MM:SS' times (UTC) into datetimes, so the domain never sees the
wire format. A command takes the fields of its body of the same names, each converted by one
table (`_CONVERSIONS`, through `attributes.from_attributes`), so a field means the same in every body."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

from sparkads.api.open_api.ad_schemas import AdCreate, AdUpdate
from sparkads.api.open_api.campaign_schemas import (
    AdGroupCreate,
    AdGroupFields,
    AdGroupUpdate,
    CampaignCreate,
    CampaignUpdate,
)
from sparkads.attributes import Conversions, from_attributes
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
from sparkads.i18n import N_, LocalText
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
            "schedule_invalid",
            detail=LocalText(
                N_("{field} {value} is not 'YYYY-MM-DD HH:MM:SS'"),
                {"field": field, "value": repr(value)},
            ),
        ) from None


def _tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def _identity_type(value: str | None) -> IdentityType | None:
    return IdentityType(value) if value else None


# how a wire field becomes its domain value, by name (the same name means the same thing in every
# body); fields not named here pass as they are
_CONVERSIONS: Conversions = {
    "budget": micros,
    "bid_price": micros,
    "conversion_bid_price": micros,
    "schedule_start_time": partial(parse_time, "schedule_start_time"),
    "schedule_end_time": partial(parse_time, "schedule_end_time"),
    "placements": _tuple,
    "special_industries": _tuple,
    "operation_status": OperationStatus,
    "identity_type": _identity_type,
}


def new_campaign(body: CampaignCreate) -> NewCampaign:
    body.check_fields()
    return from_attributes(NewCampaign, body, _CONVERSIONS)


def campaign_change(body: CampaignUpdate) -> CampaignChange:
    body.check_fields()
    return from_attributes(CampaignChange, body, _CONVERSIONS)


def _plan(body: AdGroupFields) -> AdGroupPlan:
    return from_attributes(AdGroupPlan, body, _CONVERSIONS, targeting=body.targeting_changes())


def new_adgroup(body: AdGroupCreate) -> NewAdGroup:
    body.check_fields()
    return from_attributes(NewAdGroup, body, _CONVERSIONS, plan=_plan(body))


def adgroup_change(body: AdGroupUpdate) -> AdGroupChange:
    body.check_fields()
    return from_attributes(AdGroupChange, body, _CONVERSIONS, plan=_plan(body))


def _check_all(body: AdCreate | AdUpdate) -> None:
    body.check_fields()
    for creative in body.creatives:
        creative.check_fields()


def new_creatives(body: AdCreate) -> list[NewCreative]:
    _check_all(body)
    return [from_attributes(NewCreative, c, _CONVERSIONS) for c in body.creatives]


def creative_changes(body: AdUpdate) -> list[CreativeChange]:
    _check_all(body)
    return [from_attributes(CreativeChange, c, _CONVERSIONS) for c in body.creatives]
