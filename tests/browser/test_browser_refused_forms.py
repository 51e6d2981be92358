"""Refused forms in real Chromium, at 1280 px in English and 390 px in French: a refused budget
on the campaigns page names its campaign and keeps what was typed in that row's field (a text
field, so that even "abc" stays to be corrected), a refused token keeps its name and days, and
the page stays within the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

CASES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
ABOUT = {
    "en": "Budget of the campaign Refused budget",
    "fr": "Budget de la campagne Refused budget",
}


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=["en-1280", "fr-390"])
def test_refused_forms_keep_what_was_typed(
    new_page, make_accounts, http, ui, locale, width, height
):
    [brand] = make_accounts("advertiser")
    row = f'tr[data-campaign-id="{ui.daily_campaign(http, brand, "Refused budget")}"]'
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    for typed, code in (("1", "budget_below_minimum"), ("abc", "invalid_parameter")):
        page.goto("/ads/campaigns")
        page.locator(f"{row} input[name=budget]").fill(typed)
        page.locator(f"{row} button[type=submit]").first.click()
        expect(page).to_have_url(re.compile(r".*/ads/campaigns$"))
        box = page.locator(".error-box")
        expect(box).to_have_attribute("data-error-code", code)
        expect(box.locator(".about")).to_have_text(ABOUT[locale[:2]])
        expect(page.locator(f"{row} input[name=budget]")).to_have_value(typed)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    ui.screenshot(page, f"campaigns-kept-budget-{locale[:2]}-{width}", full_page=False)

    page.goto("/tokens")
    page.locator("#token-name").fill("nightly export")
    page.locator("#token-days").fill("abc")
    page.locator("form[action='/tokens'] button[type=submit]").click()
    expect(page.locator(".error-box")).to_have_attribute("data-error-code", "invalid_parameter")
    expect(page.locator(".error-box")).not_to_contain_text("/docs")
    expect(page.locator("#token-name")).to_have_value("nightly export")
    expect(page.locator("#token-days")).to_have_value("abc")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
