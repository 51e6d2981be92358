"""The History page in real Chromium, at 1280 px in English and 390 px in French: who made a
change is the ad account by its name, fields by their labels and the budget mode in words, the
codes kept in a `title`, and the table scrolls inside its box on a phone, never the page."""

from __future__ import annotations

import pytest

SIZES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
WORDS = {
    "en-US": ("Ad account ", "Budget type", "Daily budget"),
    "fr-FR": ("Compte publicitaire ", "Type de budget", "Budget quotidien"),
}


@pytest.mark.parametrize(("locale", "width", "height"), SIZES, ids=["en-1280", "fr-390"])
def test_the_history_page_says_who_and_what_in_words(
    new_page, make_accounts, ui, http, locale, width, height
):
    [brand] = make_accounts("advertiser")
    campaign_id = ui.daily_campaign(http, brand, "History in words")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto(f"/ads/history/campaign/{campaign_id}")
    account, label, mode = WORDS[locale]

    who = page.locator("td[data-who]").first
    assert who.inner_text().startswith(account), who.inner_text()
    assert who.get_attribute("title") == f"advertiser:{brand.id}"
    row = page.locator('tr[data-field="budget_mode"]')
    assert row.locator("td[data-label]").inner_text() == label
    assert row.locator("td[data-label]").get_attribute("title") == "budget_mode"
    assert row.locator("td[data-after]").inner_text() == mode
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ui.screenshot(page, f"history-words-{locale[:2]}-{width}", full_page=True)
