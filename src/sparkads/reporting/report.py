"""The report engine behind `report/integrated/get` and the native reports: measures summed in SQL
from the rollups (BASIC) or the events (AUDIENCE breakdowns, reach), KPIs computed after summing,
days and hours in the advertiser's timezone (`periods`: exact for any offset)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.errors import SparkadsError
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting import attributes, kpis, periods
from sparkads.reporting.models import COUNTED, SUMMED, AdDayRollup, AdHourRollup
from sparkads.reporting.rollups import EVENT_COLUMN, play_ms

ID_OF_LEVEL = {
    "AUCTION_ADVERTISER": "advertiser_id",
    "AUCTION_CAMPAIGN": "campaign_id",
    "AUCTION_ADGROUP": "adgroup_id",
    "AUCTION_AD": "ad_id",
}
TIME_DIMENSIONS = ("stat_time_day", "stat_time_hour")
AUDIENCE_DIMENSIONS = {
    "country_code": "country",
    "age": "age_group",
    "gender": "gender",
    "platform": "platform",
    "province_id": "province_id",
}
# BASIC reports also break down by country, from the events (as AUDIENCE reports do).
BASIC_FROM_EVENTS = {"country_code"}
# The result of an ad group: the event of its optimization goal (docs/kpis.md, "Results").
RESULT_EVENT = {
    "REACH": "impression",
    "CLICK": "click",
    "TRAFFIC_LANDING_PAGE_VIEW": "click",
    "VIDEO_VIEW": "view_6s",
    "ENGAGED_VIEW": "view_6s",
    "FOLLOWERS": "follow",
    "PROFILE_VIEWS": "profile_visit",
    "LEAD_GENERATION": "conversion",
    "INSTALL": "conversion",
    "IN_APP_EVENT": "conversion",
    "CONVERT": "conversion",
}
NEEDS_RESULTS = frozenset(
    {
        "result",
        "cost_per_result",
        "result_rate",
        "real_time_result",
        "real_time_cost_per_result",
        "real_time_result_rate",
    }
)
NEEDS_CLICK_CONVERSIONS = frozenset({"cta_conversion", "vta_conversion"})
FILTER_FIELDS = {"campaign_ids": "campaign_id", "adgroup_ids": "adgroup_id", "ad_ids": "ad_id"}
# Status filters (TikTok's `campaign_status`, `adgroup_status`, `ad_status`): which objects' figures
# count. Without one, every object's do, deleted ones too (their events happened and were billed).
STATUS_FIELDS = {
    "campaign_status": "campaign_ids",
    "adgroup_status": "adgroup_ids",
    "ad_status": "ad_ids",
}
STATUS_VALUES = ("STATUS_ALL", "STATUS_NOT_DELETE", "STATUS_DELETE")
ATTRIBUTES = frozenset(attributes.BY_NAME)
PERIOD = "stat_period"  # the label of the local day or hour column in event queries
MAX_DAYS = {"stat_time_day": 30, "stat_time_hour": 1, None: 365}
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)  # report days (and lifetime)


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
    statuses: dict[str, str] = field(default_factory=dict)  # e.g. ad_status -> STATUS_NOT_DELETE

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
    _check_dimensions(q)
    _check_metrics(q)
    _check_period(q)


def _check_dimensions(q: ReportQuery) -> None:
    allowed = {ID_OF_LEVEL[q.data_level], *TIME_DIMENSIONS}
    allowed |= set(AUDIENCE_DIMENSIONS) if q.report_type == "AUDIENCE" else BASIC_FROM_EVENTS
    for dimension in q.dimensions:
        if dimension not in allowed:
            raise SparkadsError(
                "invalid_parameter",
                field="dimensions",
                detail=f"{dimension} cannot be used with {q.report_type} at "
                f"{q.data_level}; allowed: {', '.join(sorted(allowed))}",
            )
    if sum(d in TIME_DIMENSIONS for d in q.dimensions) > 1:
        raise SparkadsError(
            "invalid_parameter",
            field="dimensions",
            detail="stat_time_day or stat_time_hour, not both",
        )


def _check_metrics(q: ReportQuery) -> None:
    for metric in q.metrics:
        if metric in kpis.ZERO:
            continue
        if metric in kpis.NOT_COMPUTED:
            raise SparkadsError("metric_not_computed", metric=metric)
        if metric not in kpis.BY_NAME and metric not in ATTRIBUTES:
            raise SparkadsError("field_not_supported", field=f"metrics: {metric}")
        if metric in ATTRIBUTES and metric not in attributes.WITHOUT_ID and q.id_dimension is None:
            raise SparkadsError(
                "invalid_parameter",
                field="metrics",
                detail=f"{metric} needs an id dimension (e.g. {ID_OF_LEVEL[q.data_level]})",
            )
    if q.order_field is not None and q.order_field not in kpis.BY_NAME:
        raise SparkadsError(
            "invalid_parameter",
            field="order_field",
            detail=f"{q.order_field} is not a metric reports can order by (a KPI of docs/kpis.md)",
        )


def _check_period(q: ReportQuery) -> None:
    if q.lifetime:
        if q.time_dimension:
            raise SparkadsError(
                "invalid_parameter",
                field="query_lifetime",
                detail="no time dimension with query_lifetime",
            )
        return
    if q.start is None or q.end is None:
        raise SparkadsError(
            "invalid_parameter",
            field="start_date",
            detail="start_date and end_date are required unless query_lifetime",
        )
    for name, day in (("start_date", q.start), ("end_date", q.end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise SparkadsError(
                "invalid_parameter",
                field=name,
                detail=f"a day from {FIRST_DAY} to {LAST_DAY}",
            )
    span = (q.end - q.start).days + 1
    limit = MAX_DAYS[q.time_dimension]
    if span < 1 or span > limit:
        raise SparkadsError(
            "invalid_parameter",
            field="end_date",
            detail=f"the period must be 1 to {limit} day(s) with these dimensions",
        )


def _window(q: ReportQuery) -> tuple[datetime, datetime]:
    if q.lifetime or q.start is None or q.end is None:
        return periods.window(FIRST_DAY, LAST_DAY, ZoneInfo("UTC"))
    return periods.window(q.start, q.end, q.zone)


def _time_label(value: str, q: ReportQuery) -> str:
    """TikTok's stat_time_day / stat_time_hour from a local day or hour."""
    return f"{value}:00:00" if q.time_dimension == "stat_time_hour" else f"{value} 00:00:00"


