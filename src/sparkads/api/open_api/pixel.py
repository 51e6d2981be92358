"""pixel/create|list/, pixel/event/create|stats/, pixel/instant_page/event/: an ad account's
pixels, the standard events each tracks, and the events received through the advertiser's
conversion calls (POST /api/v1/conversions naming `pixel_code` and `event`)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.assets import Paged, query
from sparkads.api.open_api.deps import PrincipalDep
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import paged
from sparkads.assets.pixels import EventSpec
from sparkads.i18n import N_
from sparkads.ids import IdStr
from sparkads.services import assets
from sparkads.services.assets import PixelView

router = APIRouter(prefix="/open_api/v1.3/pixel", tags=["Pixels"])

_BARE_DATE = re.compile(r"(:\s*)(\d{4}-\d{2}-\d{2})(\s*[,}])")


class PixelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: IdStr
    pixel_name: Annotated[str, Field(min_length=1, max_length=100)]
    pixel_category: Annotated[str, Field(max_length=24)] = "ONLINE_STORE"
    partner_name: Annotated[str, Field(max_length=100)] = ""


@router.post("/create/", openapi_extra=body_doc())
def pixel_create(body: PixelCreate, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """A pixel (`pixel_category` ONLINE_STORE, LEAD_GENERATION or WEBSITE) with its code."""
    pixel = assets.create_pixel(
        context.uow,
        context.clock,
        principal,
        body.advertiser_id,
        name=body.pixel_name,
        category=body.pixel_category,
        partner_name=body.partner_name,
    )
    return envelope.ok(
        {"pixel_id": pixel.pixel_id, "pixel_code": pixel.pixel_code, "pixel_name": pixel.name}
    )


class PixelList(Paged):
    pixel_id: IdStr | None = None
    code: Annotated[str | None, Field(max_length=24)] = None
    page_size: Annotated[int, Field(ge=1, le=20)] = 20


def _pixel(view: PixelView) -> dict[str, object]:
    """TikTok's pixel fields. Events reach a sparkads pixel from the advertiser's server (its
    conversion calls): setup mode DEVELOPER, no browser script (`pixel_script` null)."""
    pixel = view.pixel
    return {
        "pixel_id": pixel.pixel_id,
        "pixel_code": pixel.pixel_code,
        "pixel_name": pixel.name,
        "pixel_category": pixel.category,
        "pixel_setup_mode": "DEVELOPER",
        "pixel_script": None,
        "partner_name": pixel.partner_name or None,
        "create_time": pixel.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        "advanced_matching_fields": {"email": False, "phone_number": False},
        "asset_ownership": {
            "ownership_status": True,
            "asset_relation_status": "BOUND",
            "owner_bc_id": None,
        },
        "events": [
            {
                "event_id": event.event_id,
                "event_code": event.event_type,
                "name": event.name,
                "event_type": event.event_type,
                "custom_event_type": event.event_type,
                "optimization_event": event.event_type,
                "statistic_type": event.statistic_type,
                "currency": bool(event.currency_value),
                "currency_value": event.currency_value or None,
                "deprecated": False,
                "rules": [],
            }
            for event in view.events
        ],
    }


@router.get("/list/", openapi_extra=query_doc(PixelList))
def pixel_list(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The ad account's pixels with their events, newest first; by `pixel_id` or `code`."""
    params = query(request, principal, context, PixelList)
    wanted = [p for p in (params.pixel_id, params.code) if p]
    found = assets.list_pixels(
        context.uow, principal, params.advertiser_id, pixel_ids=wanted or None
    )
    return envelope.ok(paged("pixels", found, params, _pixel))


class PixelEventIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    event_type: Annotated[str, Field(min_length=1, max_length=40)]
    event_name: Annotated[str, Field(max_length=100)] = ""
    statistic_type: Annotated[str, Field(max_length=12)] = "EVERY_TIME"
    currency_value: Annotated[str, Field(max_length=24)] = ""


class PixelEventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: IdStr
    pixel_id: IdStr
    pixel_events: Annotated[list[PixelEventIn], Field(min_length=1, max_length=20)]


