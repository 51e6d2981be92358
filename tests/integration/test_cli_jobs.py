"""`sparkads jobs rollups|event-partitions|audiences` and `sparkads bench`, run as a user runs them (a separate
process) on a database that a real delivery filled."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import PARIS_VIEWER, ask, create_ad, feed, send_events, spark_world
from factories.server import hermetic_env
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events import partitions
from sparkads.reporting.models import AdDayRollup


def _sparkads(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sparkads", *args], capture_output=True, text=True,
        env={**hermetic_env(), "COLUMNS": "200"}, timeout=120, check=False,
    )  # fmt: skip


def test_rollups_job_folds_new_events_then_rebuilds_to_the_same_numbers(
    client: TestClient, uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    for n in range(3):
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{n}"})
        send_events(client, app_feed, (decision["token"], "impression"))

    folded = _sparkads("jobs", "rollups", "--database-url", database_url)
    again = _sparkads("jobs", "rollups", "--database-url", database_url)
    rebuilt = _sparkads("jobs", "rollups", "--rebuild", "--database-url", database_url)

    assert folded.returncode == 0, folded.stderr
    assert "folded 3 events" in folded.stdout
    assert "folded 0 events" in again.stdout
    assert "rebuilt from 3 events" in rebuilt.stdout
    uow.session.expire_all()
    assert uow.session.scalar(select(func.sum(AdDayRollup.impressions))) == 3


def test_event_partitions_job_makes_the_week_ahead_or_has_nothing_to_do(
    uow: UnitOfWork, database_url: str
) -> None:
    done = _sparkads("jobs", "event-partitions", "--database-url", database_url)

    assert done.returncode == 0, done.stderr
    if uow.session.get_bind().dialect.name != "postgresql":
        assert "events are not partitioned on this database (SQLite)" in done.stdout
        return
    assert re.search(r"made \d+ day partitions, dropped 0 \(none\), \d+ kept", done.stdout)
    week_ahead = datetime.now(UTC).date() + timedelta(days=7)
    assert week_ahead in partitions.day_partitions(uow.session)


def test_audiences_job_and_bench_help(database_url: str) -> None:
    audiences = _sparkads("jobs", "audiences", "--database-url", database_url)
    bench = _sparkads("bench", "--help")

    assert audiences.returncode == 0, audiences.stderr
    assert "refreshed 0 audiences" in audiences.stdout
    assert bench.returncode == 0
    assert "--quick" in bench.stdout
