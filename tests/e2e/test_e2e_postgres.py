"""sparkads on PostgreSQL end to end, as an operator runs it: `sparkads migrate`, `sparkads demo` and
`sparkads serve` against a plain `postgresql://` URL, then a short journey through the APIs and the
web app, and a restart that carries on from what the database holds.

Runs when SPARKADS_TEST_POSTGRES_URL names a PostgreSQL server (an admin URL: ./scripts/test starts
a throwaway server, sets it and runs this file in its PostgreSQL pass); fails without it. Like
every end-to-end test, it reaches sparkads only as separate processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest

from factories.server import OPEN_API, free_port, hermetic_env, tail, wait_until_up

ADMIN_URL = os.environ.get("SPARKADS_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", autouse=True)
def _postgres_server() -> None:
    """These tests need a PostgreSQL server: they fail (never skip) without one, as the browser
    tests do without Chromium. ./scripts/test runs them in its PostgreSQL pass only."""
    if not ADMIN_URL:
        pytest.fail(
            "SPARKADS_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts a throwaway "
            "PostgreSQL server for this file, or point the variable at a server's admin URL"
        )


PARIS = {
    "viewer_id": "paris-0",
    "country": "FR",
    "region": "IDF",
    "age": 29,
    "gender": "FEMALE",
    "language": "fr",
    "device": {"os": "ANDROID", "os_version": "14", "network": "WIFI"},
    "interests": [],
}


def _libpq(url: str) -> str:
    """The admin URL as libpq reads it (SQLAlchemy's `postgresql+psycopg://` is accepted too)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """An empty database of its own on the server; `sparkads migrate` creates the tables."""
    admin = _libpq(ADMIN_URL)
    name = f"sparkads_e2e_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sparkads(workdir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sparkads", *args],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=hermetic_env(),
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"sparkads {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@dataclass
class Served:
    """`sparkads serve --sandbox` on the PostgreSQL database, with the demo world's tokens."""

    workdir: Path
    database_url: str
    tokens: dict[str, dict[str, str]]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.workdir / "server.log"

    def token(self, account: str) -> dict[str, str]:
        return next(row for name, row in self.tokens.items() if name.startswith(account))

    def start(self) -> None:
        command = [
            sys.executable, "-m", "sparkads", "serve", "--sandbox", "--host", "127.0.0.1",
            "--port", str(self.port), "--database-url", self.database_url,
        ]  # fmt: skip
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                command, stdout=sink, stderr=subprocess.STDOUT, cwd=self.workdir, env=hermetic_env()
            )
        wait_until_up(self.process, self.base_url, self.log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    workdir = tmp_path_factory.mktemp("postgres")
    _sparkads(workdir, "migrate", "--database-url", database_url)
    with psycopg.connect(database_url) as connection:
        tables = {row[0] for row in connection.execute("SELECT tablename FROM pg_tables")}
    assert {"posts", "campaigns", "events", "spend_ledger"} <= tables
    tokens_file = workdir / "tokens.json"
    _sparkads(
        workdir, "demo", "--database-url", database_url, "--tokens-file", str(tokens_file),
        "--days", "0.5", "--viewers", "3000", "--requests-per-day", "2000",
    )  # fmt: skip
    tokens = {row["account"]: row for row in json.loads(tokens_file.read_text())}
    server = Served(workdir, database_url, tokens)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def http(served: Served) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.base_url, timeout=15) as client:
        yield client


def _open_api(http: httpx.Client, token: str, path: str, **params: Any) -> dict[str, Any]:
    encoded = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
    answer = http.get(f"{OPEN_API}/{path}", params=encoded, headers={"Access-Token": token})
    assert answer.status_code == 200, answer.text
    envelope: dict[str, Any] = answer.json()
    assert envelope["code"] == 0, envelope
    return dict(envelope["data"])


def _spend_by_campaign(http: httpx.Client, brand: dict[str, str]) -> dict[str, str]:
    report = _open_api(
        http, brand["token"], "report/integrated/get/", advertiser_id=brand["id"],
        report_type="BASIC", data_level="AUCTION_CAMPAIGN", dimensions=["campaign_id"],
        metrics=["spend", "impressions"], query_lifetime=True,
    )  # fmt: skip
    return {row["dimensions"]["campaign_id"]: row["metrics"]["spend"] for row in report["list"]}


def test_demo_campaigns_and_their_spend_show_in_reports(served: Served, http: httpx.Client) -> None:
    brand = served.token("Advertiser Maison Verte - FR")
    campaigns = _open_api(http, brand["token"], "campaign/get/", advertiser_id=brand["id"])
    assert campaigns["list"], "the demo launched no campaign for the French ad account"
    spend = _spend_by_campaign(http, brand)
    assert sum(float(value) for value in spend.values()) > 0, spend


def test_a_viewer_gets_a_sponsored_post_and_its_events_are_recorded(
    served: Served, http: httpx.Client
) -> None:
    feed = {"Authorization": f"Bearer {served.token('Feed')['token']}"}
    decisions: list[dict[str, Any]] = []
    for index in range(30):  # pacing may pass over a viewer now and then
        viewer = {**PARIS, "viewer_id": f"paris-{index}"}
        answer = http.post("/api/v1/feed/decisions", headers=feed, json={"viewer": viewer})
        assert answer.status_code == 200, answer.text
        decisions = answer.json()["decisions"]
        if decisions:
            break
    assert decisions, f"no sponsored post for 30 Paris viewers:\n{tail(served.log)}"
    token = decisions[0]["token"]
    events = [{"token": token, "type": kind} for kind in ("impression", "view_2s", "click")]
    sent = http.post("/api/v1/events", headers=feed, json={"events": events})
    assert sent.status_code == 200, sent.text
    assert sent.json()["accepted"] == 3
    again = http.post("/api/v1/events", headers=feed, json={"events": events})
    assert again.json()["duplicates"] == 3


