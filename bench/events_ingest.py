"""Benchmark 3: events ingested per second, in batches of 100 and 1,000.

In process, on a real SQLite file (a copy of the benchmark world), through
`sparkads.events.service.ingest` inside a UnitOfWork that commits, as the events endpoint does
(token verification, dedupe per decision and type, billing into the spend ledger, R2 counters on
the original posts). Tokens come from real decisions on the world's compiled snapshot; the events
follow a plausible funnel (every impression, fewer views, few clicks and interactions).

Baseline, same process, same rows: a plain executemany INSERT into the events table only, also
committed per batch, on its own fresh copy of the database: what storing the rows costs, so the
rest is the price of verification, dedupe and billing.
"""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import Row, Scale, Section, now_ns, progress
from bench.db_world import DbWorld
from bench.world import Catalogue, traffic, viewers
from sparkads.clock import SystemClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery import tokens
from sparkads.delivery.compile import compile_snapshot, geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, decide
from sparkads.delivery.model import Snapshot
from sparkads.delivery.store import signing_secret
from sparkads.events.budgets import BudgetBook
from sparkads.events.service import EVENTS, IncomingEvent, ingest

# event type -> probability per served decision (an impression always happens)
FUNNEL = (
    ("view_2s", 0.6),
    ("view_6s", 0.3),
    ("complete_view", 0.15),
    ("click", 0.03),
    ("like", 0.04),
    ("comment", 0.005),
    ("share", 0.01),
    ("follow", 0.005),
    ("profile_visit", 0.01),
    ("conversion", 0.003),
)
BATCHES = (100, 1_000)


def _tokens_and_events(
    snapshot: Snapshot, secret: bytes, cat: Catalogue, total: int
) -> list[IncomingEvent]:
    rng, counters = random.Random(31), MemoryCounters()
    config = EngineConfig(secret=secret)
    population = viewers(20_000, random.Random(32), cat)
    stream = traffic(population, total, random.Random(33), returning=0.1)
    events: list[IncomingEvent] = []
    now = datetime.now(UTC).timestamp()
    for n, viewer in enumerate(stream):
        for decision in decide(viewer, 1, snapshot, counters, now + n * 0.001, rng, config):
            events.append(IncomingEvent(decision.token, "impression"))
            events += [
                IncomingEvent(decision.token, kind) for kind, p in FUNNEL if rng.random() < p
            ]
        if len(events) >= total:
            break
    return events[:total]


def _row(claims: tokens.Claims, event: IncomingEvent, now: datetime) -> dict[str, Any]:
    """The row `sparkads.events.service.record` stores for an event."""
    return {
        "decision_id": claims.decision_id,
        "event_type": event.event_type,
        "advertiser_id": claims.advertiser_id,
        "campaign_id": claims.campaign_id,
        "adgroup_id": claims.adgroup_id,
        "ad_id": claims.ad_id,
        "item_id": claims.item_id,
        "viewer_id": claims.viewer_id,
        "occurred_at": now,
        "received_at": now,
        "billing": claims.billing,
        "goal": claims.goal,
        "price": claims.price,
        "cost": 0,
        "billing_note": None,
    }


def _copy(world: DbWorld, workdir: Path, name: str) -> UnitOfWorkFactory:
    path = workdir / f"{name}.db"
    shutil.copy(world.url.removeprefix("sqlite:///"), path)
    return UnitOfWorkFactory(make_engine(f"sqlite:///{path}"))


def _ingest(
    factory: UnitOfWorkFactory,
    snapshot: Snapshot,
    secret: bytes,
    events: list[IncomingEvent],
    size: int,
) -> dict[str, Any]:
    counters = MemoryCounters()
    accepted = billed = 0
    start = now_ns()
    for first in range(0, len(events), size):
        with factory() as uow:
            budgets = BudgetBook(uow.session, lambda: snapshot)
            outcome = ingest(
                uow.session,
                counters,
                budgets,
                secret,
                datetime.now(UTC),
                events[first : first + size],
            )
            uow.commit()
        outcome.apply_stats(counters)
        accepted += sum(1 for r in outcome.results if r.status == "accepted")
        billed += sum(1 for r in outcome.results if r.billed)
    elapsed = (now_ns() - start) / 1e9
    return {
        "events": len(events),
        "accepted": accepted,
        "billed": billed,
        "seconds": elapsed,
        "per_second": len(events) / elapsed,
    }


