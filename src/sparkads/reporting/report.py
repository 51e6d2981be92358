"""The report engine behind `report/integrated/get` and the native reports: measures summed in SQL
from the rollups (BASIC) or the events (AUDIENCE breakdowns, reach), KPIs computed after summing,
dates and hours in the advertiser's timezone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import as_utc
from sparkads.errors import SparkadsError
from sparkads.events.models import Event
from sparkads.money import from_micros
from sparkads.reporting import kpis
from sparkads.reporting.models import COUNTED, SUMMED, AdDayRollup, AdHourRollup
from sparkads.reporting.rollups import EVENT_COLUMN

ID_OF_LEVEL = {
    "AUCTION_ADVERTISER": "advertiser_id",
    "AUCTION_CAMPAIGN": "campaign_id",
    "AUCTION_ADGROUP": "adgroup_id",
    "AUCTION_AD": "ad_id",
}
TIME_DIMENSIONS = ("stat_time_day", "stat_time_hour")
AUDIENCE_DIMENSIONS = {"country_code": "country", "age": "age_group", "gender": "gender"}
FILTER_FIELDS = {"campaign_ids": "campaign_id", "adgroup_ids": "adgroup_id", "ad_ids": "ad_id"}
ATTRIBUTES = {
    "campaign_name",
    "adgroup_name",
    "ad_name",
    "objective_type",
    "tiktok_item_id",
    "identity_id",
    "call_to_action",
    "budget",
    "bid",
    "billing_event",
    "advertiser_name",
    "currency",
}
MAX_DAYS = {"stat_time_day": 30, "stat_time_hour": 1, None: 365}


@dataclass
class ReportQuery:
    advertiser: Advertiser
    report_type: str = "BASIC"
    data_level: str = "AUCTION_AD"
    dimensions: list[str] = field(default_factory=lambda: ["ad_id"])
    metrics: list[str] = field(default_factory=lambda: ["spend", "impressions"])
    start: date | None = None
    end: date | None = None
    lifetime: bool = False
    filters: dict[str, list[str]] = field(default_factory=dict)
    order_field: str | None = None
    order_type: str = "DESC"
    page: int = 1
    page_size: int = 10
    totals: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.advertiser.timezone)

    @property
    def id_dimension(self) -> str | None:
        ids = [d for d in self.dimensions if d in ID_OF_LEVEL.values()]
        return ids[0] if ids else None

    @property
    def time_dimension(self) -> str | None:
        times = [d for d in self.dimensions if d in TIME_DIMENSIONS]
        return times[0] if times else None


def validate(q: ReportQuery) -> None:
    if q.report_type not in ("BASIC", "AUDIENCE"):
        raise SparkadsError("field_not_supported", field=f"report_type={q.report_type}")
    if q.data_level not in ID_OF_LEVEL:
        raise SparkadsError("field_not_supported", field=f"data_level={q.data_level}")
    allowed = {ID_OF_LEVEL[q.data_level], *TIME_DIMENSIONS}
    if q.report_type == "AUDIENCE":
        allowed |= set(AUDIENCE_DIMENSIONS)
    for dimension in q.dimensions:
        if dimension not in allowed:
            raise SparkadsError(
                "invalid_parameter",
                field="dimensions",
                detail=f"{dimension} cannot be used with {q.report_type} at "
                f"{q.data_level}; allowed: {', '.join(sorted(allowed))}",
            )
    if q.report_type == "AUDIENCE" and q.time_dimension:
        raise SparkadsError(
            "invalid_parameter",
            field="dimensions",
            detail="AUDIENCE reports break down by id and audience, not by time",
        )
    if sum(d in TIME_DIMENSIONS for d in q.dimensions) > 1:
        raise SparkadsError(
            "invalid_parameter",
            field="dimensions",
            detail="stat_time_day or stat_time_hour, not both",
        )
    for metric in q.metrics:
        if metric not in kpis.BY_NAME and metric not in ATTRIBUTES:
            raise SparkadsError("field_not_supported", field=f"metrics: {metric}")
        if (
            metric in ATTRIBUTES
            and metric not in ("currency", "advertiser_name")
            and q.id_dimension is None
        ):
            raise SparkadsError(
                "invalid_parameter",
                field="metrics",
                detail=f"{metric} needs an id dimension (e.g. {ID_OF_LEVEL[q.data_level]})",
            )
    if not q.lifetime:
        if q.start is None or q.end is None:
            raise SparkadsError(
                "invalid_parameter",
                field="start_date",
                detail="start_date and end_date are required unless query_lifetime",
            )
        span = (q.end - q.start).days + 1
        limit = MAX_DAYS[q.time_dimension]
        if span < 1 or span > limit:
            raise SparkadsError(
                "invalid_parameter",
                field="end_date",
                detail=f"the period must be 1 to {limit} day(s) with these dimensions",
            )
    if q.lifetime and q.time_dimension:
        raise SparkadsError(
            "invalid_parameter",
            field="query_lifetime",
            detail="no time dimension with query_lifetime",
        )


def _window(q: ReportQuery) -> tuple[datetime, datetime]:
    if q.lifetime or q.start is None or q.end is None:
        return datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
    start = datetime.combine(q.start, datetime.min.time(), q.zone).astimezone(UTC)
    end = datetime.combine(q.end + timedelta(days=1), datetime.min.time(), q.zone).astimezone(UTC)
    return start, end


def _measures_basic(session: Session, q: ReportQuery) -> dict[tuple[Any, ...], dict[str, int]]:
    hourly = q.time_dimension == "stat_time_hour"
    model: Any = AdHourRollup if hourly else AdDayRollup
    keys = [getattr(model, q.id_dimension)] if q.id_dimension else []
    if q.time_dimension:
        keys.append(model.hour if hourly else model.day)
    query = select(*keys, *(func.sum(getattr(model, name)) for name in SUMMED)).where(
        model.advertiser_id == q.advertiser.advertiser_id
    )
    if hourly or q.lifetime or q.start is None or q.end is None:
        start, end = _window(q)
        if hourly:
            query = query.where(model.hour >= start, model.hour < end)
    else:
        query = query.where(model.day >= q.start.isoformat(), model.day <= q.end.isoformat())
    for name, ids in q.filters.items():
        query = query.where(getattr(model, FILTER_FIELDS[name]).in_(ids))
    if keys:
        query = query.group_by(*keys)
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in session.execute(query):
        key = tuple(
            _time_key(value, q) if i == len(keys) - 1 and q.time_dimension else value
            for i, value in enumerate(row[: len(keys)])
        )
        values = row[len(keys) :]
        if all(v is None for v in values):
            continue
        rows[key] = {name: int(v or 0) for name, v in zip(SUMMED, values, strict=True)}
    return rows


def _time_key(value: Any, q: ReportQuery) -> str:
    if q.time_dimension == "stat_time_hour":
        local: datetime = as_utc(value).astimezone(q.zone)
        return local.strftime("%Y-%m-%d %H:00:00")
    return f"{value} 00:00:00"


def _measures_audience(session: Session, q: ReportQuery) -> dict[tuple[Any, ...], dict[str, int]]:
    keys: list[Any] = [getattr(Event, q.id_dimension)] if q.id_dimension else []
    keys += [
        getattr(Event, AUDIENCE_DIMENSIONS[d]) for d in q.dimensions if d in AUDIENCE_DIMENSIONS
    ]
    counts = [func.sum(case((Event.event_type == kind, 1), else_=0)) for kind in EVENT_COLUMN]
    start, end = _window(q)
    query = select(*keys, *counts, func.sum(Event.cost)).where(
        Event.advertiser_id == q.advertiser.advertiser_id,
        Event.occurred_at >= start,
        Event.occurred_at < end,
    )
    for name, ids in q.filters.items():
        query = query.where(getattr(Event, FILTER_FIELDS[name]).in_(ids))
    if keys:
        query = query.group_by(*keys)
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in session.execute(query):
        values = row[len(keys) :]
        if values[-1] is None:
            continue
        measures = dict.fromkeys(SUMMED, 0)
        for kind, value in zip(EVENT_COLUMN.values(), values[:-1], strict=True):
            measures[kind] = int(value or 0)
        measures["spend"] = int(values[-1] or 0)
        rows[tuple(row[: len(keys)])] = measures
    return rows


def _reach(session: Session, q: ReportQuery) -> dict[tuple[Any, ...], int]:
    """Distinct viewers with an impression, per row key (time keys in the advertiser's zone)."""
    start, end = _window(q)
    columns: list[Any] = [getattr(Event, q.id_dimension)] if q.id_dimension else []
    columns += [
        getattr(Event, AUDIENCE_DIMENSIONS[d]) for d in q.dimensions if d in AUDIENCE_DIMENSIONS
    ]
    query = select(*columns, Event.viewer_id, Event.occurred_at).where(
        Event.advertiser_id == q.advertiser.advertiser_id,
        Event.event_type == "impression",
        Event.occurred_at >= start,
        Event.occurred_at < end,
    )
    for name, ids in q.filters.items():
        query = query.where(getattr(Event, FILTER_FIELDS[name]).in_(ids))
    viewers: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for row in session.execute(query):
        key = tuple(row[: len(columns)])
        if q.time_dimension:
            local = as_utc(row[-1]).astimezone(q.zone)
            key += (
                local.strftime("%Y-%m-%d %H:00:00")
                if q.time_dimension == "stat_time_hour"
                else f"{local.date()} 00:00:00",
            )
        viewers[key].add(row[-2])
    return {key: len(found) for key, found in viewers.items()}


def _key_names(q: ReportQuery) -> list[str]:
    names = [q.id_dimension] if q.id_dimension else []
    if q.report_type == "AUDIENCE":
        names += [d for d in q.dimensions if d in AUDIENCE_DIMENSIONS]
    if q.time_dimension:
        names.append(q.time_dimension)
    return names


def run(session: Session, q: ReportQuery) -> dict[str, Any]:
    validate(q)
    measures = (_measures_audience if q.report_type == "AUDIENCE" else _measures_basic)(session, q)
    needs_reach = bool(kpis.NEEDS_REACH & set(q.metrics))
    reach = _reach(session, q) if needs_reach else {}
    names = _key_names(q)
    rows = []
    for key, values in measures.items():
        if needs_reach:
            values = {**values, "reach": reach.get(key, 0)}
        rows.append((dict(zip(names, (str(k) for k in key), strict=True)), values))
    rows = _ordered(rows, q)
    start = (q.page - 1) * q.page_size
    attributes = _Attributes(session, q)
    listed = [
        {"dimensions": dims, "metrics": _metrics(values, q, attributes, dims)}
        for dims, values in rows[start : start + q.page_size]
    ]
    total_pages = (len(rows) + q.page_size - 1) // q.page_size
    result: dict[str, Any] = {
        "list": listed,
        "page_info": {
            "page": q.page,
            "page_size": q.page_size,
            "total_number": len(rows),
            "total_page": total_pages,
        },
    }
    if q.totals:
        total = {name: sum(v[name] for _, v in rows) for name in SUMMED}
        if needs_reach:
            total["reach"] = sum(_reach(session, replace(q, dimensions=[])).values())
        result["total_metrics"] = {
            m: kpis.render(kpis.BY_NAME[m], total) for m in q.metrics if m in kpis.BY_NAME
        }
    return result


def _ordered(
    rows: list[tuple[dict[str, str], dict[str, int]]], q: ReportQuery
) -> list[tuple[dict[str, str], dict[str, int]]]:
    if q.order_field and q.order_field in kpis.BY_NAME:
        kpi = kpis.BY_NAME[q.order_field]
        return sorted(rows, key=lambda r: kpi.compute(r[1]) or 0.0, reverse=q.order_type != "ASC")
    return sorted(rows, key=lambda r: tuple(r[0].values()))


class _Attributes:
    """Names and settings shown beside the numbers (campaign_name, ad_name...)."""

    def __init__(self, session: Session, q: ReportQuery) -> None:
        self.session, self.q = session, q

    def value(self, name: str, dims: dict[str, str]) -> str | None:
        advertiser = self.q.advertiser
        if name == "currency":
            return advertiser.currency
        if name == "advertiser_name":
            return advertiser.name
        ad = self.session.get(Ad, dims["ad_id"]) if "ad_id" in dims else None
        group = self.session.get(AdGroup, dims.get("adgroup_id") or (ad.adgroup_id if ad else ""))
        campaign = self.session.get(
            Campaign, dims.get("campaign_id") or (group.campaign_id if group else "")
        )
        values: dict[str, Any] = {
            "campaign_name": campaign.campaign_name if campaign else None,
            "objective_type": campaign.objective_type if campaign else None,
            "adgroup_name": group.adgroup_name if group else None,
            "billing_event": group.billing_event if group else None,
            "budget": str(from_micros(group.budget)) if group and group.budget else None,
            "bid": str(from_micros(group.bid_price or group.conversion_bid_price or 0))
            if group
            else None,
            "ad_name": ad.ad_name if ad else None,
            "tiktok_item_id": ad.tiktok_item_id if ad else None,
            "identity_id": ad.identity_id if ad else None,
            "call_to_action": ad.call_to_action if ad else None,
        }
        return values.get(name)


def _metrics(
    values: dict[str, int], q: ReportQuery, attributes: _Attributes, dims: dict[str, str]
) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for metric in q.metrics:
        kpi = kpis.BY_NAME.get(metric)
        shown[metric] = (
            kpis.render(kpi, values) if kpi is not None else attributes.value(metric, dims)
        )
    return shown


__all__ = ["COUNTED", "ReportQuery", "run"]
