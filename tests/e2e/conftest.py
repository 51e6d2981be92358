"""End-to-end fixtures: one real `sparkads serve --sandbox` process for the whole folder, accounts
made with the real CLI, and thin HTTP helpers that speak the two APIs as their users do.

Nothing here imports sparkads: the server and the CLI are reached only as separate processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.server import (
    OPEN_API,
    hermetic_env,
    serving,
    tail,
)

SERVER_LOG = pytest.StashKey[Path]()


@dataclass(frozen=True)
class Server:
    base_url: str
    database_url: str
    workdir: Path
    log: Path


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{workdir / 'e2e.db'}"
    with serving(workdir, database_url) as (base_url, log):
        request.config.stash[SERVER_LOG] = log
        yield Server(base_url=base_url, database_url=database_url, workdir=workdir, log=log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failing end-to-end test shows what the server logged just before."""
    report = yield
    log = item.config.stash.get(SERVER_LOG, None)
    if report.failed and log is not None:
        report.sections.append(("sparkads serve log (tail)", tail(log)))
    return report


@pytest.fixture(scope="session")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=15) as client:
        yield client


# --- accounts, created with the real CLI ------------------------------------------------------


@pytest.fixture(scope="session")
def cli(server: Server) -> Callable[..., dict[str, Any]]:
    """Run `python -m sparkads <args> --json --database-url <server db>` and parse what it prints."""

    def run(*args: str) -> dict[str, Any]:
        command = [sys.executable, "-m", "sparkads", *args, "--json"]
        command += ["--database-url", server.database_url]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=server.workdir,
            env=hermetic_env(),
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed

    return run


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


