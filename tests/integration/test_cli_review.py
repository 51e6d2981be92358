"""`sparkads review` and `sparkads policy`, run as an operator runs them (separate processes) on
the database a server with review by people uses."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import ask, create_ad, feed, spark_world
from factories.server import hermetic_env
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture
def reviewed(settings: Settings, clock: TestClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings.with_(auto_approve=False), clock)) as test_client:
        yield test_client


def _sparkads(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sparkads", *args, "--database-url", database_url],
        capture_output=True, text=True, env={**hermetic_env(), "COLUMNS": "200"}, timeout=120,
        check=False,
    )  # fmt: skip


def _json(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_an_operator_reviews_from_the_command_line(
    reviewed: TestClient, uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    world = spark_world(reviewed, uow, clock)
    first = create_ad(reviewed, world)["data"]["ad_ids"][0]
    second = create_ad(reviewed, world, ad_name="second")["data"]["ad_ids"][0]
    queue = _json(_sparkads(database_url, "review", "queue", "--json"))
    # oldest first; these two were made at the same instant of the test clock
    assert sorted(a["ad_id"] for a in queue["ads"]) == sorted([first, second])
    _json(_sparkads(database_url, "review", "approve", first, "--json"))
    refused = _sparkads(database_url, "review", "reject", second, "--reason", "ugly")
    assert refused.returncode == 2
    assert "review_reason_required" in refused.stderr
    rejected = _sparkads(
        database_url, "review", "reject", second, "--reason", "review_low_quality", "--json"
    )
    assert _json(rejected)["review_status"] == "REJECTED"
    assert _json(_sparkads(database_url, "review", "queue", "--json"))["ads"] == []
    reviewed.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    assert [d["ad_id"] for d in ask(reviewed, feed(uow, clock))] == [first]


def test_policy_rules_are_added_listed_and_removed(database_url: str) -> None:
    added = _json(
        _sparkads(
            database_url, "policy", "add", "age_restricted_category", "Alcohol: Beer", "--json"
        )
    )
    assert (added["kind"], added["value"]) == ("age_restricted_category", "Alcohol: beer")
    listed = _json(_sparkads(database_url, "policy", "list", "--json"))
    assert [r["rule_id"] for r in listed["rules"]] == [added["rule_id"]]
    bad = _sparkads(database_url, "policy", "add", "min_duration", "soon")
    assert bad.returncode == 2
    assert "policy_rule_invalid" in bad.stderr
    _json(_sparkads(database_url, "policy", "remove", added["rule_id"], "--json"))
    assert _json(_sparkads(database_url, "policy", "list", "--json"))["rules"] == []


def test_the_queue_shows_whole_ad_ids_at_80_columns(
    reviewed: TestClient, uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    world = spark_world(reviewed, uow, clock)
    long_caption = "A caption long enough to need wrapping in a terminal of eighty columns wide"
    ad_id = create_ad(reviewed, world, ad_text=long_caption)["data"]["ad_ids"][0]
    done = subprocess.run(
        [sys.executable, "-m", "sparkads", "review", "queue", "--database-url", database_url],
        capture_output=True, text=True, env={**hermetic_env(), "COLUMNS": "80"}, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ad_id in done.stdout  # whole, on one line: it can be pasted into `review approve`
    assert max(len(line) for line in done.stdout.splitlines()) <= 80
    assert "…" not in done.stdout
