"""Ads Manager → recommendations in Chromium on a 390 px phone in French, from a live Spark ad a
real server runs with a 7-day code: the "ends early" card asks only for longer codes (30, 60 or
365 days), says the spend it affects, and is dismissed to the "Écartées" list and shown again with
a tap, nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect
from test_browser_pages import LOW_CONTRAST, UNLABELLED_FIELDS

from factories.live_ad import launch_spark_ad

IRELAND = "2963597"  # no other browser test targets it: this test's ad is the only one there


def test_ends_early_card_dismissed_and_shown_again_on_a_phone_in_french(
    http: httpx.Client, cli: Any, new_page: Any, ui: Any
) -> None:
    live = launch_spark_ad(http, cli, IRELAND, caption="Irish stew, slow cooked")
    page = new_page(locale="fr-FR", width=390, height=844)
    ui.sign_in(page, live.advertiser_token)
    page.goto("/ads/recommendations")
    card = page.locator(
        f"li[data-recommendation=authorization_expiring][data-object-id='{live.ad_id}']"
    )

    expect(card).to_contain_text("code plus long (30, 60 ou 365 jours)")
    expect(card).to_contain_text("Dépenses concernées, 7 derniers jours")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate(LOW_CONTRAST) == []
    ui.screenshot(page, "recommendations-fr-390", full_page=True)
    card.locator("button[data-dismiss]").click()

    dismissed = page.locator(
        f"li[data-dismissed=authorization_expiring][data-object-id='{live.ad_id}']"
    )
    expect(dismissed).to_be_visible()
    expect(card).to_have_count(0)
    expect(page.locator("#dismissed-heading")).to_have_text("Écartées")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ui.screenshot(page, "recommendations-dismissed-fr-390", full_page=True)
    dismissed.locator("button[data-undo]").click()

    expect(card).to_be_visible()
    expect(dismissed).to_have_count(0)
