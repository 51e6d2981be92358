"""@sparkads/feed in real Chromium against a real server: the example page of
docs/feed-integration.md (docs/feed-example, served by its own serve.py, which forwards the two
feed calls with the feed token) gets a sponsored post, which is scrolled into view for 6 s and out,
then liked while offline; back online, the queued like is sent once. The server records
impression, view_2s, view_6s and like once each, the original post's paid counters move, and the
site's log shows that no event was ever sent twice."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from factories.live_ad import LiveAd, launch_spark_ad
from factories.server import free_port, hermetic_env, tail

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "feed-example"
LUXEMBOURG = "2960313"  # no other browser test targets it: this test's ad is the only one there
VIEWS = {"impression", "view_2s", "view_6s"}


class Site:
    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log

    def batches(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


@pytest.fixture
def live_ad(http: httpx.Client, cli: Any) -> LiveAd:
    return launch_spark_ad(http, cli, LUXEMBOURG, caption="Crêpes for the whole feed")


@pytest.fixture
def site(server: Any, live_ad: LiveAd, tmp_path: Path) -> Iterator[Site]:
    """docs/feed-example/serve.py, as a platform would run it next to its feed."""
    port, log, output = free_port(), tmp_path / "events.jsonl", tmp_path / "site.log"
    command = [
        sys.executable, str(EXAMPLE / "serve.py"), "--sparkads", server.base_url,
        "--feed-token", live_ad.feed_token, "--port", str(port), "--log", str(log),
    ]  # fmt: skip
    with output.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env=hermetic_env()
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve.py did not start:\n{tail(output)}")
            time.sleep(0.1)
        yield Site(url, log)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _recorded(database_url: str, item_id: str) -> Counter[str]:
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT event_type FROM events WHERE item_id = ?", (item_id,)
        ).fetchall()
    return Counter(row[0] for row in rows)


def _sponsored_page(browser: Any, site: Site, viewer: str) -> tuple[Any, Any]:
    """The snapshot is rebuilt in the background within a moment of the launch."""
    context = browser.new_context(base_url=site.url, viewport={"width": 420, "height": 720})
    context.set_default_timeout(10_000)
    page = context.new_page()
    deadline = time.monotonic() + 10
    while True:
        page.goto(f"/?country=LU&age=30&viewer={viewer}")
        expect(page.locator("[data-status]")).not_to_have_text("Loading…")
        if page.locator(".sparkads-card").count() or time.monotonic() > deadline:
            return context, page
        time.sleep(0.3)


def test_example_feed_views_like_offline_once(browser, server, http, live_ad, site):
    context, page = _sponsored_page(browser, site, f"pkg-{uuid.uuid4().hex[:8]}")
    try:
        card = page.locator(".sparkads-card")
        expect(card).to_have_attribute("data-sparkads-item", live_ad.item_id)
        expect(card).to_contain_text("Sponsored")
        expect(card).to_contain_text("Crêpes for the whole feed")
        expect(card.get_by_role("link", name="Shop now")).to_have_attribute(
            "href", "https://brand.example.com/crepes"
        )
        # Below the fold: not seen, so nothing is counted.
        page.wait_for_timeout(1_500)
        assert _recorded(server.database_url, live_ad.item_id) == Counter()

        card.scroll_into_view_if_needed()
        expect(card).to_have_attribute("data-sparkads-events", re.compile("impression"))
        expect(card).to_have_attribute(
            "data-sparkads-events", re.compile("view_6s"), timeout=15_000
        )
        page.evaluate("window.scrollTo(0, 0)")
        assert _recorded(server.database_url, live_ad.item_id) == Counter(VIEWS)

        context.set_offline(True)
        card.get_by_role("button", name="Like").click()
        expect(card.get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(2_500)
        queued = json.loads(page.evaluate("localStorage.getItem('sparkads-feed-queue')"))
        assert [event["type"] for event in queued] == ["like"]
        assert _recorded(server.database_url, live_ad.item_id)["like"] == 0

        context.set_offline(False)
        expect(card).to_have_attribute("data-sparkads-events", re.compile(r"\blike\b"))
        assert page.evaluate("localStorage.getItem('sparkads-feed-queue')") is None
    finally:
        context.close()

    assert _recorded(server.database_url, live_ad.item_id) == Counter({*VIEWS, "like"})
    post = http.get(f"/api/v1/posts/{live_ad.item_id}", headers=live_ad.creator_bearer).json()
    assert post["paid"]["likes"] == 1
    assert post["paid"]["views"] == 1
    batches = site.batches()
    assert batches
    assert all(batch["status"] == 200 for batch in batches)
    sent = Counter(
        (event["token"], event["type"]) for batch in batches for event in batch["sent"]["events"]
    )
    assert sorted(kind for _, kind in sent) == sorted({*VIEWS, "like"})
    assert set(sent.values()) == {1}, sent
    assert all(r["status"] == "accepted" for b in batches for r in b["answer"]["results"])
