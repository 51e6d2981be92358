"""Creator Studio → sponsorships in Chromium, from a live Spark ad a real server delivered: on a
1280 px screen in English the brands' rows are a table; on a 390 px phone in French each row is a
card with every key figure under its label, nothing cut off or scrolled sideways, and the brand
that only has the post in its library is said in words."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from test_browser_pages import LOW_CONTRAST, UNLABELLED_FIELDS

from factories.live_ad import LiveAd, launch_spark_ad
from factories.server import OPEN_API

MALTA = "2562770"  # no other browser test targets it: this test's ad is the only one there
ENGAGED = ("impression", "view_2s", "like", "comment", "share", "follow", "profile_visit")
KEY_CELLS = ("th[scope=row]", "[data-state]", "[data-figure=views_2s]", "[data-figure=likes]")


def _decide(http: httpx.Client, live: LiveAd, viewer_id: str) -> str:
    """A decision for a viewer in Malta, once the snapshot has caught up with the launch."""
    feed = {"Authorization": f"Bearer {live.feed_token}"}
    body = {"viewer": {"viewer_id": viewer_id, "country": "MT", "age": 27}}
    for _ in range(40):
        answer = http.post("/api/v1/feed/decisions", headers=feed, json=body)
        assert answer.status_code == 200, answer.text
        if decisions := answer.json()["decisions"]:
            return str(decisions[0]["token"])
        time.sleep(0.25)
    raise AssertionError("the live ad was never decided")


@pytest.fixture(scope="module")
def sponsored(http: httpx.Client, cli: Any) -> tuple[LiveAd, str]:
    """A brand's ad shown to three viewers who engaged; a second brand applied a code for the
    same post and made no ad. Answers the live ad and the creator's token."""
    live = launch_spark_ad(http, cli, MALTA, caption="Glow routine, step by step")
    other = cli(
        "advertisers", "create", "--name", "Glow Lab Malta", "--currency", "EUR",
        "--timezone", "Europe/Malta",
    )  # fmt: skip
    code = http.post(
        f"/api/v1/posts/{live.item_id}/authorizations",
        headers=live.creator_bearer,
        json={"duration_days": 30},
    ).json()["auth_code"]
    applied = http.post(
        f"{OPEN_API}/tt_video/authorize/",
        headers={"Access-Token": other["access_token"]},
        json={"advertiser_id": other["advertiser_id"], "auth_code": code},
    ).json()
    assert applied["code"] == 0, applied
    feed = {"Authorization": f"Bearer {live.feed_token}"}
    for n in range(3):
        token = _decide(http, live, f"malta-fan-{n}")
        events = [{"token": token, "type": kind} for kind in ENGAGED]
        sent = http.post("/api/v1/events", headers=feed, json={"events": events})
        assert sent.status_code == 200, sent.text
    return live, live.creator_bearer["Authorization"].removeprefix("Bearer ")


@pytest.mark.parametrize(("locale", "width"), [("en-US", 1280), ("fr-FR", 390)])
def test_sponsorships_show_each_brand_readably_at_both_widths(
    new_page: Any, ui: Any, sponsored: tuple[LiveAd, str], locale: str, width: int
) -> None:
    live, token = sponsored
    page = new_page(locale=locale, width=width, height=844)
    ui.sign_in(page, token)
    page.goto("/studio/sponsorships")
    post = page.locator(f"article[data-item-id='{live.item_id}']")
    shown = post.locator("tr[data-delivery=SHOWN]")
    library_only = post.locator("tr[data-delivery=NO_AD]")
    expect(shown.locator("[data-figure=views_2s]")).to_contain_text("3")
    expect(shown.locator("[data-figure=follows]")).to_contain_text("3")
    said = (
        "Dans la bibliothèque de la marque, pas encore utilisée dans une publicité diffusée."
        if locale.startswith("fr")
        else "In the brand's library, not yet used in a running ad."
    )
    expect(library_only.locator("[data-said]")).to_have_text(said)
    expect(page.locator("[data-kpi=views_2s]")).to_have_text("3")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate(LOW_CONTRAST) == []
    # no table scrolls sideways either: every column is in sight
    sideways = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)"
        ".map(w => w.scrollWidth - w.clientWidth)"
    )
    assert sideways == []
    for row in (shown, library_only):
        for cell in KEY_CELLS:
            box = row.locator(cell).first.bounding_box()
            assert box is not None, cell
            assert box["x"] >= 0, (cell, box)
            assert box["x"] + box["width"] <= width, (cell, box)
    stacked = width < 640
    header = post.locator("thead").bounding_box()
    assert header is not None
    assert (header["width"] <= 1) is stacked  # the column heads fold away on a phone
    if stacked:  # each cell says what it is, under its label
        label = shown.locator("[data-figure=views_2s]").evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert label == '"Vues payantes"'
    ui.screenshot(page, f"sponsorships-{locale[:2]}-{width}", full_page=True)
