"""Changes are live in every serve process within a second: two real `sparkads serve` processes on
one PostgreSQL database and one Redis, as behind a load balancer. A change made through the TikTok
API or the native API on one process is served by the other within 1 s (the change feed, polled
every 0.1 s, applied as a delta), and a paused, then deleted, ad stops within 1 s on both.

Runs in the PostgreSQL pass of ./scripts/test (SPARKADS_TEST_POSTGRES_URL, an admin URL); fails
without it. Reaches sparkads only as separate processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest

from factories.redis_server import throwaway_redis
from factories.server import OPEN_API, free_port, hermetic_env, wait_until_up

pytestmark = pytest.mark.e2e

ADMIN_URL = os.environ.get("SPARKADS_TEST_POSTGRES_URL", "")
LIVE_WITHIN = 1.0  # seconds
FRANCE = "3017382"
PARIS = {
    "country": "FR",
    "region": "IDF",
    "age": 29,
    "gender": "FEMALE",
    "language": "fr",
    "device": {"os": "ANDROID", "os_version": "14", "network": "WIFI"},
}


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    if not ADMIN_URL:
        pytest.fail(
            "SPARKADS_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts a throwaway "
            "PostgreSQL server for this file, or point the variable at a server's admin URL"
        )
    admin = urlunsplit(urlsplit(ADMIN_URL)._replace(scheme="postgresql"))
    name = f"sparkads_live_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Process:
    workdir: Path
    database_url: str
    redis_url: str
    port: int
    handle: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.workdir / f"server-{self.port}.log"
        command = [
            sys.executable, "-m", "sparkads", "serve", "--host", "127.0.0.1",
            "--port", str(self.port), "--database-url", self.database_url,
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
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sparkads",
                *args,
                "--json",
                "--database-url",
                self.database_url,
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


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory, database_url: str
) -> Iterator[tuple[Process, Process]]:
    workdir = tmp_path_factory.mktemp("live")
    subprocess.run(
        [sys.executable, "-m", "sparkads", "migrate", "--database-url", database_url],
        cwd=workdir,
        env=hermetic_env(),
        check=True,
        capture_output=True,
        timeout=120,
    )
    with throwaway_redis(tmp_path_factory.mktemp("redis")) as redis_url:
        pair = (
            Process(workdir, database_url, redis_url, free_port()),
            Process(workdir, database_url, redis_url, free_port()),
        )
        try:
            for process in pair:
                process.start()
            yield pair
        finally:
            for process in pair:
                process.stop()


@dataclass
class World:
    creator: dict[str, str]
    access: dict[str, str]
    feed: dict[str, str]
    advertiser_id: str
    adgroup_id: str
    item_id: str
    auth_code: str
    identity_id: str


def _open_api(http: httpx.Client, world: World, path: str, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = http.post(
        f"{OPEN_API}/{path}",
        headers=world.access,
        json={"advertiser_id": world.advertiser_id, **body},
    ).json()
    assert answer["code"] == 0, answer
    return dict(answer["data"])


def _world(process: Process, http: httpx.Client) -> World:
    """A creator's post with a Spark code in a brand's library, an ad group without ads yet."""
    creator = process.cli("creators", "create", "--handle", "live.changes")
    brand = process.cli(
        "advertisers", "create", "--name", "Brand", "--currency", "EUR",
        "--timezone", "Europe/Paris",
    )  # fmt: skip
    feed = process.cli("feeds", "create", "--name", "phone app")
    bearer = {"Authorization": f"Bearer {creator['access_token']}"}
    access = {"Access-Token": brand["access_token"]}
    post = http.post(
        "/api/v1/posts", headers=bearer, json={"caption": "live post", "duration": 12}
    ).json()
    code = http.post(
        f"/api/v1/posts/{post['item_id']}/authorizations", headers=bearer, json={"duration_days": 7}
    ).json()["auth_code"]
    world = World(
        bearer,
        access,
        {"Authorization": f"Bearer {feed['access_token']}"},
        brand["advertiser_id"],
        "",
        post["item_id"],
        code,
        "",
    )
    _open_api(http, world, "tt_video/authorize/", auth_code=code)
    world.identity_id = http.get(
        f"{OPEN_API}/tt_video/info/", headers=access,
        params={"advertiser_id": world.advertiser_id, "auth_code": code},
    ).json()["data"]["user_info"]["identity_id"]  # fmt: skip
    campaign = _open_api(
        http, world, "campaign/create/", campaign_name="Live", objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY", budget=100,
    )  # fmt: skip
    world.adgroup_id = _open_api(
        http, world, "adgroup/create/", campaign_id=campaign["campaign_id"], adgroup_name="live",
        promotion_type="WEBSITE", location_ids=[FRANCE], budget_mode="BUDGET_MODE_DAY",
        budget=50, schedule_type="SCHEDULE_FROM_NOW", optimization_goal="CLICK",
        billing_event="CPC", bid_price=5, pacing="PACING_MODE_FAST",
    )["adgroup_id"]  # fmt: skip
    return world


def _served(http: httpx.Client, world: World) -> dict[str, Any] | None:
    viewer = {**PARIS, "viewer_id": uuid.uuid4().hex}
    response = http.post("/api/v1/feed/decisions", headers=world.feed, json={"viewer": viewer})
    assert response.status_code == 200, response.text
    for decision in response.json()["decisions"]:
        if decision["adgroup_id"] == world.adgroup_id:
            return dict(decision)
    return None


def _seconds_until(condition: Callable[[], bool], limit: float = 10.0) -> float:
    """Time from now until `condition` holds (asked as fast as the server answers)."""
    started = time.monotonic()
    while not condition():
        elapsed = time.monotonic() - started
        assert elapsed < limit, f"not live after {limit} s"
    return time.monotonic() - started


def test_changes_through_either_api_are_live_on_both_processes_within_a_second(
    servers: tuple[Process, Process],
) -> None:
    first, second = servers
    with (
        httpx.Client(base_url=first.base_url, timeout=15) as one,
        httpx.Client(base_url=second.base_url, timeout=15) as two,
    ):
        world = _world(first, one)
        assert _served(one, world) is None
        assert _served(two, world) is None
        # TikTok API on the first process: the new ad is served by the second
        ad_id = _open_api(
            one, world, "ad/create/", adgroup_id=world.adgroup_id,
            creatives=[{
                "identity_type": "AUTH_CODE", "identity_id": world.identity_id,
                "tiktok_item_id": world.item_id, "call_to_action": "SHOP_NOW",
                "landing_page_url": "https://brand.example.com",
            }],
        )["ad_ids"][0]  # fmt: skip
        timings = {"ad created (open API)": _seconds_until(lambda: _served(two, world) is not None)}

        # native API on the second process: the creator's new anchor is served by the first
        anchors = [{"type": "LINK", "title": "Live anchor", "url": "https://brand.example.com/a"}]
        edited = two.patch(
            f"/api/v1/posts/{world.item_id}", headers=world.creator, json={"anchors": anchors}
        )
        assert edited.status_code == 200, edited.text

        def anchored() -> bool:
            decision = _served(one, world)
            return decision is not None and decision["creative"]["anchors"] == anchors

        timings["anchor edited (native API)"] = _seconds_until(anchored)

        # paused on one process: neither serves it
        _open_api(two, world, "ad/status/update/", ad_ids=[ad_id], operation_status="DISABLE")
        timings["ad paused"] = _seconds_until(
            lambda: _served(one, world) is None and _served(two, world) is None
        )
        assert all(_served(http, world) is None for http in (one, two) for _ in range(10))
        _open_api(one, world, "ad/status/update/", ad_ids=[ad_id], operation_status="ENABLE")
        timings["ad enabled again"] = _seconds_until(lambda: _served(two, world) is not None)

        # deleted: stops everywhere
        _open_api(one, world, "ad/status/update/", ad_ids=[ad_id], operation_status="DELETE")
        timings["ad deleted"] = _seconds_until(
            lambda: _served(one, world) is None and _served(two, world) is None
        )
        assert all(_served(http, world) is None for http in (one, two) for _ in range(10))
    print("seconds until live:", {what: round(s, 3) for what, s in timings.items()})
    slow = {what: round(seconds, 3) for what, seconds in timings.items() if seconds >= LIVE_WITHIN}
    assert not slow, (slow, timings)
