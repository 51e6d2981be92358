"""Two real `sparkads serve` processes on one SQLite database (WAL) and one Redis, as behind a load
balancer: a frequency cap of one per viewer holds across both, and a daily budget billed by both at
once, from several threads, is overspent by less than one event. Without the shared counters each
process would serve the capped viewer again and let the budget be spent once per process. Both
processes' rollup folders (and their reports' folds) run on the one database: every event is
reported once, whichever server answers."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.redis_server import throwaway_redis
from factories.server import OPEN_API, free_port, hermetic_env, wait_until_up

pytestmark = pytest.mark.e2e

BUDGET = 20_000_000  # the capped ad group's daily budget, EUR micros (TikTok's minimum)
CLICKS = 24  # decisions collected before their clicks are billed, all at once


FRANCE = "3017382"
PARIS = {
    "country": "FR",
    "region": "IDF",
    "age": 29,
    "gender": "FEMALE",
    "language": "fr",
    "device": {"os": "ANDROID", "os_version": "14", "network": "WIFI"},
}


@dataclass
class Process:
    """A `serve` process with `--redis-url`, on the database file it shares with the other."""

    workdir: Path
    database: Path
    redis_url: str
    port: int
    handle: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.workdir / f"server-{self.port}.log"
        command = [
            sys.executable, "-m", "sparkads", "serve", "--sandbox", "--host", "127.0.0.1",
            "--port", str(self.port), "--database-url", f"sqlite:///{self.database}",
            "--redis-url", self.redis_url,
        ]  # fmt: skip
        with log.open("ab") as sink:
            self.handle = subprocess.Popen(
                command, stdout=sink, stderr=subprocess.STDOUT, cwd=self.workdir, env=hermetic_env()
            )
        wait_until_up(self.handle, self.base_url, log)

    def stop(self) -> None:
        if self.handle is not None and self.handle.poll() is None:
            self.handle.terminate()
            self.handle.wait(timeout=10)

    def cli(self, *args: str) -> dict[str, Any]:
        command = [sys.executable, "-m", "sparkads", *args, "--json"]
        done = subprocess.run(
            [*command, "--database-url", f"sqlite:///{self.database}"],
            capture_output=True,
            text=True,
            cwd=self.workdir,
            env=hermetic_env(),
            timeout=60,
            check=True,
        )
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[list[Process]]:
    workdir = tmp_path_factory.mktemp("shared")
    pair = [Process(workdir, workdir / "shared.db", redis_url, free_port()) for _ in range(2)]
    try:
        yield pair
    finally:
        for server in pair:
            server.stop()


def _world(process: Process, http: httpx.Client) -> dict[str, Any]:
    """A creator's two posts; a brand sponsors one with a capped, fast-paced CPC ad group (the
    one under test) and the other with a lower CPC bid that keeps its price up (second price)."""
    creator = process.cli("creators", "create", "--handle", "two.servers")
    brand = process.cli(
        "advertisers", "create", "--name", "Brand", "--currency", "EUR",
        "--timezone", "Europe/Paris",
    )  # fmt: skip
    feed = process.cli("feeds", "create", "--name", "phone app")
    bearer = {"Authorization": f"Bearer {creator['access_token']}"}
    access = {"Access-Token": brand["access_token"]}
    adv = brand["advertiser_id"]

    def open_api(path: str, **body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = http.post(
            f"{OPEN_API}/{path}", headers=access, json={"advertiser_id": adv, **body}
        ).json()
        assert answer["code"] == 0, answer
        return answer["data"]

    campaign = open_api(
        "campaign/create/", campaign_name="Two servers", objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY", budget=100,
    )  # fmt: skip
    groups = []
    for name, bid, capped in (("capped", 10, True), ("rival", 8, False)):
        post = http.post(
            "/api/v1/posts", headers=bearer, json={"caption": f"{name} post", "duration": 12}
        ).json()
        code = http.post(
            f"/api/v1/posts/{post['item_id']}/authorizations",
            headers=bearer,
            json={"duration_days": 7},
        ).json()["auth_code"]
        open_api("tt_video/authorize/", auth_code=code)
        identity = http.get(
            f"{OPEN_API}/tt_video/info/", headers=access,
            params={"advertiser_id": adv, "auth_code": code},
        ).json()["data"]["user_info"]["identity_id"]  # fmt: skip
        caps = {"frequency": 1, "frequency_schedule": 1} if capped else {}
        group = open_api(
            "adgroup/create/", campaign_id=campaign["campaign_id"], adgroup_name=name,
            promotion_type="WEBSITE", location_ids=[FRANCE], budget_mode="BUDGET_MODE_DAY",
            budget=20 if capped else 50, schedule_type="SCHEDULE_FROM_NOW",
            optimization_goal="CLICK", billing_event="CPC",
            bid_price=bid, pacing="PACING_MODE_FAST", **caps,
        )  # fmt: skip
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
        groups.append(group["adgroup_id"])
    return {
        "capped": groups[0],
        "feed": {"Authorization": f"Bearer {feed['access_token']}"},
        "access": access,
        "advertiser_id": adv,
    }


def _decide(http: httpx.Client, world: dict[str, Any], viewer_id: str) -> str | None:
    """The capped ad group's token if it won this viewer's decision, else None."""
    viewer = {**PARIS, "viewer_id": viewer_id}
    response = http.post("/api/v1/feed/decisions", headers=world["feed"], json={"viewer": viewer})
    assert response.status_code == 200, response.text
    for decision in response.json()["decisions"]:
        if decision["adgroup_id"] == world["capped"]:
            return str(decision["token"])
    return None


def _events(http: httpx.Client, feed: dict[str, str], token: str) -> int:
    events = [{"token": token, "type": t} for t in ("impression", "click")]
    answer = http.post("/api/v1/events", headers=feed, json={"events": events})
    assert answer.status_code == 200, answer.text
    return sum(int(r["billed"]) for r in answer.json()["results"])


def _spent(database: Path, adgroup_id: str) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT coalesce(sum(amount), 0), coalesce(max(amount), 0) FROM spend_ledger"
            " WHERE adgroup_id = ?",
            (adgroup_id,),
        ).fetchone()
    return int(row[0]), int(row[1])


def test_two_servers_share_the_frequency_cap_and_the_budget(servers: list[Process]) -> None:
    first, second = servers
    first.start()
    with httpx.Client(base_url=first.base_url, timeout=15) as one:
        world = _world(first, one)
        feed = world["feed"]
        second.start()  # warms up from the same database and Redis
        with httpx.Client(base_url=second.base_url, timeout=15) as two:
            clients = (one, two)
            # frequency cap 1: a viewer served by one server is not served again by the other
            token = _wait_for(lambda: _decide(one, world, "capped-viewer"))
            assert _decide(two, world, "capped-viewer") is None
            assert _decide(one, world, "capped-viewer") is None
            assert _decide(two, world, "another-viewer") is not None
            # decisions from both servers, in turn, before anything is billed...
            tokens = [token]
            for n in range(CLICKS - 1):
                won = _decide(clients[n % 2], world, f"viewer-{n}")
                assert won is not None, f"viewer-{n} was not served"
                tokens.append(won)
            # ...then their clicks, each to the other server, from four threads at once
            with ThreadPoolExecutor(max_workers=4) as pool:
                billed = list(
                    pool.map(
                        lambda n: _events(clients[(n + 1) % 2], feed, tokens[n]),
                        range(len(tokens)),
                    )
                )
            # both servers' folders and report folds ran on the one database: counted once
            stored = _stored(first.database)
            for client in clients:
                shown = _report(client, world)
                assert int(shown["impressions"]) == stored["impression"] == len(tokens)
                assert int(shown["clicks"]) == stored["click"] == len(tokens)
            assert _rolled_up_spend(first.database) == stored["cost"]
    spent, costliest = _spent(first.database, world["capped"])
    assert spent == sum(billed)
    assert BUDGET <= spent < BUDGET + costliest, (spent, costliest, billed)
    assert billed.count(0) > 0  # the rest were refused as over budget


def _report(http: httpx.Client, world: dict[str, Any]) -> dict[str, str]:
    answer = http.get(
        f"{OPEN_API}/report/integrated/get/",
        headers=world["access"],
        params={
            "advertiser_id": world["advertiser_id"],
            "report_type": "BASIC",
            "data_level": "AUCTION_ADVERTISER",
            "dimensions": json.dumps(["advertiser_id"]),
            "metrics": json.dumps(["impressions", "clicks"]),
            "query_lifetime": "true",
        },
    ).json()
    assert answer["code"] == 0, answer
    metrics: dict[str, str] = answer["data"]["list"][0]["metrics"]
    return metrics


def _stored(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        found = dict(connection.execute("SELECT event_type, count(*) FROM events GROUP BY 1"))
        found["cost"] = connection.execute("SELECT coalesce(sum(cost), 0) FROM events").fetchone()[
            0
        ]
    return {name: int(value) for name, value in found.items()}


def _rolled_up_spend(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT sum(spend) FROM rollup_ad_day").fetchone()[0])


def _wait_for(attempt: Callable[[], str | None]) -> str:
    """The snapshot is rebuilt in the background within a fraction of a second of a change."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        token = attempt()
        if token is not None:
            return token
        time.sleep(0.1)
    pytest.fail("the capped ad group was not served within 5 s")
