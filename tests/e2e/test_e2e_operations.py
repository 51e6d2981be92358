"""Operations on a real `sparkads serve --workers 2` (Redis for the shared counters): /readyz,
/metrics summed over both workers (prometheus-client's multiprocess mode) whichever worker answers
the scrape, and JSON logs with request ids."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from factories.redis_server import throwaway_redis
from factories.server import free_port, hermetic_env, tail

pytestmark = pytest.mark.e2e
MAX_REQUESTS = 300


def _sample(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    raise AssertionError(f"{name} {labels} not in /metrics")


def test_two_workers_report_summed_metrics_and_json_logs(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'ops.db'}"
    made = subprocess.run(
        [sys.executable, "-m", "sparkads", "feeds", "create", "--json",
         "--database-url", database_url],
        capture_output=True, text=True, cwd=tmp_path, env=hermetic_env(), timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    feed = {"Authorization": f"Bearer {json.loads(made.stdout)['access_token']}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    (tmp_path / "redis").mkdir()
    env = {**hermetic_env(), "SPARKADS_LOG_FORMAT": "json"}
    with throwaway_redis(tmp_path / "redis") as redis_url, log.open("wb") as sink:
        command = [
            sys.executable, "-m", "sparkads", "serve", "--port", str(port), "--workers", "2",
            "--database-url", database_url, "--redis-url", redis_url,
        ]  # fmt: skip
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path, env=env
        )
        try:
            deadline = time.monotonic() + 90
            while not _ready(base):
                assert process.poll() is None, tail(log)
                assert time.monotonic() < deadline, tail(log)
                time.sleep(0.2)
            # each request on a new connection, until both workers have answered some
            sent = 0
            while sent < MAX_REQUESTS and len(_decision_pids(log)) < 2:
                answer = httpx.post(
                    f"{base}/api/v1/feed/decisions",
                    headers={**feed, "X-Request-Id": f"e2e-{sent}"},
                    json={"viewer": {"viewer_id": f"v{sent}", "country": "FR"}},
                    timeout=10,
                )
                assert answer.status_code == 200, answer.text
                assert answer.headers["x-request-id"] == f"e2e-{sent}"
                sent += 1
            assert len(_decision_pids(log)) == 2, "one worker answered every request"
            scrapes = []
            for _ in range(6):  # new connections: the scrape lands on either worker
                scrapes.append(httpx.get(f"{base}/metrics", timeout=10))
            for scrape in scrapes:
                assert scrape.status_code == 200, scrape.text
                # both workers' counts, whichever worker answers
                assert _sample(scrape.text, "sparkads_decision_requests_total", filled="no") == sent
                slots = _sample(scrape.text, "sparkads_decision_slots_total", outcome="requested")
                assert slots == sent
                assert _sample(scrape.text, "sparkads_decision_seconds_count") == sent
            workers = set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))
            assert len(workers) == 2, tail(log)
        finally:
            process.terminate()
            process.wait(timeout=20)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "sparkads.access"]
    ids = {line["request_id"] for line in access if line["path"] == "/api/v1/feed/decisions"}
    assert ids == {f"e2e-{n}" for n in range(sent)}
    assert {line["status"] for line in access if line["path"] == "/metrics"} == {200}


def _decision_pids(log: Path) -> set[int]:
    """The workers that logged an answered decision (JSON access lines)."""
    pids = set()
    for line in log.read_text().splitlines():
        if '"sparkads.access"' in line and "/api/v1/feed/decisions" in line:
            try:
                pids.add(json.loads(line)["pid"])
            except json.JSONDecodeError:  # the line being written
                continue
    return pids


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
