"""A first-day user's pages in real Chromium, at 1280 px in English and 390 px in French: the
wizard's countries and regions and a missing Link marked next to its field; the creator search
sending "abc" as typed (a text field) and showing the error alone; a Business Center's first run.
Each page stays within the screen, and is photographed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

CASES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-390"]


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_wizard_countries_and_a_missing_link(
    new_page, make_accounts, library_post, ui, locale, width, height
):
    creator, brand = make_accounts("creator", "advertiser")
    library_post(creator, brand)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    ui.wizard_details(page, "First day")
    page.locator("input[name=location_ids][value='2802361']").check()  # Belgium, with France
    page.locator("details.regions summary").click()
    page.locator("input[name=location_ids][value='3017382-BRE']").check()
    page.locator("#landing_page_url").fill("")
    page.locator("#budget").fill("77")
    page.locator("button[name=go][value=next]").click()

    link = page.locator("#landing_page_url")
    expect(link).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#landing_page_url-problem")).to_be_visible()
    expect(page.locator("#budget")).to_have_value("77")
    expect(page.locator("input[name=location_ids][value='2802361']")).to_be_checked()
    _fits(page, width)
    ui.screenshot(page, f"wizard-missing-link-{locale[:2]}-{width}", full_page=True)

    link.fill("https://brand.example.com/offer")
    page.locator("button[name=go][value=next]").click()
    expect(page.locator("[data-review=locations]")).to_contain_text(
        "Brittany (France)"
    )  # the catalogue's region names are English
    _fits(page, width)
    ui.screenshot(page, f"wizard-review-countries-{locale[:2]}-{width}", full_page=True)


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_creator_search_keeps_abc_and_shows_the_error_alone(
    new_page, make_accounts, ui, locale, width, height
):
    [brand] = make_accounts("advertiser")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/ads/creators")
    page.locator("#budget").fill("abc")
    page.locator("form[action='/ads/creators'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"budget=abc"))
    expect(page.locator(".error-box")).to_have_attribute("data-error-code", "invalid_parameter")
    expect(page.locator("#budget")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#budget")).to_have_value("abc")
    expect(page.locator("table[data-creators]")).to_have_count(0)
    _fits(page, width)
    ui.screenshot(page, f"creators-bad-filter-{locale[:2]}-{width}")


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_a_business_center_first_run(new_page, make_accounts, ui, locale, width, height):
    [bc] = make_accounts("bc")
    page = new_page(locale=locale, width=width, height=height)
    page.goto("/signin")
    page.locator("#token").fill(bc.token)
    page.locator("form:has(#token) button[type=submit]").click()

    page.wait_for_url(re.compile(r".*/ads$"))
    expect(page.locator("[data-first-run]")).to_be_visible()
    expect(page.locator(".error-box")).to_have_count(0)
    expect(page.locator(".flash.success")).to_have_count(0)
    _fits(page, width)
    ui.screenshot(page, f"first-ad-account-{locale[:2]}-{width}", full_page=True)
    page.locator("#name").fill("Agency first")
    page.locator("#currency").select_option("EUR")
    page.locator("#timezone").select_option("Europe/Paris")
    page.locator("[data-first-run] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/ads$"))
    expect(page.locator(".flash.success")).to_contain_text("Agency first")
