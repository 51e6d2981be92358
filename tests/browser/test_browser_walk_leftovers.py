"""The walk's leftovers in real Chromium, at 1280 px in English and 390 px in French: the campaigns
page's one heading, dates in the reader's language, wizard refusals naming the field by its label,
and the console's requests counter saying since when it counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

SIZES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-390"]
WORDS = {
    "en-US": {"campaigns": "Campaigns"},
    "fr-FR": {"campaigns": "Campagnes"},
}


@pytest.mark.parametrize(("locale", "width", "height"), SIZES, ids=IDS)
def test_the_campaigns_page_has_one_campaigns_heading(
    new_page, make_accounts, ui, http, locale, width, height
):
    [brand] = make_accounts("advertiser")
    ui.daily_campaign(http, brand, "Walk heading")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/ads/campaigns")
    name = WORDS[locale]["campaigns"]
    expect(page.get_by_role("heading", name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("#campaigns tr[data-campaign-id]")).to_have_count(1)
    ui.screenshot(page, f"walk-campaigns-{locale[:2]}-{width}", full_page=True)


DAY_IN_WORDS = {
    # "6 Dec 2026" / "6 déc. 2026"; never the ISO "2026-12-06"
    "en-US": re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$"),
    "fr-FR": re.compile(r"^\d{1,2} [a-zéû]+\.? \d{4}$"),
}


@pytest.mark.parametrize(("locale", "width", "height"), SIZES, ids=IDS)
def test_dashboard_days_and_history_moments_follow_the_reader_s_language(
    new_page, make_accounts, ui, http, locale, width, height
):
    [brand] = make_accounts("advertiser")
    campaign_id = ui.daily_campaign(http, brand, "Walk dates")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/ads?days=7")
    page.locator("details summary").first.click()
    days = page.locator("tr[data-day] td:first-child").all_inner_texts()
    assert len(days) == 7
    assert all(DAY_IN_WORDS[locale].match(day) for day in days), days
    ui.screenshot(page, f"walk-dashboard-days-{locale[:2]}-{width}", full_page=True)

    page.goto(f"/ads/history/campaign/{campaign_id}")
    created = page.locator('tr[data-field="create_time"] td[data-after]').inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", created), created
    assert re.search(r"\d{4}", created), created
    ui.screenshot(page, f"walk-history-{locale[:2]}-{width}", full_page=True)
