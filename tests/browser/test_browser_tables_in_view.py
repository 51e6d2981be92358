"""Data tables in real Chromium at 390 px in French and 1280 px in English: what matters in a row
(its status, its buttons, a metric, the reports' totals) is within the screen's width without
scrolling sideways, neither off-screen nor hidden by its table's frame (on a phone rows are cards,
web/static/app.css); figures are written the French way, and a budget typed "50,5" is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from factories.live_ad import LiveAd, launch_spark_ad

LATVIA = "458258"  # no other browser test targets it
CASES = [("fr-FR", 390, 844), ("en-US", 1280, 860)]
IDS = ["fr-390", "en-1280"]
# Where an element is across: outside the screen's width, or outside a box that clips it
# sideways (a table's frame scrolling inside), it is out of view. A list of what is out.
OUT_OF_VIEW = """(elements) => elements.flatMap(el => {
  const r = el.getBoundingClientRect();
  const out = [];
  if (r.width === 0 || r.left < 0 || r.right > window.innerWidth + 0.5) out.push('screen');
  for (let box = el.parentElement; box; box = box.parentElement) {
    if (getComputedStyle(box).overflowX === 'visible') continue;
    const b = box.getBoundingClientRect();
    if (r.left < b.left - 0.5 || r.right > b.right + 0.5) out.push(box.className || box.tagName);
  }
  return out.length ? [`${el.outerHTML.slice(0, 80)}: ${out.join(', ')}`] : [];
})"""


@dataclass(frozen=True)
class Delivered:
    live: LiveAd
    impressions: int
    clicks: int
    ages: int  # how many age groups saw it


@pytest.fixture(scope="module")
def delivered(http: httpx.Client, cli: Any) -> Delivered:
    """A Spark ad in Latvia offered to viewers of three ages (20, 30, 40) until each age has
    seen it twice; the first viewer of each age clicks."""
    live = launch_spark_ad(http, cli, LATVIA, caption="Rupjmaize in 12 s")
    feed = {"Authorization": f"Bearer {live.feed_token}"}
    events, seen = [], dict.fromkeys((20, 30, 40), 0)
    for n in range(60):
        age = 20 + 10 * (n % 3)
        if seen[age] == 2:
            continue
        viewer = {"viewer_id": f"lv-tables-{n}", "country": "LV", "age": age}
        answer = http.post("/api/v1/feed/decisions", headers=feed, json={"viewer": viewer})
        assert answer.status_code == 200, answer.text
        for decision in answer.json()["decisions"]:
            events.append({"token": decision["token"], "type": "impression"})
            if seen[age] == 0:
                events.append({"token": decision["token"], "type": "click"})
            seen[age] += 1
    sent = http.post("/api/v1/events", headers=feed, json={"events": events})
    assert sent.status_code == 200, sent.text
    clicks = sum(event["type"] == "click" for event in events)
    ages = sum(1 for count in seen.values() if count)
    assert ages >= 2, seen  # rows to total
    return Delivered(live, len(events) - clicks, clicks, ages)


def _in_view(page: Any, selector: str) -> None:
    found = page.locator(selector)
    expect(found.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    out = found.evaluate_all(OUT_OF_VIEW)
    assert out == [], f"{page.url} at {page.viewport_size['width']} px: {out}"


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_campaigns_status_on_off_and_save_are_in_view(
    new_page, ui, delivered, locale, width, height
):
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, delivered.live.advertiser_token)
    page.goto("/ads/campaigns")
    for row in ("tr[data-campaign-id]", f'tr[data-adgroup-id="{delivered.live.adgroup_id}"]'):
        _in_view(page, f"{row} .badge")
        _in_view(page, f"{row} form[action$='/status'] button")
        _in_view(page, f"{row} .budget-form input[name=budget], {row} .budget-form button")
    _in_view(page, f'tr[data-ad-id="{delivered.live.ad_id}"] .badge')
    _in_view(page, f'tr[data-ad-id="{delivered.live.ad_id}"] form button')
    ui.screenshot(page, f"tables-campaigns-{locale[:2]}-{width}", full_page=True)


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_reports_metrics_and_totals_are_in_view(new_page, ui, delivered, locale, width, height):
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, delivered.live.advertiser_token)
    page.goto("/ads/reports?level=ad&days=7&by=age")
    rows = page.locator("table[data-report] tbody tr")
    expect(rows).to_have_count(delivered.ages)
    for metric in ("spend", "impressions", "clicks", "ctr", "video_watched_6s"):
        _in_view(page, f'td[data-metric="{metric}"]')
        _in_view(page, f'tr[data-totals] td[data-total="{metric}"]')
    totals = page.locator("tr[data-totals]")
    assert totals.locator('[data-total="impressions"]').inner_text() == str(delivered.impressions)
    assert totals.locator('[data-total="clicks"]').inner_text() == str(delivered.clicks)
    ctr = f"{100 * delivered.clicks / delivered.impressions:.2f}\u00a0%"  # from the sums
    ctr = ctr.replace(".", ",") if locale == "fr-FR" else ctr
    assert totals.locator('[data-total="ctr"]').inner_text() == ctr
    ui.screenshot(page, f"tables-reports-{locale[:2]}-{width}", full_page=True)


def test_reports_columns_are_picked_without_a_script(new_page, ui, delivered):
    page = new_page(locale="en-US", width=1280, height=860)
    ui.sign_in(page, delivered.live.advertiser_token)
    page.goto("/ads/reports?level=ad&days=7&by=total")
    page.locator("details.columns-pick > summary").click()
    page.get_by_label("Likes", exact=True).check()
    page.get_by_label("Reach", exact=True).uncheck()
    page.get_by_role("button", name="Show report").click()
    expect(page).to_have_url(re.compile(r"metric=likes"))
    expect(page.locator('td[data-metric="likes"]')).to_have_count(1)
    expect(page.locator('td[data-metric="reach"]')).to_have_count(0)
    _in_view(page, 'td[data-metric="likes"]')


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_a_post_s_codes_and_the_tokens_revoke_are_in_view(
    new_page, ui, delivered, locale, width, height
):
    page = new_page(locale=locale, width=width, height=height)
    creator_token = delivered.live.creator_bearer["Authorization"].removeprefix("Bearer ")
    ui.sign_in(page, creator_token)
    page.goto(f"/studio/posts/{delivered.live.item_id}")
    codes = "section[aria-labelledby=auth-title] table"
    _in_view(page, f"{codes} .badge")
    _in_view(page, f"{codes} form button")
    ui.screenshot(page, f"tables-post-codes-{locale[:2]}-{width}", full_page=True)
    page.goto("/tokens")
    _in_view(page, "tr[data-token-id] form button")


@pytest.mark.parametrize(("locale", "shown", "typed", "saved"),
                         [("fr-FR", "50,00", "50,5", "50,50"), ("en-US", "50.00", "60.5", "60.50")])  # fmt: skip
def test_a_budget_reads_and_is_typed_the_reader_s_way(
    new_page, ui, http, make_accounts, locale, shown, typed, saved
):
    (brand,) = make_accounts("advertiser")
    campaign_id = ui.daily_campaign(http, brand, "Galette week")
    page = new_page(locale=locale, width=390, height=844)
    ui.sign_in(page, brand.token)
    page.goto("/ads/campaigns")
    field = page.locator(f"#budget-{campaign_id}")
    expect(field).to_have_value(shown)
    field.fill(typed)
    page.locator(f"form:has(#budget-{campaign_id}) button[type=submit]").click()
    expect(page.locator(".flash.success")).to_be_visible()
    expect(page.locator(f"#budget-{campaign_id}")).to_have_value(saved)