def _measures_basic(session: Session, q: ReportQuery) -> dict[tuple[Any, ...], dict[str, int]]:
    hourly = q.time_dimension == "stat_time_hour"
    model: Any = AdHourRollup if hourly else AdDayRollup
    keys = [getattr(model, q.id_dimension)] if q.id_dimension else []
    if q.time_dimension:
        keys.append(model.hour if hourly else model.day)
    query = select(*keys, *(func.sum(getattr(model, name)) for name in SUMMED)).where(
        model.advertiser_id == q.advertiser.advertiser_id
    )
    if not q.lifetime and q.start is not None and q.end is not None:
        if hourly:  # local hours: 'YYYY-MM-DD HH'
            query = query.where(model.hour >= f"{q.start} 00", model.hour <= f"{q.end} 23")
        else:
            query = query.where(model.day >= q.start.isoformat(), model.day <= q.end.isoformat())
    for name, ids in q.filters.items():
        query = query.where(getattr(model, FILTER_FIELDS[name]).in_(ids))
    if keys:
        query = query.group_by(*keys)
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in session.execute(query):
        key = tuple(row[: len(keys)])
        if q.time_dimension:
            key = (*key[:-1], _time_label(key[-1], q))
        values = row[len(keys) :]
        if all(v is None for v in values):
            continue
        rows[key] = {name: int(v or 0) for name, v in zip(SUMMED, values, strict=True)}
    return rows


def _period(q: ReportQuery) -> Any:
    """The local day or hour of an event, in SQL: a CASE over the period bounds (UTC), the same
    labels the rollups give (`periods.segments`)."""
    start, end = _window(q)
    bounds = periods.segments(start, end, q.zone, q.time_dimension == "stat_time_hour")
    whens = [
        (Event.occurred_at < following, label) for (_, label), (following, _) in pairwise(bounds)
    ]
    last = bounds[-1][1] if bounds else ""
    return (case(*whens, else_=literal(last)) if whens else literal(last)).label(PERIOD)


def _event_keys(q: ReportQuery) -> list[Any]:
    """Row keys read from the events: the id, audience values, then the period."""
    keys: list[Any] = [getattr(Event, q.id_dimension)] if q.id_dimension else []
    keys += [
        getattr(Event, AUDIENCE_DIMENSIONS[d]) for d in q.dimensions if d in AUDIENCE_DIMENSIONS
    ]
    if q.time_dimension:
        keys.append(_period(q))
    return keys


