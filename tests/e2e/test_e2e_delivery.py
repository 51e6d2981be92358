"""Delivery end to end on a real server process: a creator's post authorized, a campaign launched,
a matching viewer gets it, events flow (spend and the post's paid counters move), a viewer outside
the targeting never gets it, expiry stops delivery at once, and acknowledged events survive a
kill -9 of the server."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.server import OPEN_API, free_port, hermetic_env, wait_until_up

pytestmark = pytest.mark.e2e

FRANCE = "3017382"
PARIS = {
    "viewer_id": "paris-1",
    "country": "FR",
    "region": "IDF",
    "age": 29,
    "gender": "FEMALE",
    "language": "fr",
    "device": {"os": "ANDROID", "os_version": "14", "network": "WIFI"},
    "interests": ["101"],
}
BERLIN = {**PARIS, "viewer_id": "berlin-1", "country": "DE", "region": None, "language": "de"}


@dataclass
class Process:
    workdir: Path
    database: Path
    port: int
    handle: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.workdir / "server.log"
        command = [
            sys.executable,
            "-m",
            "sparkads",
            "serve",
            "--sandbox",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--database-url",
            f"sqlite:///{self.database}",
        ]
        with log.open("ab") as sink:
            self.handle = subprocess.Popen(
                command,
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=hermetic_env(),
            )
        wait_until_up(self.handle, self.base_url, log)

    def kill(self) -> None:
        assert self.handle is not None
        self.handle.send_signal(signal.SIGKILL)
        self.handle.wait(timeout=10)

    def stop(self) -> None:
        if self.handle is not None and self.handle.poll() is None:
            self.handle.terminate()
            self.handle.wait(timeout=10)

    def cli(self, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sparkads",
                *args,
                "--json",
                "--database-url",
                f"sqlite:///{self.database}",
            ],
            capture_output=True,
            text=True,
            cwd=self.workdir,
            env=hermetic_env(),
            timeout=60,
            check=True,
        )
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    workdir = tmp_path_factory.mktemp("delivery")
    proc = Process(workdir, workdir / "delivery.db", free_port())
    proc.start()
    yield proc
    proc.stop()


def _world(process: Process, http: httpx.Client) -> dict[str, Any]:
    creator = process.cli("creators", "create", "--handle", "lea.delivers")
    brand = process.cli(
        "advertisers",
        "create",
        "--name",
        "Brand",
        "--currency",
        "EUR",
        "--timezone",
        "Europe/Paris",
    )
    app_feed = process.cli("feeds", "create", "--name", "phone app")
    bearer = {"Authorization": f"Bearer {creator['access_token']}"}
    post = http.post(
        "/api/v1/posts", headers=bearer, json={"caption": "Crêpes in 12 s", "duration": 12}
    ).json()
    code = http.post(
        f"/api/v1/posts/{post['item_id']}/authorizations", headers=bearer, json={"duration_days": 7}
    ).json()["auth_code"]
    access = {"Access-Token": brand["access_token"]}
    adv = brand["advertiser_id"]

    def open_api(path: str, **body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = http.post(
            f"{OPEN_API}/{path}", headers=access, json={"advertiser_id": adv, **body}
        ).json()
        assert answer["code"] == 0, answer
        return answer["data"]

    open_api("tt_video/authorize/", auth_code=code)
    identity = http.get(
        f"{OPEN_API}/tt_video/info/",
        headers=access,
        params={"advertiser_id": adv, "auth_code": code},
    ).json()["data"]["user_info"]["identity_id"]
    campaign = open_api(
        "campaign/create/",
        campaign_name="Spring",
        objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY",
        budget=50,
    )
    group = open_api(
        "adgroup/create/",
        campaign_id=campaign["campaign_id"],
        adgroup_name="FR",
        promotion_type="WEBSITE",
        location_ids=[FRANCE],
        budget_mode="BUDGET_MODE_DAY",
        budget=20,
        schedule_type="SCHEDULE_FROM_NOW",
        optimization_goal="CLICK",
        billing_event="CPC",
        bid_price=1,
    )
    open_api(
        "ad/create/",
        adgroup_id=group["adgroup_id"],
        creatives=[
            {
                "identity_type": "AUTH_CODE",
                "identity_id": identity,
                "tiktok_item_id": post["item_id"],
                "call_to_action": "SHOP_NOW",
                "landing_page_url": "https://brand.example.com",
            }
        ],
    )
    return {
        "post": post,
        "bearer": bearer,
        "feed": {"Authorization": f"Bearer {app_feed['access_token']}"},
    }


def _decide(http: httpx.Client, feed: dict[str, str], viewer: dict[str, Any]) -> list[Any]:
    response = http.post("/api/v1/feed/decisions", headers=feed, json={"viewer": viewer})
    assert response.status_code == 200, response.text
    decisions: list[Any] = response.json()["decisions"]
    return decisions


def _first_decision(http: httpx.Client, feed: dict[str, str]) -> dict[str, Any]:
    """The snapshot is rebuilt in the background within a fraction of a second of a change."""
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        decisions = _decide(http, feed, PARIS)
        if decisions:
            return dict(decisions[0])
        time.sleep(0.1)
    pytest.fail("the new ad was not live within 3 s")


def test_delivery_journey_on_a_real_server(process: Process) -> None:
    with httpx.Client(base_url=process.base_url, timeout=15) as http:
        world = _world(process, http)
        feed = world["feed"]
        decision = _first_decision(http, feed)
        assert decision["item_id"] == world["post"]["item_id"]
        assert all(_decide(http, feed, {**BERLIN, "viewer_id": f"b{i}"}) == [] for i in range(20))
        events = [
            {"token": decision["token"], "type": t}
            for t in ("impression", "view_2s", "click", "like", "share", "follow")
        ]
        answer = http.post("/api/v1/events", headers=feed, json={"events": events}).json()
        assert answer["accepted"] == 6
        billed = sum(r["billed"] for r in answer["results"])
        assert 0 < billed <= 1_000_000
        # The process dies right after acknowledging: nothing acknowledged may be lost.
        process.kill()
        assert process.rows("SELECT count(*) FROM events") == [(6,)]
        assert process.rows("SELECT sum(amount) FROM spend_ledger") == [(billed,)]
        process.start()
        post = http.get(f"/api/v1/posts/{world['post']['item_id']}", headers=world["bearer"]).json()
        assert (post["paid"]["views"], post["paid"]["likes"], post["paid"]["shares"]) == (1, 1, 1)
        again = _first_decision(http, feed)
        operator = process.cli("operators", "create", "--name", "clock")["access_token"]
        moved = http.post(
            "/api/v1/sandbox/clock/advance",
            json={"days": 7, "minutes": 1},
            headers={"Authorization": f"Bearer {operator}"},
        )
        assert moved.status_code == 200, moved.text
        assert _decide(http, feed, {**PARIS, "viewer_id": "after-expiry"}) == []
        late = http.post(
            "/api/v1/events",
            headers=feed,
            json={"events": [{"token": again["token"], "type": "impression"}]},
        ).json()
        # decision tokens live 7 days: a week later, events on that decision are refused, with why
        assert late["results"][0]["reason"] == "token_expired"
