"""Browser fixtures: one real `sparkads serve --sandbox` process, accounts made with the real CLI,
and Debian's Chromium driven by Playwright (never a downloaded browser). Screenshots of the main
pages go to test-artifacts/screenshots/ (SPARKADS_REFRESH_SCREENSHOTS=1: docs/screenshots/, the README's).

Nothing here imports sparkads: the server and the CLI are separate processes, as for a user."""

from __future__ import annotations

import io
import json
import os
import re
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

from factories.server import hermetic_env, serving, tail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Screenshots go to test-artifacts/ (git-ignored), so a test run leaves the tree clean; the README's
# images in docs/screenshots/ are refreshed on purpose: SPARKADS_REFRESH_SCREENSHOTS=1 pytest tests/browser
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("SPARKADS_REFRESH_SCREENSHOTS") == "1"
    else ROOT / "test-artifacts" / "screenshots"
)
SERVER_LOG = pytest.StashKey[Path]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class Server:
    base_url: str
    database_url: str
    workdir: Path


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{workdir / 'browser.db'}"
    with serving(workdir, database_url) as (base_url, log):
        request.config.stash[SERVER_LOG] = log
        yield Server(base_url=base_url, database_url=database_url, workdir=workdir)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    log = item.config.stash.get(SERVER_LOG, None)
    if report.failed and log is not None and "browser" in item.keywords:
        report.sections.append(("sparkads serve log (tail)", tail(log)))
    return report


@pytest.fixture(scope="session")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=15) as client:
        yield client


@pytest.fixture(scope="session")
def cli(server: Server) -> Callable[..., dict[str, Any]]:
    def run(*args: str) -> dict[str, Any]:
        command = [
            sys.executable,
            "-m",
            "sparkads",
            *args,
            "--json",
            "--database-url",
            server.database_url,
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=server.workdir, env=hermetic_env(),
            timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed

    return run


@pytest.fixture(scope="session")
def operator_headers(cli: Callable[..., dict[str, Any]]) -> dict[str, str]:
    """An operator's Bearer header: only operators move the sandbox clock."""
    return {
        "Authorization": f"Bearer {cli('operators', 'create', '--name', 'browser')['access_token']}"
    }


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Account:
    id: str
    token: str
    name: str


@pytest.fixture(scope="session")
def make_accounts(cli: Callable[..., dict[str, Any]]) -> Callable[..., list[Account]]:
    """`make_accounts("creator", "advertiser", "bc")`: new accounts, made side by side
    ("demo advertiser": one a sandbox opens without a token)."""

    def one(kind: str, bc_id: str | None = None) -> Account:
        demo = kind.startswith("demo ")
        kind = kind.removeprefix("demo ")
        flags = ["--demo"] if demo else []
        if kind == "creator":
            handle = unique("web.")
            made = cli("creators", "create", "--handle", handle, *flags)
            return Account(made["creator_id"], made["access_token"], handle)
        if kind == "bc":
            name = unique("Agency ")
            made = cli("business-centers", "create", "--name", name, *flags)
            return Account(made["bc_id"], made["access_token"], name)
        name = unique("Brand ")
        args = [
            "advertisers",
            "create",
            "--name",
            name,
            "--currency",
            "EUR",
            "--timezone",
            "Europe/Paris",
        ]
        made = cli(*args, *flags, *(["--bc-id", bc_id] if bc_id else []))
        return Account(made["advertiser_id"], made["access_token"], name)

    def make(*kinds: str) -> list[Account]:
        with ThreadPoolExecutor(max_workers=len(kinds)) as pool:
            return list(pool.map(one, kinds))

    return make


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: ./scripts/test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Any, server: Server) -> Iterator[Callable[..., Any]]:
    """Pages in fresh browser contexts (own cookies), English unless asked otherwise."""
    contexts: list[Any] = []

    def make(locale: str = "en-US", width: int = 1280, height: int = 860) -> Any:
        context = browser.new_context(
            base_url=server.base_url, locale=locale, viewport={"width": width, "height": height},
            extra_http_headers={"Accept-Language": locale},
        )  # fmt: skip
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