def _grouped(keys: list[Any]) -> list[Any]:
    # by the period's name: repeating its CASE (and bound values) in GROUP BY is fragile
    return [literal_column(PERIOD) if getattr(k, "name", None) == PERIOD else k for k in keys]


def _from_events(q: ReportQuery, *columns: Any) -> Any:
    start, end = _window(q)
    query = select(*columns).where(
        Event.advertiser_id == q.advertiser.advertiser_id,
        Event.occurred_at >= start,
        Event.occurred_at < end,
    )
    for name, ids in q.filters.items():
        query = query.where(getattr(Event, FILTER_FIELDS[name]).in_(ids))
    return query


def _event_key(row: Any, width: int, q: ReportQuery, offset: int = 0) -> tuple[Any, ...]:
    key = tuple(row[offset : offset + width])
    return (*key[:-1], _time_label(key[-1], q)) if q.time_dimension else key


def _measures_audience(session: Session, q: ReportQuery) -> dict[tuple[Any, ...], dict[str, int]]:
    """Counts, spend and watch time per row key from the events. Watch time is estimated per ad
    (from its post's length) and summed, as the rollups do."""
    keys = _event_keys(q)
    per_ad = [] if q.id_dimension == "ad_id" else [Event.ad_id]
    counts = [func.sum(case((Event.event_type == kind, 1), else_=0)) for kind in EVENT_COLUMN]
    query = _from_events(q, *per_ad, *keys, *counts, func.sum(Event.cost))
    query = query.group_by(*per_ad, *_grouped(keys))
    durations = _durations(session, q.advertiser.advertiser_id)
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in session.execute(query):
        ad_id = row[0]
        values = row[len(per_ad) + len(keys) :]
        cell = dict(zip(EVENT_COLUMN.values(), (int(v or 0) for v in values[:-1]), strict=True))
        measures = rows.setdefault(
            _event_key(row, len(keys), q, len(per_ad)), dict.fromkeys(SUMMED, 0)
        )
        for name, value in cell.items():
            measures[name] += value
        measures["spend"] += int(values[-1] or 0)
        measures["play_ms"] += play_ms(cell, durations.get(ad_id))
    return rows


def _durations(session: Session, advertiser_id: str) -> dict[str, float | None]:
    found = session.execute(
        select(Ad.ad_id, Post.duration)
        .join(Post, Post.item_id == Ad.tiktok_item_id)
        .where(Ad.advertiser_id == advertiser_id)
    )
    return dict(found.all())


def _reach(session: Session, q: ReportQuery) -> dict[tuple[Any, ...], int]:
    """Distinct viewers with an impression, per row key (periods in the advertiser's zone)."""
    keys = _event_keys(q)
    query = _from_events(q, *keys, func.count(func.distinct(Event.viewer_id))).where(
        Event.event_type == "impression"
    )
    if keys:
        query = query.group_by(*_grouped(keys))
    return {_event_key(row, len(keys), q): int(row[-1]) for row in session.execute(query)}


def _key_names(q: ReportQuery) -> list[str]:
    names = [q.id_dimension] if q.id_dimension else []
    names += [d for d in q.dimensions if d in AUDIENCE_DIMENSIONS]
    if q.time_dimension:
        names.append(q.time_dimension)
    return names


def _from_events_only(q: ReportQuery) -> bool:
    return q.report_type == "AUDIENCE" or any(d in AUDIENCE_DIMENSIONS for d in q.dimensions)


def _status_filters(session: Session, q: ReportQuery) -> ReportQuery:
    """Status filters become id filters: the ids of the level's objects in that state."""
    filters = dict(q.filters)
    models: dict[str, Any] = {
        "campaign_status": Campaign,
        "adgroup_status": AdGroup,
        "ad_status": Ad,
    }
    for name, status in q.statuses.items():
        if status == "STATUS_ALL":
            continue
        model = models[name]
        key = FILTER_FIELDS[STATUS_FIELDS[name]]
        deleted = model.operation_status == "DELETE"
        ids = session.scalars(
            select(getattr(model, key)).where(
                model.advertiser_id == q.advertiser.advertiser_id,
                deleted if status == "STATUS_DELETE" else ~deleted,
            )
        ).all()
        listed = STATUS_FIELDS[name]
        kept = set(ids) & set(filters[listed]) if listed in filters else set(ids)
        filters[listed] = sorted(kept)
    return replace(q, filters=filters)