def _plain(factory: UnitOfWorkFactory, rows: list[dict[str, Any]], size: int) -> dict[str, Any]:
    start = now_ns()
    for first in range(0, len(rows), size):
        with factory() as uow:
            uow.session.execute(EVENTS.insert(), rows[first : first + size])
            uow.commit()
    elapsed = (now_ns() - start) / 1e9
    return {"events": len(rows), "seconds": elapsed, "per_second": len(rows) / elapsed}


def run(scale: Scale, world: DbWorld, cat: Catalogue, workdir: Path) -> Section:
    section = Section("events")
    clock = SystemClock()
    factory = _copy(world, workdir, "events-setup")
    with factory() as uow:
        secret = signing_secret(uow.session, clock)  # ingest takes the secret as an argument
        snapshot = compile_snapshot(uow.session, clock.now(), "http://bench", 1, geography())
    factory.engine.dispose()
    progress(f"events: deciding to get {scale.events_total:,} events")
    events = _tokens_and_events(snapshot.snapshot, secret, cat, scale.events_total)
    now = datetime.now(UTC)
    rows = [_row(tokens.verify(e.token, secret, now.timestamp()), e, now) for e in events]
    kinds: dict[str, int] = {}
    for e in events:
        kinds[e.event_type] = kinds.get(e.event_type, 0) + 1
    section.data["event_mix"] = kinds
    for size in BATCHES:
        progress(f"events: batches of {size:,}")
        db = _copy(world, workdir, f"events-{size}")
        plain_db = _copy(world, workdir, f"plain-{size}")
        # interleave halves so both see the same machine
        half = len(events) // 2
        first_ingest = _ingest(db, snapshot.snapshot, secret, events[:half], size)
        first_plain = _plain(plain_db, rows[:half], size)
        second_ingest = _ingest(db, snapshot.snapshot, secret, events[half:], size)
        second_plain = _plain(plain_db, rows[half:], size)
        db.engine.dispose()
        plain_db.engine.dispose()
        ingest_s = first_ingest["seconds"] + second_ingest["seconds"]
        plain_s = first_plain["seconds"] + second_plain["seconds"]
        result = {
            "events": len(events),
            "accepted": first_ingest["accepted"] + second_ingest["accepted"],
            "billed": first_ingest["billed"] + second_ingest["billed"],
            "ingest_per_second": len(events) / ingest_s,
            "plain_insert_per_second": len(events) / plain_s,
        }
        section.data[str(size)] = result
        ratio = result["ingest_per_second"] / result["plain_insert_per_second"]
        big = size == 1_000
        section.rows.append(
            Row(
                "events",
                f"batches of {size:,}",
                "events ingested/s",
                result["ingest_per_second"],
                "/s",
                baseline=result["plain_insert_per_second"],
                baseline_name="plain executemany INSERT /s",
                ratio=ratio,
                ratio_name="ingest/plain",
                target="≥ 20,000/s" if big else "",
                holds=(result["ingest_per_second"] >= 20_000) if big else None,
            )
        )
        if result["accepted"] != len(events):
            section.notes.append(
                f"events: batches of {size}: {result['accepted']} of {len(events)} accepted"
            )
    return section


def profile(world: DbWorld, cat: Catalogue, workdir: Path, total: int = 10_000) -> str:
    """cProfile of ingest in batches of 1,000 (for the report, not part of the timed run)."""
    import cProfile
    import io
    import pstats

    clock = SystemClock()
    factory = _copy(world, workdir, "profile-setup")
    with factory() as uow:
        secret = signing_secret(uow.session, clock)
        snapshot = compile_snapshot(uow.session, clock.now(), "http://bench", 1, geography())
    factory.engine.dispose()
    events = _tokens_and_events(snapshot.snapshot, secret, cat, total)
    db = _copy(world, workdir, "profile")
    profiler = cProfile.Profile()
    profiler.enable()
    _ingest(db, snapshot.snapshot, secret, events, 1_000)
    profiler.disable()
    db.engine.dispose()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    return out.getvalue()