class Creator:
    """A creator using the native API with its Bearer token."""

    def __init__(self, http: httpx.Client, account: dict[str, Any]) -> None:
        self.http = http
        self.creator_id: str = account["creator_id"]
        self.handle: str = account["handle"]
        self.token: str = account["access_token"]

    def headers(self, lang: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if lang:
            headers["Accept-Language"] = lang
        return headers

    def publish(self, **fields: Any) -> dict[str, Any]:
        body = {"caption": "a post", "duration": 12, "visibility": "PUBLIC", **fields}
        if body.get("item_type") == "CAROUSEL":
            body.pop("duration", None)
        response = self.http.post("/api/v1/posts", json=body, headers=self.headers())
        assert response.status_code == 201, response.text
        post: dict[str, Any] = response.json()
        return post

    def enable_authorization(
        self, item_id: str, duration_days: int = 30, lang: str | None = None
    ) -> dict[str, Any]:
        response = self.http.post(
            f"/api/v1/posts/{item_id}/authorizations",
            json={"duration_days": duration_days},
            headers=self.headers(lang),
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def delete_post(self, item_id: str) -> None:
        response = self.http.delete(f"/api/v1/posts/{item_id}", headers=self.headers())
        assert response.status_code == 204, response.text

    def revoke(self, auth_code: str) -> dict[str, Any]:
        response = self.http.delete(f"/api/v1/authorizations/{auth_code}", headers=self.headers())
        assert response.status_code == 200, response.text
        revoked: dict[str, Any] = response.json()
        return revoked


class Advertiser:
    """An ad account using the TikTok-compatible API with its Access-Token header."""

    def __init__(self, http: httpx.Client, account: dict[str, Any]) -> None:
        self.http = http
        self.advertiser_id: str = account["advertiser_id"]
        self.bc_id: str | None = account.get("bc_id")
        self.token: str = account["access_token"]

    def headers(self, lang: str | None = None) -> dict[str, str]:
        headers = {"Access-Token": self.token}
        if lang:
            headers["Accept-Language"] = lang
        return headers

    def get(self, path: str, lang: str | None = None, **params: Any) -> dict[str, Any]:
        """GET an open API path; lists and dicts travel JSON-encoded, as TikTok clients send them."""
        query = {"advertiser_id": self.advertiser_id, **params}
        encoded = {
            k: json.dumps(v) if isinstance(v, list | dict) else str(v) for k, v in query.items()
        }
        response = self.http.get(f"{OPEN_API}{path}", params=encoded, headers=self.headers(lang))
        assert response.status_code == 200, response.text
        envelope: dict[str, Any] = response.json()
        return envelope

    def post(self, path: str, lang: str | None = None, **body: Any) -> dict[str, Any]:
        payload = {"advertiser_id": self.advertiser_id, **body}
        response = self.http.post(f"{OPEN_API}{path}", json=payload, headers=self.headers(lang))
        assert response.status_code == 200, response.text
        envelope: dict[str, Any] = response.json()
        return envelope

    def apply_code(self, auth_code: str, lang: str | None = None) -> dict[str, Any]:
        return self.post("/tt_video/authorize/", lang=lang, auth_code=auth_code)

    def video_info(self, auth_code: str) -> dict[str, Any]:
        return self.get("/tt_video/info/", auth_code=auth_code)


class BusinessCenter:
    def __init__(self, http: httpx.Client, account: dict[str, Any]) -> None:
        self.http = http
        self.bc_id: str = account["bc_id"]
        self.token: str = account["access_token"]

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="session")
def make_creator(http: httpx.Client, cli: Callable[..., dict[str, Any]]) -> Callable[[], Creator]:
    def make() -> Creator:
        return Creator(http, cli("creators", "create", "--handle", unique("e2e")))

    return make


@pytest.fixture(scope="session")
def make_advertiser(
    http: httpx.Client, cli: Callable[..., dict[str, Any]]
) -> Callable[..., Advertiser]:
    def make(bc_id: str | None = None) -> Advertiser:
        args = ["advertisers", "create", "--name", unique("Brand")]
        args += ["--currency", "EUR", "--timezone", "Europe/Paris"]
        if bc_id:
            args += ["--bc-id", bc_id]
        return Advertiser(http, cli(*args))

    return make


@pytest.fixture(scope="session")
def make_business_center(
    http: httpx.Client, cli: Callable[..., dict[str, Any]]
) -> Callable[[], BusinessCenter]:
    def make() -> BusinessCenter:
        return BusinessCenter(http, cli("business-centers", "create", "--name", unique("Agency")))

    return make


def concurrently(*makers: Callable[[], Any]) -> list[Any]:
    """Each account is a CLI process of its own (~0.7 s); making them side by side halves the wait."""
    with ThreadPoolExecutor(max_workers=len(makers)) as pool:
        futures = [pool.submit(make) for make in makers]
        return [future.result() for future in futures]


@pytest.fixture(scope="session")
def accounts() -> Callable[..., list[Any]]:
    """`accounts(make_creator, make_advertiser)`: several new accounts, created concurrently."""
    return concurrently


@pytest.fixture(scope="session")
def operator_token(cli: Callable[..., dict[str, Any]]) -> str:
    """An operator's token: only operators move the sandbox clock."""
    token: str = cli("operators", "create", "--name", "e2e")["access_token"]
    return token


@pytest.fixture(scope="session")
def advance_clock(http: httpx.Client, operator_token: str) -> Callable[..., None]:
    """Move the server's sandbox test clock forward (it never goes back: later tests issue their
    own codes, so they do not care how far it went)."""

    def advance(**delta: float) -> None:
        response = http.post(
            "/api/v1/sandbox/clock/advance",
            json=delta,
            headers={"Authorization": f"Bearer {operator_token}"},
        )
        assert response.status_code == 200, response.text

    return advance


@dataclass(frozen=True)
class AppliedCode:
    """A creator's public video, its 30-day code, and an advertiser that applied it."""

    creator: Creator
    advertiser: Advertiser
    post: dict[str, Any]
    auth_code: str


@pytest.fixture
def applied_code(
    make_creator: Callable[[], Creator], make_advertiser: Callable[..., Advertiser]
) -> AppliedCode:
    creator, advertiser = concurrently(make_creator, make_advertiser)
    post = creator.publish(caption="Sunrise blend, our morning coffee ritual #coffee")
    auth_code = creator.enable_authorization(post["item_id"], duration_days=30)["auth_code"]
    applied = advertiser.apply_code(auth_code)
    assert applied["code"] == 0, applied
    return AppliedCode(creator=creator, advertiser=advertiser, post=post, auth_code=auth_code)