def test_a_creator_code_is_applied_by_a_brand(served: Served, http: httpx.Client) -> None:
    creator = {"Authorization": f"Bearer {served.token('Creator')['token']}"}
    post = http.post(
        "/api/v1/posts", headers=creator, json={"caption": "Tarte tatin, 30 s", "duration": 30}
    )
    assert post.status_code == 201, post.text
    code = http.post(
        f"/api/v1/posts/{post.json()['item_id']}/authorizations",
        headers=creator,
        json={"duration_days": 30},
    )
    assert code.status_code == 201, code.text
    brand = served.token("Advertiser Maison Verte - FR")
    applied = http.post(
        f"{OPEN_API}/tt_video/authorize/",
        headers={"Access-Token": brand["token"]},
        json={"advertiser_id": brand["id"], "auth_code": code.json()["auth_code"]},
    )
    assert applied.json()["code"] == 0, applied.text


def test_the_web_app_serves_its_pages(served: Served, http: httpx.Client) -> None:
    page = http.get("/", follow_redirects=True)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


def test_a_restarted_server_carries_on_from_the_database(
    served: Served, http: httpx.Client
) -> None:
    brand = served.token("Advertiser Maison Verte - FR")
    before = _spend_by_campaign(http, brand)
    served.stop()
    served.start()
    assert _spend_by_campaign(http, brand) == before


def test_acknowledged_events_survive_a_kill_9_while_clients_stream(
    served: Served, http: httpx.Client
) -> None:
    """Clients stream event batches; the server is killed with SIGKILL in the middle. Every event
    acknowledged before the kill is stored once with its billing, and no batch is half-written
    (every billed cost has its ledger row and the other way round). Then the server restarts."""
    feed = {"Authorization": f"Bearer {served.token('Feed')['token']}"}
    decisions: dict[str, str] = {}  # token -> decision_id
    for index in range(200):
        viewer = {**PARIS, "viewer_id": f"stream-{index}"}
        answer = http.post("/api/v1/feed/decisions", headers=feed, json={"viewer": viewer})
        assert answer.status_code == 200, answer.text
        for decision in answer.json()["decisions"]:
            decisions[decision["token"]] = decision["decision_id"]
        if len(decisions) >= 60:
            break
    assert len(decisions) >= 20, f"too few decisions to stream:\n{tail(served.log)}"
    kinds = ("impression", "view_2s", "view_6s", "click", "like")
    events = [{"token": t, "type": k} for t in decisions for k in kinds]
    batches = [events[i : i + 6] for i in range(0, len(events), 6)]
    acknowledged: list[tuple[list[dict[str, str]], dict[str, Any]]] = []
    lock, position, stop = threading.Lock(), [0], threading.Event()

    def client() -> None:
        with httpx.Client(base_url=served.base_url, timeout=15) as own:
            while not stop.is_set():
                with lock:
                    n = position[0]
                    position[0] += 1
                if n >= len(batches):
                    return
                try:
                    answer = own.post("/api/v1/events", headers=feed, json={"events": batches[n]})
                except httpx.TransportError:
                    return  # the server is gone: this batch was never acknowledged
                if answer.status_code == 200:
                    with lock:
                        acknowledged.append((batches[n], answer.json()))

    pool = [threading.Thread(target=client) for _ in range(4)]
    for thread in pool:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < len(batches) // 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert served.process is not None
    served.process.send_signal(signal.SIGKILL)  # mid-stream: later batches are in flight
    served.process.wait(timeout=10)
    served.process = None
    stop.set()
    for thread in pool:
        thread.join(timeout=30)
    assert 0 < len(acknowledged) < len(batches), "the kill did not land while clients streamed"
    with psycopg.connect(served.database_url) as connection:
        for batch, answer in acknowledged:
            for event, result in zip(batch, answer["results"], strict=True):
                rows = connection.execute(
                    "SELECT e.cost, count(l.id), coalesce(sum(l.amount), 0) FROM events e"
                    " LEFT JOIN spend_ledger l ON l.event_id = e.id"
                    " WHERE e.decision_id = %s AND e.event_type = %s GROUP BY e.id, e.cost",
                    (decisions[event["token"]], event["type"]),
                ).fetchall()
                assert len(rows) == 1, (event, result)  # stored once, whatever its status
                cost, ledger_rows, amount = rows[0]
                if result["status"] == "accepted":
                    assert (cost, amount) == (result["billed"], result["billed"])
                    assert ledger_rows == (1 if result["billed"] else 0)
        unmatched = connection.execute(
            "SELECT count(*) FROM events e LEFT JOIN spend_ledger l ON l.event_id = e.id"
            " WHERE (e.cost > 0) <> (l.id IS NOT NULL) OR e.cost <> coalesce(l.amount, 0)"
        ).fetchone()
        assert unmatched == (0,)
    served.start()
    first = acknowledged[0][0]
    again = http.post("/api/v1/events", headers=feed, json={"events": first})
    assert again.status_code == 200
    assert again.json()["duplicates"] == len(first)  # acknowledged before the kill: all kept