@router.post("/event/create/", openapi_extra=body_doc())
def pixel_event_create(
    body: PixelEventCreate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Standard events (`event_type` COMPLETE_PAYMENT, SUBMIT_FORM …) the pixel tracks."""
    added = assets.add_pixel_events(
        context.uow,
        context.clock,
        principal,
        body.advertiser_id,
        pixel=body.pixel_id,
        specs=[
            EventSpec(e.event_type, e.event_name, e.statistic_type, e.currency_value)
            for e in body.pixel_events
        ],
    )
    return envelope.ok(
        {
            "pixel_events": [
                {"event_id": e.event_id, "event_type": e.event_type, "event_name": e.name}
                for e in added
            ]
        }
    )


def _lenient_json(value: object) -> object:
    """`date_range` as JSON, or with bare dates (`{"start_date":2026-11-07,…}`, what Airbyte's
    source sends)."""
    if isinstance(value, str):
        try:
            return json.loads(_BARE_DATE.sub(r'\1"\2"\3', value))
        except json.JSONDecodeError:
            return value
    return value


def _plausible_day(day: date) -> date:
    """A day the ad account's midnight can be computed for in any timezone (0001-01-01 or
    9999-12-31 would overflow), as /api/v1/conversions bounds `occurred_at`."""
    if not 2000 <= day.year <= 2200:
        raise ValueError(N_("must be between the years 2000 and 2200"))
    return day


Day = Annotated[date, AfterValidator(_plausible_day)]


class DateRange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_date: Day
    end_date: Day


def _ids(value: object) -> object:
    return [value] if isinstance(value, str | int) else value


class PixelStats(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_id: IdStr
    pixel_ids: Annotated[list[IdStr], BeforeValidator(_ids), Field(min_length=1, max_length=20)]
    date_range: Annotated[DateRange, BeforeValidator(_lenient_json)]


@router.get("/event/stats/", openapi_extra=query_doc(PixelStats))
def pixel_event_stats(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Per pixel, each tracked event's count of received events over the days of `date_range`
    (the ad account's timezone): `total_count` all received, `attributed_count` those the
    conversion call credited to an ad. All arrive server to server: no browser or preview
    events."""
    params = query(request, principal, context, PixelStats)
    counts = assets.pixel_stats(
        context.uow,
        principal,
        params.advertiser_id,
        pixel_ids=params.pixel_ids,
        start=params.date_range.start_date,
        end=params.date_range.end_date,
    )
    return envelope.ok(
        {
            "list": [
                {
                    "pixel_id": pixel_id,
                    "statistics": [
                        {
                            "pixel_event_type": c.event_type,
                            "custom_event_type": c.event_type,
                            "total_count": c.total,
                            "attributed_count": c.attributed,
                            "preview_count": 0,
                            "browser_event_total_count": 0,
                            "server_event_total_count": c.total,
                        }
                        for c in events
                    ],
                }
                for pixel_id, events in counts.items()
            ]
        }
    )


class InstantPageEvents(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_id: IdStr
    objective_type: Annotated[str | None, Field(max_length=40)] = None
    optimization_goal: Annotated[str | None, Field(max_length=40)] = None


@router.get("/instant_page/event/", openapi_extra=query_doc(InstantPageEvents))
def instant_page_events(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The events each objective and optimization goal optimizes on here, for the ones asked:
    the feed event its results count (docs/kpis.md), or for CONVERT the standard events the ad
    account's pixels track. sparkads hosts no instant pages (a Spark ad leads to the
    advertiser's own page), so an objective or goal it does not run has no entry."""
    params = query(request, principal, context, InstantPageEvents)
    found = assets.instant_page_events(
        context.uow,
        principal,
        params.advertiser_id,
        objective_type=params.objective_type,
        optimization_goal=params.optimization_goal,
    )
    goals: dict[str, list[dict[str, object]]] = defaultdict(list)
    for entry in found:
        goals[entry.objective_type].append(
            {"optimization_goal": entry.optimization_goal, "optimization_events": entry.events}
        )
    objectives = [{"objective_type": o, "optimization_goals": g} for o, g in goals.items()]
    listed = (
        [{"business_type": "SPARK_ADS", "instant_page_events": {"objective_types": objectives}}]
        if objectives
        else []
    )
    return envelope.ok({"list": listed})
