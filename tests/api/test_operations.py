"""/metrics (Prometheus text, parsed with prometheus-client's own parser), /healthz, /readyz and
JSON logs with request ids, against the real app and database."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from factories import PARIS_VIEWER, ask, create_ad, feed, send_events, spark_world
from factories.logs import json_logs
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork

TOKEN = "metrics-secret-1"


@pytest.fixture
def ops_client(settings: Settings, clock: TestClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings.with_(metrics_token=TOKEN), clock)) as test_client:
        yield test_client


def scrape(client: TestClient) -> dict[str, float]:
    """Every sample of /metrics by name and labels, e.g. 'sparkads_events_total{status=accepted}'."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()) if k != "le")
            if "le" in sample.labels:
                labels += f",le={sample.labels['le']}"
            samples[f"{sample.name}{{{labels.strip(',')}}}"] = sample.value
    return samples


def moved(before: dict[str, float], after: dict[str, float], name: str) -> float:
    return after.get(name, 0.0) - before.get(name, 0.0)


def test_readyz_is_503_until_the_snapshot_is_loaded(
    ops_client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    assert ops_client.get("/healthz").json() == {"status": "ok"}
    starting = ops_client.get("/readyz")
    assert starting.status_code == 503
    assert starting.json()["snapshot_loaded"] is False
    assert scrape(ops_client)["sparkads_ready{}"] == 0.0
    ask(
        ops_client, feed(uow, clock)
    )  # the first decision loads the snapshot (no background thread)
    ready = ops_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["snapshot_loaded"] is True
    assert scrape(ops_client)["sparkads_ready{}"] == 1.0


def test_metrics_parse_and_their_counters_move_with_traffic(
    ops_client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(ops_client, uow, clock)
    assert create_ad(ops_client, world)["code"] == 0
    app_feed = feed(uow, clock)
    before = scrape(ops_client)

    [decision] = ask(ops_client, app_feed)
    german = {**PARIS_VIEWER, "viewer_id": "de-1", "country": "DE", "region": None}
    assert ask(ops_client, app_feed, german, slots=3) == []
    send_events(
        ops_client,
        app_feed,
        (decision["token"], "impression"),
        (decision["token"], "impression"),  # duplicate
        ("not-a-token", "impression"),  # rejected
    )
    after = scrape(ops_client)

    assert moved(before, after, "sparkads_decision_requests_total{filled=yes}") == 1
    assert moved(before, after, "sparkads_decision_requests_total{filled=no}") == 1
    assert moved(before, after, "sparkads_decision_slots_total{outcome=requested}") == 4
    assert moved(before, after, "sparkads_decision_slots_total{outcome=filled}") == 1
    assert moved(before, after, "sparkads_decision_seconds_count{}") == 2
    assert moved(before, after, "sparkads_decision_seconds_bucket{le=+Inf}") == 2
    assert moved(before, after, "sparkads_decision_seconds_sum{}") > 0
    assert moved(before, after, "sparkads_events_total{status=accepted}") == 1
    assert moved(before, after, "sparkads_events_total{status=duplicate}") == 1
    assert moved(before, after, "sparkads_events_total{status=rejected}") == 1
    assert moved(before, after, "sparkads_event_batch_seconds_count{}") == 1
    # live gauges: the snapshot holds the one ad group; the impression waits for the rollups
    assert after["sparkads_snapshot_adgroups{}"] == 1
    assert after["sparkads_snapshot_version{}"] >= 1
    assert after["sparkads_snapshot_age_seconds{}"] >= 0
    assert after["sparkads_rollup_unread_events{}"] == 1
    assert after["sparkads_db_pool_size{}"] >= 1
    assert after["sparkads_db_pool_checked_out{}"] == 0  # none held between requests
    report = ops_client.get(
        "/open_api/v1.3/report/integrated/get/",
        headers=world.brand.access,
        params={
            "advertiser_id": world.brand.id,
            "report_type": "BASIC",
            "data_level": "AUCTION_AD",
            "dimensions": '["ad_id"]',
            "metrics": '["impressions"]',
            "start_date": clock.now().date().isoformat(),
            "end_date": clock.now().date().isoformat(),
        },
    )
    assert report.json()["code"] == 0, report.text
    assert scrape(ops_client)["sparkads_rollup_unread_events{}"] == 0  # folded on read


def test_metrics_are_refused_without_the_token_with_a_clear_error(ops_client: TestClient) -> None:
    missing = ops_client.get("/metrics")
    assert missing.status_code == 403
    assert missing.json()["error"]["code"] == "metrics_forbidden"
    wrong = ops_client.get(
        "/metrics", headers={"Authorization": "Bearer nope", "Accept-Language": "fr"}
    )
    assert wrong.status_code == 403
    assert wrong.json()["error"]["message"] == "Les métriques ne sont pas lisibles d'ici."


def test_without_a_token_only_loopback_clients_are_answered(
    settings: Settings, clock: TestClock
) -> None:
    app = create_app(settings, clock)
    with TestClient(app, client=("127.0.0.1", 50000)) as local:
        assert local.get("/metrics").status_code == 200
    with TestClient(app, client=("203.0.113.9", 50000)) as remote:
        assert remote.get("/metrics").json()["error"]["code"] == "metrics_forbidden"


def test_metrics_can_be_turned_off(settings: Settings, clock: TestClock) -> None:
    with TestClient(create_app(settings.with_(metrics=False), clock)) as client:
        assert client.get("/metrics").status_code == 404


def test_json_logs_carry_the_request_id(
    settings: Settings, clock: TestClock, uow: UnitOfWork
) -> None:
    with json_logs(settings, clock) as (app, stream):
        with TestClient(app) as client:
            given = client.get("/healthz", headers={"X-Request-Id": "lb-42"})
            made = client.post("/api/v1/feed/decisions", json={"viewer": {}})
        assert given.headers["x-request-id"] == "lb-42"
        assert len(made.headers["x-request-id"]) == 32  # a new id for a request without one
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        access = [line for line in lines if line["logger"] == "sparkads.access"]
        assert {
            "request_id": "lb-42",
            "method": "GET",
            "path": "/healthz",
            "status": 200,
        }.items() <= access[0].items()
        assert access[1]["request_id"] == made.headers["x-request-id"]
        assert access[1]["status"] == 401
        assert access[1]["level"] == "info"
        assert access[1]["time"].endswith("+00:00")
