"""Operations in a real Chromium against a real `sparkads serve`: the operator console at desktop
and phone widths in English and French (figures from traffic the test sends), and a campaign's
History showing a budget change made in Ads Manager, before and after."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from test_browser_pages import LOW_CONTRAST, UNLABELLED_FIELDS

from factories.live_ad import launch_spark_ad
from factories.server import OPEN_API

ESTONIA = "453733"  # no other browser test targets it


def _sign_in(page: Any, token: str, landing: str = "console") -> None:
    """Sign in with a token in either language (ui.sign_in reads the English labels)."""
    page.goto("/signin")
    page.get_by_label(re.compile("Access token|Jeton d'accès")).fill(token)
    page.get_by_role("button", name=re.compile("^(Sign in|Se connecter)$")).click()
    page.wait_for_url(re.compile(rf".*/{landing}$"))


@pytest.fixture(scope="module")
def platform_traffic(http: httpx.Client, cli: Any) -> dict[str, Any]:
    """An ad in Estonia shown to 40 viewers there, each impression reported by the feed."""
    live = launch_spark_ad(http, cli, ESTONIA, caption="Kohv hommikuks")
    feed = {"Authorization": f"Bearer {live.feed_token}"}
    tokens = []
    for n in range(40):
        answer = http.post(
            "/api/v1/feed/decisions",
            headers=feed,
            json={"viewer": {"viewer_id": f"ee-console-{n}", "country": "EE", "age": 30}},
        )
        assert answer.status_code == 200, answer.text
        tokens += [d["token"] for d in answer.json()["decisions"]]
    assert tokens
    events = http.post(
        "/api/v1/events",
        headers=feed,
        json={"events": [{"token": t, "type": "impression"} for t in tokens]},
    )
    assert events.status_code == 200, events.text
    return {"live": live, "impressions": len(tokens)}


@pytest.mark.parametrize(
    ("locale", "width", "heading"),
    [
        ("en-US", 1280, "Platform console"),
        ("fr-FR", 1280, "Console de la plateforme"),
        ("en-US", 390, "Platform console"),
        ("fr-FR", 390, "Console de la plateforme"),
    ],
)
def test_operator_console_at_desktop_and_phone_width(
    new_page, cli, ui, platform_traffic, locale, width, heading
):
    token = cli("operators", "create", "--name", "console")["access_token"]
    page = new_page(locale=locale, width=width, height=860 if width > 400 else 844)
    _sign_in(page, token)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    impressions = page.locator('[data-kpi="impressions"]')
    expect(impressions).to_be_visible()
    shown = int(re.sub(r"\D", "", impressions.inner_text()))
    assert shown >= platform_traffic["impressions"]  # the whole platform's, this test's included
    live = platform_traffic["live"]
    expect(
        page.locator(f'[data-top="advertisers"] [data-id="{live.advertiser_id}"]')
    ).to_have_count(1)
    expect(page.locator("[data-feeds] tr[data-feed]").first).to_be_visible()
    expect(page.locator("[data-review-queue]")).to_be_visible()
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate(LOW_CONTRAST) == []
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"the console is {overflow}px wide at {width}px"
    name = f"console-{locale[:2]}-{'phone' if width < 400 else 'desktop'}"
    ui.screenshot(page, name, full_page=True)


def test_a_budget_change_in_ads_manager_shows_in_the_campaign_history(
    new_page, make_accounts, http, ui
):
    [brand] = make_accounts("advertiser")
    made = http.post(
        f"{OPEN_API}/campaign/create/",
        headers={"Access-Token": brand.token},
        json={
            "advertiser_id": brand.id, "campaign_name": "History check", "objective_type": "TRAFFIC",
            "budget_mode": "BUDGET_MODE_DAY", "budget": 50,
        },
    ).json()  # fmt: skip
    assert made["code"] == 0, made
    campaign_id = made["data"]["campaign_id"]
    page = new_page()
    ui.sign_in(page, brand.token)
    page.goto("/ads/campaigns")
    page.get_by_label("Budget of History check").fill("65")
    page.locator(f'tr[data-campaign-id="{campaign_id}"]').get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Budget saved.")
    page.locator(f'tr[data-campaign-id="{campaign_id}"]').get_by_role(
        "link", name="History"
    ).click()
    expect(page.get_by_role("heading", name="History of “History check”")).to_be_visible()
    change = page.locator('tr[data-action="update"][data-field="budget"]')
    expect(change.locator("[data-before]")).to_have_text("€50.00")
    expect(change.locator("[data-after]")).to_have_text("€65.00")
    who = change.locator("[data-who]")  # in words, the actor's code on hover
    expect(who).to_contain_text("Ad account")
    expect(who).to_have_attribute("title", "advertiser:" + brand.id)
    ui.screenshot(page, "campaign-history")

    phone = new_page(locale="fr-FR", width=390, height=844)
    _sign_in(phone, brand.token, landing="ads")
    phone.goto(f"/ads/history/campaign/{campaign_id}")
    expect(phone.get_by_role("heading", name="Historique de « History check »")).to_be_visible()
    assert phone.evaluate(LOW_CONTRAST) == []
    overflow = phone.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390, f"the history is {overflow}px wide on a phone"
