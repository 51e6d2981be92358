"""Benchmark: the snapshot from the database (issue 14), on SQLite and, given a server, PostgreSQL.

A world of N live ad groups (targeting from `bench.world`, one Spark ad each) is built by bulk
inserts: accounts, posts, codes and libraries through the services (a few hundred calls), then
campaigns, ad groups and ads copied from rows the services wrote, with `executemany` (fast, so the
bench measures the snapshot, not the world). Then, in the same process and run:

- full compile (`compile_snapshot`: a fixed number of set-based queries, then the index and the
  columns), CPU time and wall clock, and the targeting index build alone; the memory the
  snapshot holds (RSS growth while it is alive), per 10k ad groups;
- delta apply (`SnapshotStore.refresh` after one real committed write: an ad group paused
  through the ORM, which writes its change row): CPU time, against the full compile (baseline);
- time until live: with the store's background thread running as in `serve`, a real write is
  committed and the clock runs until the live snapshot no longer holds the paused ad group (and,
  for a bid change, holds the new bid); median and max over a few writes;
- decisions right after writes: `decide()` CPU p99 while writes are applied in the background,
  against the same requests with no writes (baseline).

`python -m bench.serving [--quick] [--sizes 10000,100000] [--postgres ADMIN_URL]`, or as part of
`python -m bench --only serving` (SQLite; PostgreSQL when SPARKADS_BENCH_POSTGRES_URL is set).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import insert, select

from bench.common import Row, Section, latency_summary, progress
from bench.world import Catalogue, load_catalogue, traffic, viewers
from bench.world import group_specs as make_specs
from sparkads.accounts import service as accounts
from sparkads.accounts.models import TokenScope
from sparkads.api.open_api.ad_schemas import AdCreate
from sparkads.api.open_api.campaign_schemas import AdGroupCreate, CampaignCreate
from sparkads.api.open_api.commands import new_adgroup, new_campaign, new_creatives
from sparkads.authorizations.library import apply_code
from sparkads.authorizations.spark_codes import enable_authorization
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.campaigns.adgroups import create_adgroup
from sparkads.campaigns.ads import create_ads
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.campaigns.service import create_campaign
from sparkads.clock import SystemClock
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import compile_snapshot, geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, decide, prepare
from sparkads.delivery.store import SnapshotStore
from sparkads.delivery.targeting import TargetingIndex
from sparkads.ids import new_id
from sparkads.posts.schemas import OrganicStats, PostCreate
from sparkads.posts.service import publish_post

ADVERTISERS = 40
POSTS = 25
CHUNK = 5_000
WRITES = 5  # real writes timed until live
BASE_URL = "http://bench"


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _cpu() -> float:
    return time.thread_time()


def feed_token(url: str) -> str:
    """A feed's API token on the database at `url` (the HTTP benches' feed)."""
    engine = make_engine(url)
    with UnitOfWorkFactory(engine)() as unit:
        token = accounts.issue_token(
            unit.session, SystemClock(), scope=TokenScope.FEED, subject_id="bench-feed"
        )
        unit.commit()
    engine.dispose()
    return token


def bulk_world(url: str, groups: int, cat: Catalogue, seed: int = 11) -> list[str]:
    """Migrate `url` and fill it with `groups` live ad groups; their ids, in creation order."""
    migrate.upgrade(url)
    engine = make_engine(url)
    uow = UnitOfWorkFactory(engine)
    clock = SystemClock()
    rng = random.Random(seed)
    specs = make_specs(groups, rng, cat, posts=POSTS, ads_per_group=1)
    throttle = FailureThrottle(10**9, timedelta(seconds=1))
    with uow() as unit:
        s = unit.session
        creator = accounts.create_creator(
            s, clock, handle=f"bulk{uuid.uuid4().hex[:6]}", display_name="Bulk", country="FR"
        )
        items, codes = [], []
        for p in range(POSTS):
            views = rng.randint(2_000, 200_000)
            post = publish_post(
                s,
                clock,
                creator_id=creator.creator_id,
                data=PostCreate(
                    caption=f"Bulk post {p}",
                    duration=12.0,
                    organic=OrganicStats(views=views, likes=views // 20, comments=0, shares=0),
                ).command(),
            )
            items.append(post.item_id)
            codes.append(
                enable_authorization(
                    s, clock, creator_id=creator.creator_id, item_id=post.item_id, duration_days=365
                )[1]
            )
        advertisers = []
        identities: dict[tuple[int, int], str] = {}
        for a in range(ADVERTISERS):
            currency, zone = {0: ("EUR", "Europe/Paris"), 1: ("USD", "America/New_York")}[a % 2]
            adv = accounts.create_advertiser(
                s, clock, name=f"Bulk brand {a}", currency=currency, timezone=zone
            )
            advertisers.append(adv)
            for p, code in enumerate(codes):
                identities[(a, p)] = apply_code(
                    s, clock, throttle, advertiser=adv, auth_code=code
                ).identity_id
        # one campaign, ad group and ad through the services: the rows every copy starts from
        adv = advertisers[0]
        campaign = create_campaign(
            s,
            clock,
            adv,
            new_campaign(
                CampaignCreate.model_validate(
                    {
                        "advertiser_id": adv.advertiser_id,
                        "campaign_name": "template",
                        "objective_type": "REACH",
                        "budget_mode": "BUDGET_MODE_DAY",
                        "budget": 500,
                    }
                )
            ),
        )
        group = create_adgroup(
            s,
            clock,
            adv,
            new_adgroup(
                AdGroupCreate.model_validate(
                    {
                        "advertiser_id": adv.advertiser_id,
                        "campaign_id": campaign.campaign_id,
                        "adgroup_name": "template",
                        "placement_type": "PLACEMENT_TYPE_NORMAL",
                        "placements": ["PLACEMENT_TIKTOK"],
                        "budget_mode": "BUDGET_MODE_DAY",
                        "budget": 100,
                        "schedule_type": "SCHEDULE_FROM_NOW",
                        "optimization_goal": "REACH",
                        "billing_event": "CPM",
                        "bid_type": "BID_TYPE_CUSTOM",
                        "bid_price": 3,
                        "location_ids": ["3017382"],
                    }
                )
            ),
        )
        create_ads(
            s,
            clock,
            adv,
            group.adgroup_id,
            new_creatives(
                AdCreate.model_validate(
                    {
                        "advertiser_id": adv.advertiser_id,
                        "adgroup_id": group.adgroup_id,
                        "creatives": [
                            {
                                "identity_type": "AUTH_CODE",
                                "identity_id": identities[(0, 0)],
                                "tiktok_item_id": items[0],
                            }
                        ],
                    }
                )
            ),
            auto_approve=True,
        )
        s.flush()
        templates = {
            model: dict(s.execute(select(model.__table__)).mappings().one())
            for model in (Campaign, AdGroup, Ad)
        }
        s.execute(AdGroup.__table__.update().values(operation_status="DISABLE"))
        unit.commit()
    start = datetime.now(UTC) - timedelta(hours=1)
    campaigns: dict[int, str] = {}
    rows: dict[Any, list[dict[str, Any]]] = {Campaign: [], AdGroup: [], Ad: []}
    ids = []
    for spec in specs:
        adv_index = spec.advertiser % ADVERTISERS
        adv = advertisers[adv_index]
        made = start + timedelta(microseconds=spec.index)
        if spec.campaign not in campaigns:
            campaigns[spec.campaign] = new_id()
            rows[Campaign].append(
                {
                    **templates[Campaign],
                    "campaign_id": campaigns[spec.campaign],
                    "advertiser_id": adv.advertiser_id,
                    "objective_type": spec.objective,
                    "budget": spec.campaign_daily_budget,
                    "create_time": made,
                    "modify_time": made,
                }
            )
        adgroup_id = new_id()
        ids.append(adgroup_id)
        ocpm = spec.billing == "OCPM"
        rows[AdGroup].append(
            {
                **templates[AdGroup],
                "adgroup_id": adgroup_id,
                "advertiser_id": adv.advertiser_id,
                "campaign_id": campaigns[spec.campaign],
                "operation_status": "ENABLE",
                "optimization_goal": spec.goal,
                "billing_event": spec.billing,
                "bid_type": spec.bid_type,
                "bid_price": None if ocpm or not spec.bid else spec.bid,
                "conversion_bid_price": spec.bid if ocpm and spec.bid else None,
                "budget": spec.daily_budget,
                "pacing": "PACING_MODE_SMOOTH" if spec.smooth else "PACING_MODE_FAST",
                "dayparting": spec.dayparting,
                "frequency": spec.frequency,
                "frequency_schedule": spec.frequency_schedule,
                "targeting": spec.targeting,
                "schedule_start_time": start,
                "create_time": made,
                "modify_time": made,
            }
        )
        post = spec.ads[0].item
        rows[Ad].append(
            {
                **templates[Ad],
                "ad_id": new_id(),
                "advertiser_id": adv.advertiser_id,
                "campaign_id": campaigns[spec.campaign],
                "adgroup_id": adgroup_id,
                "identity_id": identities[(adv_index, post)],
                "tiktok_item_id": items[post],
                "create_time": made,
                "modify_time": made,
            }
        )
    with engine.begin() as connection:
        for model in (Campaign, AdGroup, Ad):
            table = model.__table__
            for first in range(0, len(rows[model]), CHUNK):
                connection.execute(insert(table), rows[model][first : first + CHUNK])
    # planner statistics, as autovacuum gathers them after a bulk load (without them PostgreSQL
    # joins 100k ad groups to their campaigns by nested scans: minutes)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return ids


def _pause(uow: UnitOfWorkFactory, adgroup_id: str) -> None:
    with uow() as unit:
        unit.session.get_one(AdGroup, adgroup_id).operation_status = "DISABLE"
        unit.commit()


def measure(url: str, groups: int, cat: Catalogue, label: str) -> tuple[list[Row], dict[str, Any]]:
    progress(f"serving: bulk world of {groups:,} ad groups on {label}")
    began = time.monotonic()
    ids = bulk_world(url, groups, cat)
    built = time.monotonic() - began
    engine = make_engine(url)
    uow = UnitOfWorkFactory(engine)
    clock = SystemClock()
    geo = geography()
    data: dict[str, Any] = {"world_seconds": built, "load": os.getloadavg()}
    case = f"{groups // 1000}k {label}"

    # full compile, memory
    gc.collect()
    rss = _rss()
    cpu, wall = _cpu(), time.perf_counter()
    with uow() as unit:
        compiled = compile_snapshot(unit.session, clock.now(), BASE_URL, 1, geo)
    full_cpu, full_wall = _cpu() - cpu, time.perf_counter() - wall
    held = _rss() - rss
    size = compiled.snapshot.size
    cpu = _cpu()
    TargetingIndex.build(compiled.snapshot.targetings, geo)
    index_cpu = _cpu() - cpu
    del compiled
    gc.collect()
    data.update(full_cpu=full_cpu, full_wall=full_wall, index_cpu=index_cpu, live=size, rss=held)

    # delta apply after a real write, synchronously
    store = SnapshotStore(uow, clock, BASE_URL, MemoryCounters())
    store.rebuild()
    deltas = []
    for adgroup_id in ids[1 : 1 + WRITES]:
        _pause(uow, adgroup_id)
        store.mark_dirty()
        cpu = _cpu()
        store.refresh()
        deltas.append(_cpu() - cpu)
        assert store.snapshot.group(adgroup_id) is None
    delta_cpu = statistics.median(deltas)
    data["delta_cpu"] = deltas

    # time until live, with the background thread as in `serve`
    store.start()
    until_live = []
    for adgroup_id in ids[10 : 10 + WRITES]:
        time.sleep(0.3)
        _pause(uow, adgroup_id)  # no mark_dirty: as if another process wrote it
        written = time.perf_counter()
        while (snapshot := store.peek()) is not None and snapshot.group(adgroup_id) is not None:
            time.sleep(0.002)
        until_live.append(time.perf_counter() - written)
    data["until_live"] = until_live

    # decisions during background writes vs none
    counters = MemoryCounters()
    requests = traffic(viewers(3_000, random.Random(5), cat), 1_500, random.Random(6))
    config = EngineConfig(secret=b"k" * 32)

    def decide_all() -> list[int]:
        samples = []
        rng = random.Random(9)
        for viewer in requests:
            snapshot = store.snapshot
            cpu = time.thread_time_ns()
            decide(viewer, 2, snapshot, counters, time.time(), rng, config)
            samples.append(time.thread_time_ns() - cpu)
        return samples

    prepare(store.snapshot, counters)
    quiet = latency_summary(decide_all())

    def write() -> None:
        for adgroup_id in ids[20:30]:
            _pause(uow, adgroup_id)
            time.sleep(0.2)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    busy = latency_summary(decide_all())
    writer.join()
    store.stop()
    engine.dispose()
    data.update(decide_quiet=quiet, decide_writes=busy)
    rows = [
        Row("serving", case, "full compile CPU", full_cpu * 1e3, "ms", target="–"),
        Row("serving", case, "index build CPU", index_cpu * 1e3, "ms",
            target="≤ 2 s at 100k", holds=index_cpu <= 2.0 if groups >= 100_000 else None),
        Row("serving", case, "delta apply CPU (1 write)", delta_cpu * 1e3, "ms",
            baseline=full_cpu * 1e3, baseline_name="full compile",
            ratio=full_cpu / delta_cpu if delta_cpu else None, ratio_name="faster"),
        Row("serving", case, "time until live (median)", statistics.median(until_live) * 1e3,
            "ms", target="≤ 1 s", holds=max(until_live) <= 1.0),
        Row("serving", case, "time until live (max)", max(until_live) * 1e3, "ms"),
        Row("serving", case, "snapshot memory per 10k ad groups", held / size * 10_000 / 2**20
            if size else 0.0, "MiB"),
        Row("serving", case, "decide() CPU p99 during writes", busy["p99_us"], "µs",
            baseline=quiet["p99_us"], baseline_name="no writes",
            ratio=busy["p99_us"] / quiet["p99_us"], ratio_name="of quiet"),
    ]  # fmt: skip
    return rows, data


def _postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    import psycopg

    admin = urlunsplit(urlsplit(admin_url)._replace(scheme="postgresql"))
    name = f"sparkads_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(urlsplit(admin)._replace(path=f"/{name}")), drop


def run(sizes: tuple[int, ...], workdir: Path, postgres_admin: str | None = None) -> Section:
    section = Section("serving")
    cat = load_catalogue()
    for groups in sizes:
        rows, data = measure(f"sqlite:///{workdir / f'serving-{groups}.db'}", groups, cat, "SQLite")
        section.rows += rows
        section.data[f"sqlite-{groups}"] = data
        _show(rows, data)
        if postgres_admin:
            url, drop = _postgres_database(postgres_admin)
            try:
                rows, data = measure(url, groups, cat, "PostgreSQL")
            finally:
                drop()
            section.rows += rows
            section.data[f"postgres-{groups}"] = data
            _show(rows, data)
    section.notes.append(f"load average at the end: {os.getloadavg()}")
    return section


def _show(rows: list[Row], data: dict[str, Any]) -> None:
    """Each size's rows as soon as measured (stderr), in case a later size is cut short."""
    for row in rows:
        base = f" | baseline {row.baseline:,.2f} {row.baseline_name}" if row.baseline else ""
        progress(f"{row.case} | {row.metric} | {row.value:,.2f} {row.unit}{base}")
    progress(json.dumps(data, default=str))


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--quick", action="store_true", help="10k ad groups only")
    parser.add_argument("--postgres", default=os.environ.get("SPARKADS_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    sizes = (10_000,) if args.quick else tuple(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="sparkads-serving-") as tmp:
        section = run(sizes, Path(tmp), args.postgres)
    for row in section.rows:
        ratio = f"  {row.ratio:.2f}× {row.ratio_name}" if row.ratio else ""
        base = (
            f"  (baseline {row.baseline:,.2f} {row.unit} {row.baseline_name})"
            if row.baseline
            else ""
        )
        print(f"{row.case:16} {row.metric:38} {row.value:12,.2f} {row.unit}{base}{ratio}")
    print(json.dumps({"notes": section.notes, "data": section.data}, default=str, indent=1))


if __name__ == "__main__":
    main()
