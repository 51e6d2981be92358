"""Sandbox limits (issue 16): demo sign-in only for demo accounts, the clock only for operators,
and `serve --sandbox` only on loopback unless told otherwise."""

from __future__ import annotations

import subprocess
import sys

from fastapi.testclient import TestClient

from factories import advertiser, creator, feed, operator
from factories.server import hermetic_env
from factories.web import csrf_of
from sparkads.accounts import service as accounts
from sparkads.accounts.models import TokenScope
from sparkads.cli.main import is_loopback
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _demo_sign_in(client: TestClient, account: str) -> tuple[int, str]:
    csrf = csrf_of(client.get("/signin").text)
    response = client.post(
        "/signin/demo", data={"account": account, "csrf_token": csrf}, follow_redirects=False
    )
    return response.status_code, response.text


def test_demo_sign_in_is_refused_for_an_account_that_is_not_a_demo_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock, name="Real Brand")
    status, body = _demo_sign_in(client, f"advertiser:{brand.id}")
    assert status == 403
    assert "not_a_demo_account" in body or "not a demo account" in body
    assert "sa_session" not in client.cookies
    assert "Real Brand" not in client.get("/signin").text  # nor offered on the sign-in page


def test_demo_sign_in_opens_a_demo_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock, name="Demo Brand")
    accounts.mark_demo(uow.session, clock, scope=TokenScope.ADVERTISER, subject_id=brand.id)
    uow.commit()
    assert "Demo Brand" in client.get("/signin").text
    status, _ = _demo_sign_in(client, f"advertiser:{brand.id}")
    assert status == 303
    assert "Demo Brand" in client.get("/ads").text


def test_demo_mark_of_one_kind_does_not_open_another(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock)
    accounts.mark_demo(uow.session, clock, scope=TokenScope.ADVERTISER, subject_id=lea.id)
    uow.commit()
    assert _demo_sign_in(client, f"creator:{lea.id}")[0] == 403


def test_the_clock_without_a_token_is_401_and_with_a_feed_token_403(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    before = clock.now()
    anonymous = client.post("/api/v1/sandbox/clock/advance", json={"days": 365})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "access_token_missing"
    app_feed = feed(uow, clock)
    as_feed = client.post(
        "/api/v1/sandbox/clock/advance", json={"days": 365}, headers=app_feed.bearer
    )
    assert as_feed.status_code == 403
    assert clock.now() == before
    moved = client.post(
        "/api/v1/sandbox/clock/advance", json={"days": 1}, headers=operator(uow, clock).bearer
    )
    assert moved.status_code == 200
    assert (clock.now() - before).days == 1


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.10", "example.com"))


def test_serve_sandbox_refuses_a_public_bind_unless_told(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    command = [sys.executable, "-m", "sparkads", "serve", "--sandbox", "--host", "0.0.0.0"]
    done = subprocess.run(
        [*command, "--port", "1", "--database-url", url],
        capture_output=True, text=True, env=hermetic_env(), timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--allow-public-sandbox" in done.stderr
    assert not (tmp_path / "db.sqlite").exists()  # refused before anything was touched