class Ui:
    """What every browser test does: sign in as a person would, and photograph pages."""

    @staticmethod
    def sign_in(page: Any, token: str, home: str = "studio|ads") -> None:
        """Sign in with a token, landing on the home page (`home`: "console" for operators)."""
        page.goto("/signin")  # in any language: the field and its form, not their labels
        page.locator("#token").fill(token)
        page.locator("form:has(#token) button[type=submit]").click()
        page.wait_for_url(re.compile(rf".*/({home})$"))

    @staticmethod
    def daily_campaign(http: Any, brand: Any, name: str) -> str:
        """A Traffic campaign of 50 a day, made through the v1.3 API: its id."""
        made = http.post(
            "/open_api/v1.3/campaign/create/", headers={"Access-Token": brand.token},
            json={"advertiser_id": brand.id, "campaign_name": name, "objective_type": "TRAFFIC",
                  "budget_mode": "BUDGET_MODE_DAY", "budget": 50},
        ).json()  # fmt: skip
        assert made["code"] == 0, made
        return str(made["data"]["campaign_id"])

    @staticmethod
    def wizard_details(page: Any, campaign_name: str) -> None:
        """The campaign wizard up to its audience step: Traffic, the library's first post."""
        page.goto("/ads/campaigns/new")
        page.locator("input[name=objective][value=TRAFFIC]").check()
        page.locator("#campaign_name").fill(campaign_name)
        page.locator("button[name=go][value=next]").click()
        page.locator("input[name=post]:not([value=upload])").first.check()
        page.locator("button[name=go][value=next]").click()

    @staticmethod
    def screenshot(page: Any, name: str, full_page: bool = False) -> None:
        """A small PNG for docs/screenshots (a 128-colour palette keeps text crisp)."""
        from PIL import Image

        raw = page.screenshot(full_page=full_page)
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


@pytest.fixture(scope="session")
def ui() -> Ui:
    return Ui()


@pytest.fixture
def feed_traffic(cli: Callable[..., dict[str, Any]], http: httpx.Client) -> int:
    """A platform's feed has served 300 viewers in France (18–34) just before the advertiser plans
    a campaign: forecasts and audience sizes are read from this traffic, as on a real deployment
    (without it, the wizard says there is no basis). Per test, since other tests move the
    sandbox clock past the forecast's 7-day window."""
    token = cli("feeds", "create", "--name", "browser feed")["access_token"]
    viewers = 300
    for n in range(viewers):
        viewer = {"viewer_id": f"browser-viewer-{n}", "country": "FR", "age": 18 + n % 17,
                  "interests": ["101"] if n % 3 == 0 else []}  # fmt: skip
        answer = http.post(
            "/api/v1/feed/decisions",
            headers={"Authorization": f"Bearer {token}"},
            json={"viewer": viewer},
        )
        assert answer.status_code == 200, answer.text
    return viewers


@pytest.fixture
def library_post(http: httpx.Client) -> Callable[[Account, Account], str]:
    """A creator's new post, authorized with a Spark code that the advertiser applied to its
    creative library (as through the APIs); its item id."""

    def make(creator: Account, advertiser: Account) -> str:
        made = http.post(
            "/api/v1/posts", headers={"Authorization": f"Bearer {creator.token}"},
            json={"caption": "Galette des rois in 12 s #recipe", "duration": 12.0},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        item_id = str(made.json()["item_id"])
        code = http.post(
            f"/api/v1/posts/{item_id}/authorizations",
            headers={"Authorization": f"Bearer {creator.token}"}, json={"duration_days": 60},
        ).json()["auth_code"]  # fmt: skip
        applied = http.post(
            "/open_api/v1.3/tt_video/authorize/", headers={"Access-Token": advertiser.token},
            json={"advertiser_id": advertiser.id, "auth_code": code},
        ).json()  # fmt: skip
        assert applied["code"] == 0, applied
        return item_id

    return make
