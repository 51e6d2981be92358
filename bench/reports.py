"""Benchmark 5: report latency over 90 days of rollups for 1,000 ads, against raw events.

One advertiser (Australia/Adelaide: a half-hour offset, +09:30 then +10:30 from 4 October, so the
window crosses a change of summer time and no local hour is a UTC hour) with 1,000 ads in
50 campaigns; 90 local days of `rollup_ad_day` rows (90,000) and the last day's `rollup_ad_hour`
rows (local hours), in a real migrated SQLite file. The `events` table holds the same traffic event by event
(~1.5 million rows, one decision per impression and its funnel below it), and both tables are
built from one synthetic stream, so they must give the same answers: the benchmark checks they do.

Measured: `sparkads.reporting.report.run(session, ReportQuery(...))` as the endpoint calls it
(validation, SQL over the rollups, KPIs, ordering, page), in a fresh session per run, for four
typical queries (no reach: reach is the one metric read from events).

Baseline, same process and run, taking turns with the measured path: the same answer computed
from the raw events, as a report without rollups would: one GROUP BY over `events` (counts per
event type, billed cost, by id and UTC quarter-hour), quarter-hours folded into the advertiser's
local days or hours in Python (exact for offsets in quarter-hours), the same KPI rendering,
ordering and page.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Integer, case, cast, func, insert, select
from sqlalchemy.orm import Session

from bench.common import Row, Scale, Section, now_ns, percentile, progress
from sparkads.accounts.models import Advertiser
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.events.models import Event
from sparkads.reporting import kpis
from sparkads.reporting.models import SUMMED, AdDayRollup, AdHourRollup
from sparkads.reporting.periods import local_hour
from sparkads.reporting.report import ReportQuery
from sparkads.reporting.report import run as report_run
from sparkads.reporting.rollups import EVENT_COLUMN, play_ms

SEED = 20_261_201
ADVERTISER_ID = "7100000000000000001"
ZONE = "Australia/Adelaide"
LAST_DAY = date(2026, 11, 30)  # local; the 90 days start on 2026-09-02, before the DST change
DAYS = 90
ADS, CAMPAIGNS, ADS_PER_GROUP = 1_000, 50, 5
DURATION = 12.0  # seconds, every post
CPM_PRICE, CPC_PRICE = 4_000_000, 300_000  # micros per mille / per click
TARGET_MS = 200.0
RUNS = 30  # measured runs per query (rollups), at most as many for the raw baseline
RAW_SECONDS = 6.0  # time cap per query for the raw baseline
# Events after each impression (one decision per impression): (type, probability), each drawn on
# its own; the benchmark needs realistic volumes, not a consistent funnel.
FUNNEL = (
    ("view_2s", 0.40),
    ("view_6s", 0.18),
    ("complete_view", 0.07),
    ("click", 0.08),
    ("like", 0.05),
    ("comment", 0.01),
    ("share", 0.01),
    ("follow", 0.005),
    ("profile_visit", 0.01),
    ("conversion", 0.008),
)
METRICS = [
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "conversion",
    "cost_per_conversion",
    "video_watched_2s",
    "video_watched_6s",
    "likes",
    "engagement_rate",
]
# impressions per ad and day (uniform, bounds included), full and quick: ~1.5 M and ~0.6 M events
IMPRESSIONS = {False: (4, 14), True: (1, 6)}
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime in SQLite


def _ids(prefix: int, n: int) -> list[str]:
    return [f"{prefix}{i:015d}" for i in range(n)]


def _local_days() -> list[date]:
    return [LAST_DAY - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]


EVENT_INSERT = (
    "INSERT INTO events (decision_id, event_type, advertiser_id, campaign_id, adgroup_id, ad_id, "
    "item_id, viewer_id, country, age_group, gender, occurred_at, received_at, billing, goal, "
    "price, cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
CHUNK = 100_000


def _empty() -> dict[str, int]:
    return dict.fromkeys((*EVENT_COLUMN.values(), "spend"), 0)


def build(url: str, quick: bool) -> dict[str, Any]:
    """Migrate, then insert the advertiser, the events and the rollups of those same events."""
    migrate.upgrade(url)
    engine = make_engine(url)
    zone = ZoneInfo(ZONE)
    rng = random.Random(SEED)
    ads = _ids(72, ADS)
    groups = _ids(71, ADS // ADS_PER_GROUP)
    campaigns = _ids(70, CAMPAIGNS)
    group_of = {ad: groups[i // ADS_PER_GROUP] for i, ad in enumerate(ads)}
    campaign_of = {g: campaigns[i % CAMPAIGNS] for i, g in enumerate(groups)}
    cpm = {g: i % 2 == 0 for i, g in enumerate(groups)}  # half the ad groups CPM, half CPC
    low, high = IMPRESSIONS[quick]
    day_rows: list[dict[str, Any]] = []
    hour_cells: dict[tuple[str, str], dict[str, int]] = {}
    events: list[tuple[Any, ...]] = []
    total = 0
    last_day = _local_days()[-1]
    with engine.begin() as connection:
        connection.execute(
            insert(Advertiser),
            [
                {
                    "advertiser_id": ADVERTISER_ID,
                    "name": "Bench brand",
                    "currency": "EUR",
                    "timezone": ZONE,
                    "bc_id": None,
                    "created_at": datetime(2026, 1, 1),
                }
            ],
        )
        for day in _local_days():
            start = datetime.combine(day, datetime.min.time(), zone).astimezone(UTC)
            end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
            length = int((end.astimezone(UTC) - start).total_seconds())  # 23 h on 25 October
            for ad in ads:
                group = group_of[ad]
                campaign = campaign_of[group]
                billing = "CPM" if cpm[group] else "CPC"
                price = CPM_PRICE if billing == "CPM" else CPC_PRICE
                billed = "impression" if billing == "CPM" else "click"
                cost = CPM_PRICE // 1000 if billing == "CPM" else CPC_PRICE
                cell = _empty()
                for n in range(rng.randint(low, high)):
                    at = (start + timedelta(seconds=rng.randrange(length))).replace(tzinfo=None)
                    stamp = at.strftime(SQLITE_TIME)
                    kinds = ["impression"] + [k for k, share in FUNNEL if rng.random() < share]
                    decision = f"{ad}-{day.toordinal()}-{n}"
                    hourly = None
                    if day == last_day:
                        hour = local_hour(at, zone)
                        hourly = hour_cells.setdefault((ad, hour), _empty())
                    for kind in kinds:
                        charged = cost if kind == billed else 0
                        events.append(
                            (
                                *(decision, kind, ADVERTISER_ID, campaign, group, ad, ad, f"v{n}"),
                                *("FR", "AGE_25_34", "FEMALE", stamp, stamp, billing, "CLICK"),
                                *(price, charged),
                            )
                        )
                        for target in (cell, hourly) if hourly is not None else (cell,):
                            target[EVENT_COLUMN[kind]] += 1
                            target["spend"] += charged
                if len(events) >= CHUNK:
                    connection.exec_driver_sql(EVENT_INSERT, events)
                    total += len(events)
                    events = []
                day_rows.append(
                    {
                        "advertiser_id": ADVERTISER_ID,
                        "campaign_id": campaign,
                        "adgroup_id": group,
                        "ad_id": ad,
                        "day": day.isoformat(),
                        **cell,
                        "play_ms": play_ms(cell, DURATION),
                    }
                )
        if events:
            connection.exec_driver_sql(EVENT_INSERT, events)
            total += len(events)
        connection.execute(insert(AdDayRollup), day_rows)
        connection.execute(
            insert(AdHourRollup),
            [
                {
                    "advertiser_id": ADVERTISER_ID,
                    "campaign_id": campaign_of[group_of[ad]],
                    "adgroup_id": group_of[ad],
                    "ad_id": ad,
                    "hour": hour,
                    **cell,
                    "play_ms": play_ms(cell, DURATION),
                }
                for (ad, hour), cell in hour_cells.items()
            ],
        )
    engine.dispose()  # no ANALYZE: the server never runs it, so the plans are the ones it gets
    return {"events": total, "day_rollups": len(day_rows), "hour_rollups": len(hour_cells)}


# --- the same answers from raw events ------------------------------------------------------


def raw_report(session: Session, q: ReportQuery) -> dict[str, Any]:
    """What `report.run` answers for a BASIC query without reach, from the events alone."""
    zone = q.zone
    id_column = getattr(Event, q.id_dimension) if q.id_dimension else None
    hour = func.substr(Event.occurred_at, 1, 13)  # 'YYYY-MM-DD HH' in UTC
    quarter = cast(func.substr(Event.occurred_at, 15, 2), Integer) // 15
    keys: list[Any] = [id_column] if id_column is not None else []
    if q.time_dimension:
        keys += [hour, quarter]
    counts = [func.sum(case((Event.event_type == kind, 1), else_=0)) for kind in EVENT_COLUMN]
    query = select(*keys, *counts, func.sum(Event.cost)).where(
        Event.advertiser_id == q.advertiser.advertiser_id
    )
    if not q.lifetime and q.start is not None and q.end is not None:
        start = datetime.combine(q.start, datetime.min.time(), zone).astimezone(UTC)
        end = datetime.combine(q.end + timedelta(days=1), datetime.min.time(), zone)
        query = query.where(Event.occurred_at >= start, Event.occurred_at < end.astimezone(UTC))
    if keys:
        query = query.group_by(*keys)
    labels: dict[tuple[str, int], str] = {}

    def label(utc_hour: str, quarter: int) -> str:
        found = labels.get((utc_hour, quarter))
        if found is None:
            moment = datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
            local = (moment + timedelta(minutes=15 * quarter)).astimezone(zone)
            found = labels[(utc_hour, quarter)] = (
                local.strftime("%Y-%m-%d %H:00:00")
                if q.time_dimension == "stat_time_hour"
                else f"{local.date()} 00:00:00"
            )
        return found

    measures: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(SUMMED, 0))
    width = len(keys)
    for row in session.execute(query):
        key = (
            (*row[: width - 2], label(*row[width - 2 : width])) if q.time_dimension else row[:width]
        )
        cell = measures[tuple(str(k) for k in key)]
        for name, value in zip(EVENT_COLUMN.values(), row[width:-1], strict=True):
            cell[name] += int(value or 0)
        cell["spend"] += int(row[-1] or 0)
    names = [q.id_dimension] if q.id_dimension else []
    if q.time_dimension:
        names.append(q.time_dimension)
    rows = sorted(measures.items())
    first = (q.page - 1) * q.page_size
    return {
        "list": [
            {
                "dimensions": dict(zip(names, key, strict=True)),
                "metrics": {m: kpis.render(kpis.BY_NAME[m], cell) for m in q.metrics},
            }
            for key, cell in rows[first : first + q.page_size]
        ],
        "total_number": len(rows),
    }


# --- timing --------------------------------------------------------------------------------


def _queries(advertiser: Advertiser) -> dict[str, ReportQuery]:
    last = LAST_DAY
    return {
        "campaign × day, 30 days": ReportQuery(
            advertiser,
            data_level="AUCTION_CAMPAIGN",
            dimensions=["campaign_id", "stat_time_day"],
            metrics=METRICS,
            start=last - timedelta(days=29),
            end=last,
            page_size=1000,
        ),
        "ad total, 90 days": ReportQuery(
            advertiser,
            data_level="AUCTION_AD",
            dimensions=["ad_id"],
            metrics=METRICS,
            start=last - timedelta(days=DAYS - 1),
            end=last,
            page_size=1000,
        ),
        "advertiser total, lifetime": ReportQuery(
            advertiser,
            data_level="AUCTION_ADVERTISER",
            dimensions=["advertiser_id"],
            metrics=METRICS,
            lifetime=True,
        ),
        "campaign × hour, 1 day": ReportQuery(
            advertiser,
            data_level="AUCTION_CAMPAIGN",
            dimensions=["campaign_id", "stat_time_hour"],
            metrics=METRICS,
            start=last,
            end=last,
            page_size=1000,
        ),
    }


Compute = Callable[[Session, ReportQuery], dict[str, Any]]


def _timed(engine: Engine, compute: Compute, name: str) -> Callable[[], tuple[int, dict[str, Any]]]:
    """One timed report in a fresh session, as a request gets it (advertiser read included)."""

    def once() -> tuple[int, dict[str, Any]]:
        start = now_ns()
        with Session(engine) as session:
            advertiser = session.get_one(Advertiser, ADVERTISER_ID)
            answer = compute(session, _queries(advertiser)[name])
        return now_ns() - start, answer

    return once


def _summary(samples: list[int]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": percentile(ordered, 50) / 1e6,
        "p95_ms": percentile(ordered, 95) / 1e6,
        "max_ms": ordered[-1] / 1e6,
        "mean_ms": sum(ordered) / len(ordered) / 1e6,
    }


def _same(rollup: dict[str, Any], raw: dict[str, Any]) -> bool:
    same_rows: bool = rollup["list"] == raw["list"]
    return same_rows and rollup["page_info"]["total_number"] == raw["total_number"]


def bench_query(engine: Engine, name: str, runs: int) -> dict[str, Any]:
    rollup_once = _timed(engine, report_run, name)
    raw_once = _timed(engine, raw_report, name)
    _, rollup_answer = rollup_once()  # warm-up, and the answers to compare
    _, raw_answer = raw_once()
    rollup_ns: list[int] = []
    raw_ns: list[int] = []
    raw_spent = 0
    for _ in range(runs):  # take turns, so both paths see the same machine
        elapsed, _ = rollup_once()
        rollup_ns.append(elapsed)
        if raw_spent < RAW_SECONDS * 1e9 or len(raw_ns) < 3:
            elapsed, _ = raw_once()
            raw_ns.append(elapsed)
            raw_spent += elapsed
    return {
        "rows": rollup_answer["page_info"]["total_number"],
        "rollups": _summary(rollup_ns),
        "raw_events": _summary(raw_ns),
        "same_answer": _same(rollup_answer, raw_answer),
    }


def run(scale: Scale, workdir: Path) -> Section:
    section = Section("reports")
    url = f"sqlite:///{workdir / 'reports.db'}"
    progress(f"reports: building {DAYS} days of rollups and events for {ADS:,} ads")
    start = now_ns()
    built = build(url, scale.quick)
    build_s = (now_ns() - start) / 1e9
    progress(
        f"  {built['events']:,} events, {built['day_rollups']:,} day rollups, "
        f"{built['hour_rollups']:,} hour rollups in {build_s:.1f} s"
    )
    section.data["built"] = {**built, "seconds": build_s, "ads": ADS, "days": DAYS}
    engine = make_engine(url)
    with Session(engine) as session:
        names = list(_queries(session.get_one(Advertiser, ADVERTISER_ID)))
    for name in names:
        progress(f"reports: {name}")
        result = bench_query(engine, name, RUNS)
        section.data[name] = result
        rollup, raw = result["rollups"], result["raw_events"]
        case_name = f"{name} ({result['rows']:,} rows)"
        section.rows += [
            Row(
                "report.run()",
                case_name,
                f"p95 latency (n={rollup['n']})",
                rollup["p95_ms"],
                "ms",
                baseline=raw["p95_ms"],
                baseline_name=f"raw events (n={raw['n']})",
                ratio=raw["p95_ms"] / rollup["p95_ms"],
                ratio_name="raw/rollup",
                target="p95 < 200 ms",
                holds=rollup["p95_ms"] < TARGET_MS,
            ),
            Row(
                "report.run()",
                case_name,
                "p50 latency",
                rollup["p50_ms"],
                "ms",
                baseline=raw["p50_ms"],
                baseline_name="raw events",
                ratio=raw["p50_ms"] / rollup["p50_ms"],
                ratio_name="raw/rollup",
            ),
        ]
        if not result["same_answer"]:
            section.notes.append(f"reports: {name}: rollups and raw events did NOT agree")
    engine.dispose()
    section.rows.append(
        Row(
            "report.run()",
            f"{built['events']:,} events, {built['day_rollups']:,} day rollups",
            "build (migrate + insert)",
            build_s,
            "s",
        )
    )
    agreed = all(section.data[name]["same_answer"] for name in names)
    section.notes.append(
        "reports: rollups and raw events gave the same rows and metrics for every query"
        if agreed
        else "reports: some answers differed (see above)"
    )
    return section
