"""A developer app's authorization page in Chromium (issue 15): the link sends a person to sign
in, back to the page, where they pick an ad account and approve; the browser lands on the app's
own callback (a real HTTP server here) with `auth_code` and `state`, which the app trades for a
token; the person sees and revokes that token in Ads Manager. English at 1280 px, French on a
390 px phone."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from factories.server import hermetic_env

PASSWORD = "correct horse battery"
UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML)"""


class Callback:
    """The app's redirect URI: a real server on this machine that keeps what it was sent."""

    def __init__(self) -> None:
        received: list[str] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                received.append(self.path)
                body = b"<!doctype html><title>Agency tools</title><h1>Connected</h1>"
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tiktok/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def callback() -> Iterator[Callback]:
    made = Callback()
    yield made
    made.close()


def _person_with_app(server, cli, http, operator_headers, callback) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A Business Center with an ad account, a person (its admin) and an app registered by an
    operator whose redirect URI is the callback server."""
    bc = cli("business-centers", "create", "--name", f"Agency {uuid.uuid4().hex[:6]}")
    advertiser = cli(
        "advertisers", "create", "--name", f"Brand {uuid.uuid4().hex[:6]}", "--currency", "EUR",
        "--timezone", "Europe/Paris", "--bc-id", bc["bc_id"],
    )  # fmt: skip
    email = f"oauth-{uuid.uuid4().hex[:8]}@agency.example"
    done = subprocess.run(
        [sys.executable, "-m", "sparkads", "users", "create", "--email", email,
         "--bc-id", bc["bc_id"], "--database-url", server.database_url],
        capture_output=True, text=True, timeout=60, check=False,
        env={**hermetic_env(), "SPARKADS_NEW_PASSWORD": PASSWORD},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    app = http.post(
        "/api/v1/operator/apps",
        json={"name": "Agency Reports", "redirect_uris": [callback.url]},
        headers=operator_headers,
    )
    assert app.status_code == 201, app.text
    return {
        "email": email,
        "advertiser_id": advertiser["advertiser_id"],
        "advertiser_name": advertiser["name"],
        "app_id": app.json()["app_id"],
        "secret": app.json()["secret"],
    }


@pytest.mark.parametrize(
    ("locale", "width", "height", "words"),
    [
        ("en-US", 1280, 860, {"title": "Authorize Agency Reports", "approve": "Authorize",
                              "signin": "Sign in with your password", "email": "Email",
                              "password": "Password", "revoke": "Revoke"}),
        ("fr-FR", 390, 844, {"title": "Autoriser Agency Reports", "approve": "Autoriser",
                             "signin": "Se connecter avec votre mot de passe", "email": "Adresse e-mail",
                             "password": "Mot de passe", "revoke": "Révoquer"}),
    ],
)  # fmt: skip
def test_a_person_authorizes_an_app_and_revokes_its_token(  # type: ignore[no-untyped-def]
    new_page, server, cli, http, operator_headers, callback, ui, locale, width, height, words
):
    world = _person_with_app(server, cli, http, operator_headers, callback)
    page = new_page(locale=locale, width=width, height=height)
    page.goto(f"/portal/auth?app_id={world['app_id']}&state=st-{locale}")
    page.get_by_label(words["email"], exact=True).fill(world["email"])
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["signin"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    expect(page.get_by_text("127.0.0.1")).to_be_visible()
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    account = page.get_by_role("checkbox", name=world["advertiser_name"])
    expect(account).to_be_checked()  # the only ad account is chosen already
    ui.screenshot(page, f"oauth-authorize-{locale[:2]}-{width}")
    page.get_by_role("button", name=words["approve"], exact=True).click()

    expect(page.get_by_role("heading", name="Connected")).to_be_visible()
    arrived = [path for path in callback.received if path.startswith("/tiktok/callback")]
    assert len(arrived) == 1  # (the browser also asks the app's site for its favicon)
    sent = urlsplit(arrived[0])
    query = parse_qs(sent.query)
    assert sent.path == "/tiktok/callback"
    assert query["state"] == [f"st-{locale}"]
    exchanged = http.post(
        "/open_api/v1.3/oauth2/access_token/",
        json={"app_id": world["app_id"], "secret": world["secret"], "auth_code": query["auth_code"][0]},
    ).json()  # fmt: skip
    assert exchanged["code"] == 0, exchanged
    assert exchanged["data"]["advertiser_ids"] == [world["advertiser_id"]]
    token = exchanged["data"]["access_token"]
    headers = {"Access-Token": token}
    params = {"advertiser_id": world["advertiser_id"]}
    assert (
        http.get("/open_api/v1.3/campaign/get/", params=params, headers=headers).json()["code"] == 0
    )

    # Ads Manager → API tokens: the app's token, with its app and ad account, revoked here
    page.goto("/tokens")
    row = page.locator(f'tr:has(td[data-app-id="{world["app_id"]}"])')
    expect(row).to_contain_text("Agency Reports")
    expect(row).to_contain_text(world["advertiser_id"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls
    ui.screenshot(page, f"oauth-tokens-{locale[:2]}-{width}", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=words["revoke"]).click()
    expect(row).to_have_count(0)
    assert (
        http.get("/open_api/v1.3/campaign/get/", params=params, headers=headers).json()["code"]
        == 40105
    )
