"""The report engine behind `report/integrated/get` and the native reports: measures summed in SQL
from the rollups (BASIC) or the events (AUDIENCE breakdowns, reach), KPIs computed after summing,
days and hours in the advertiser's timezone (`periods`: exact for any offset)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Label,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql._typing import _ColumnsClauseArgument

from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting import attributes, kpis, periods
from sparkads.reporting.models import COUNTED, SUMMED, AdDayRollup, AdHourRollup
from sparkads.reporting.report_query import (
    AUDIENCE_DIMENSIONS,
    FILTER_FIELDS,
    ID_OF_LEVEL,
    NEEDS_CLICK_CONVERSIONS,
    NEEDS_RESULTS,
    PERIOD,
    RESULT_EVENT,
    STATUS_FIELDS,
    STATUS_VALUES,
    ReportQuery,
    time_label,
    validate,
    window,
)
from sparkads.reporting.rollups import EVENT_COLUMN, Rollup, play_ms

RowKey = tuple[str, ...]  # a report row's key: its id, audience values, period label


def _measures_basic(session: Session, q: ReportQuery) -> dict[RowKey, dict[str, int]]:
    hourly = q.time_dimension == "stat_time_hour"
    model: Rollup = AdHourRollup if hourly else AdDayRollup
    # the local hour or day: 'YYYY-MM-DD HH' or 'YYYY-MM-DD'
    period = AdHourRollup.hour if hourly else AdDayRollup.day
    keys = [getattr(model, q.id_dimension)] if q.id_dimension else []
    if q.time_dimension:
        keys.append(period)
    query = select(*keys, *(func.sum(getattr(model, name)) for name in SUMMED)).where(
        model.advertiser_id == q.advertiser.advertiser_id
    )
    if not q.lifetime and q.start is not None and q.end is not None:
        first, last = (f"{q.start} 00", f"{q.end} 23") if hourly else (f"{q.start}", f"{q.end}")
        query = query.where(period >= first, period <= last)
    for name, ids in q.filters.items():
        query = query.where(getattr(model, FILTER_FIELDS[name]).in_(ids))
    if keys:
        query = query.group_by(*keys)
    rows: dict[RowKey, dict[str, int]] = {}
    for row in session.execute(query):
        key = tuple(row[: len(keys)])
        if q.time_dimension:
            key = (*key[:-1], time_label(key[-1], q))
        values = row[len(keys) :]
        if all(v is None for v in values):
            continue
        rows[key] = {name: int(v or 0) for name, v in zip(SUMMED, values, strict=True)}
    return rows


def _period(q: ReportQuery) -> Label[str]:
    """The local day or hour of an event, in SQL: a CASE over the period bounds (UTC), the same
    labels the rollups give (`periods.segments`)."""
    start, end = window(q)
    bounds = periods.segments(start, end, q.zone, q.time_dimension == "stat_time_hour")
    whens = [
        (Event.occurred_at < following, label) for (_, label), (following, _) in pairwise(bounds)
    ]
    last = bounds[-1][1] if bounds else ""
    return (case(*whens, else_=literal(last)) if whens else literal(last)).label(PERIOD)


def _event_keys(q: ReportQuery) -> list[ColumnElement[str]]:
    """Row keys read from the events: the id, audience values, then the period."""
    keys: list[ColumnElement[str]] = [getattr(Event, q.id_dimension)] if q.id_dimension else []
    keys += [
        getattr(Event, AUDIENCE_DIMENSIONS[d]) for d in q.dimensions if d in AUDIENCE_DIMENSIONS
    ]
    if q.time_dimension:
        keys.append(_period(q))
    return keys


def _grouped(keys: list[ColumnElement[str]]) -> list[ColumnElement[str]]:
    # by the period's name: repeating its CASE (and bound values) in GROUP BY is fragile
    return [literal_column(PERIOD) if getattr(k, "name", None) == PERIOD else k for k in keys]


def _from_events(q: ReportQuery, *columns: _ColumnsClauseArgument[Any]) -> Select[Any]:
    start, end = window(q)
    query = select(*columns).where(
        Event.advertiser_id == q.advertiser.advertiser_id,
        Event.occurred_at >= start,
        Event.occurred_at < end,
    )
    for name, ids in q.filters.items():
        query = query.where(getattr(Event, FILTER_FIELDS[name]).in_(ids))
    return query


def _event_key(row: Any, width: int, q: ReportQuery, offset: int = 0) -> RowKey:
    key = tuple(row[offset : offset + width])
    return (*key[:-1], time_label(key[-1], q)) if q.time_dimension else key


def _measures_audience(session: Session, q: ReportQuery) -> dict[RowKey, dict[str, int]]:
    """Counts, spend and watch time per row key from the events. Watch time is estimated per ad
    (from its post's length) and summed, as the rollups do."""
    keys = _event_keys(q)
    per_ad = [] if q.id_dimension == "ad_id" else [Event.ad_id]
    counts = [func.sum(case((Event.event_type == kind, 1), else_=0)) for kind in EVENT_COLUMN]
    query = _from_events(q, *per_ad, *keys, *counts, func.sum(Event.cost))
    query = query.group_by(*per_ad, *_grouped(keys))
    durations = _durations(session, q.advertiser.advertiser_id)
    rows: dict[RowKey, dict[str, int]] = {}
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


def _reach(session: Session, q: ReportQuery) -> dict[RowKey, int]:
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


def _count_events(session: Session, q: ReportQuery, where: Any, *joins: Any) -> dict[RowKey, int]:
    """How many events match `where`, per row key (same keys and local periods as the measures)."""
    keys = _event_keys(q)
    query = _from_events(q, *keys, func.count())
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.where(where)
    if keys:
        query = query.group_by(*_grouped(keys))
    return {_event_key(row, len(keys), q): int(row[-1]) for row in session.execute(query)}


def _results(session: Session, q: ReportQuery) -> dict[RowKey, int]:
    """Events of each ad group's optimization goal (RESULT_EVENT)."""
    goal_events = [
        and_(AdGroup.optimization_goal == goal, Event.event_type == event)
        for goal, event in RESULT_EVENT.items()
    ]
    return _count_events(
        session, q, or_(*goal_events), (AdGroup, AdGroup.adgroup_id == Event.adgroup_id)
    )


def _click_conversions(session: Session, q: ReportQuery) -> dict[RowKey, int]:
    """Conversions whose decision also has a click: click-through (the others are view-through)."""
    click = aliased(Event)
    clicked = exists().where(click.decision_id == Event.decision_id, click.event_type == "click")
    return _count_events(session, q, and_(Event.event_type == "conversion", clicked))


def _extra_measures(session: Session, q: ReportQuery) -> dict[str, dict[RowKey, int]]:
    """Measures counted from the events for this request only: reach (distinct, not additive),
    results (they depend on each ad group's goal) and click-through conversions."""
    wanted = {*q.metrics, q.order_field}
    extra: dict[str, dict[RowKey, int]] = {}
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


# what the entrypoints import from here (the query and its vocabulary live in report_query)
__all__ = [
    "COUNTED",
    "FILTER_FIELDS",
    "ID_OF_LEVEL",
    "RESULT_EVENT",
    "STATUS_FIELDS",
    "STATUS_VALUES",
    "ReportQuery",
    "run",
    "validate",
]