def _count_events(session: Session, q: ReportQuery, where: Any, *joins: Any) -> dict[Any, int]:
    """How many events match `where`, per row key (same keys and local periods as the measures)."""
    keys = _event_keys(q)
    query = _from_events(q, *keys, func.count())
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.where(where)
    if keys:
        query = query.group_by(*_grouped(keys))
    return {_event_key(row, len(keys), q): int(row[-1]) for row in session.execute(query)}


def _results(session: Session, q: ReportQuery) -> dict[Any, int]:
    """Events of each ad group's optimization goal (RESULT_EVENT)."""
    goal_events = [
        and_(AdGroup.optimization_goal == goal, Event.event_type == event)
        for goal, event in RESULT_EVENT.items()
    ]
    return _count_events(
        session, q, or_(*goal_events), (AdGroup, AdGroup.adgroup_id == Event.adgroup_id)
    )


def _click_conversions(session: Session, q: ReportQuery) -> dict[Any, int]:
    """Conversions whose decision also has a click: click-through (the others are view-through)."""
    click = aliased(Event)
    clicked = exists().where(click.decision_id == Event.decision_id, click.event_type == "click")
    return _count_events(session, q, and_(Event.event_type == "conversion", clicked))


def _extra_measures(session: Session, q: ReportQuery) -> dict[str, dict[Any, int]]:
    """Measures counted from the events for this request only: reach (distinct, not additive),
    results (they depend on each ad group's goal) and click-through conversions."""
    wanted = {*q.metrics, q.order_field}
    extra: dict[str, dict[Any, int]] = {}
    if kpis.NEEDS_REACH & wanted:
        extra["reach"] = _reach(session, q)
    if NEEDS_RESULTS & wanted:
        extra["results"] = _results(session, q)
    if NEEDS_CLICK_CONVERSIONS & wanted:
        extra["click_conversions"] = _click_conversions(session, q)
    return extra


def run(session: Session, q: ReportQuery) -> dict[str, Any]:
    validate(q)
    q = _status_filters(session, q)
    measures = (_measures_audience if _from_events_only(q) else _measures_basic)(session, q)
    extra = _extra_measures(session, q)
    names = _key_names(q)
    rows = []
    for key, values in measures.items():
        values = {**values, **{name: found.get(key, 0) for name, found in extra.items()}}
        shown = dict(zip(names, (str(k) for k in key), strict=True))
        rows.append(({name: shown[name] for name in q.dimensions}, values))
    rows = _ordered(rows, q)
    start = (q.page - 1) * q.page_size
    reader = attributes.Reader(session, q.advertiser)
    listed = [
        {"dimensions": dims, "metrics": _metrics(values, q, reader, dims)}
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
        additive = (*SUMMED, *(name for name in extra if name != "reach"))
        total = {name: sum(v[name] for _, v in rows) for name in additive}
        if "reach" in extra:
            total["reach"] = sum(_reach(session, replace(q, dimensions=[])).values())
        result["total_metrics"] = {
            m: kpis.render(kpis.BY_NAME[m], total) if m in kpis.BY_NAME else kpis.render_zero(m)
            for m in q.metrics
            if m in kpis.BY_NAME or m in kpis.ZERO
        }
    return result


def _ordered(
    rows: list[tuple[dict[str, str], dict[str, int]]], q: ReportQuery
) -> list[tuple[dict[str, str], dict[str, int]]]:
    if q.order_field and q.order_field in kpis.BY_NAME:
        kpi = kpis.BY_NAME[q.order_field]
        return sorted(rows, key=lambda r: kpi.compute(r[1]) or 0.0, reverse=q.order_type != "ASC")
    return sorted(rows, key=lambda r: tuple(r[0].values()))


def _metrics(
    values: dict[str, int], q: ReportQuery, reader: attributes.Reader, dims: dict[str, str]
) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for metric in q.metrics:
        kpi = kpis.BY_NAME.get(metric)
        if kpi is not None:
            shown[metric] = kpis.render(kpi, values)
        elif metric in kpis.ZERO:
            shown[metric] = kpis.render_zero(metric)
        else:
            shown[metric] = reader.value(metric, dims)
    return shown


__all__ = ["COUNTED", "ReportQuery", "run"]
