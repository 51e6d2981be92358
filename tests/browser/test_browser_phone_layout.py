"""Every page on a 390 px phone and at 1280 px, in English and French: nothing wider than the
screen, the header on at most two rows (the menu folds behind a button on the phone and opens on a
tap), and the feed preview's form and phone stacked on the phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

CREATOR_PAGES = ("/studio", "/studio/posts/new", "/studio/codes", "/studio/access",
                 "/studio/sponsorships", "/studio/marketplace", "/feed", "/tokens")  # fmt: skip
ADS_PAGES = ("/ads", "/ads/library", "/ads/campaigns", "/ads/campaigns/new",
             "/ads/business-center", "/ads/reports", "/ads/recommendations", "/ads/creators",
             "/ads/collaborations", "/feed", "/signin", "/no/such/page")  # fmt: skip
# Rows the header's visible parts sit on (parts whose tops are within 12 px share a row).
HEADER_ROWS = """() => {
  const parts = [...document.querySelectorAll(
    '.top-inner > .brand, .top-inner > .role, .top-inner > .langs, .top-inner > .menu-toggle,'
    + ' .top-inner .nav li, .top-inner .tools > *')]
    .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  const tops = [];
  for (const r of parts) if (!tops.some(t => Math.abs(t - r.top) < 12)) tops.push(r.top);
  return tops.length;
}"""
CASES = [("en-US", 390), ("fr-FR", 390), ("en-US", 1280), ("fr-FR", 1280)]


def sign_in(page, token: str) -> None:
    page.goto("/signin")
    page.locator("#token").fill(token)
    page.locator("form:has(#token) button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/(studio|ads)$"))


def _check(page, path: str, width: int) -> None:
    page.goto(path)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{path} is {scroll}px wide at {width}px"
    rows = page.evaluate(HEADER_ROWS)
    assert rows <= 2, f"{path}: the header takes {rows} rows at {width}px"


@pytest.mark.parametrize(("locale", "width"), CASES, ids=[f"{lang[:2]}-{w}" for lang, w in CASES])
def test_no_page_overflows_and_the_header_keeps_to_two_rows(
    new_page, make_accounts, ui, locale, width
):
    creator, advertiser = make_accounts("creator", "advertiser")
    studio = new_page(locale=locale, width=width, height=844)
    sign_in(studio, creator.token)
    for path in CREATOR_PAGES:
        _check(studio, path, width)
    ads = new_page(locale=locale, width=width, height=844)
    sign_in(ads, advertiser.token)
    for path in ADS_PAGES:
        _check(ads, path, width)
    ads.goto("/ads")
    ui.screenshot(ads, f"header-{locale[:2]}-{width}")


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
def test_the_phone_menu_folds_and_opens_on_a_tap(new_page, make_accounts, ui, locale):
    (advertiser,) = make_accounts("advertiser")
    page = new_page(locale=locale, width=390, height=844)
    sign_in(page, advertiser.token)
    toggle = page.locator(".menu-toggle")
    reports = page.locator("#site-menu a[href='/ads/reports']")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(reports).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(reports).to_be_visible()
    ui.screenshot(page, f"phone-menu-open-{locale[:2]}")
    reports.click()
    expect(page).to_have_url(re.compile(r"/ads/reports$"))
    expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
def test_the_feed_preview_stacks_on_a_phone_and_sits_side_by_side_on_a_wide_screen(
    new_page, make_accounts, ui, locale
):
    (creator,) = make_accounts("creator")
    for width, stacked in ((390, True), (1280, False)):
        page = new_page(locale=locale, width=width, height=844)
        sign_in(page, creator.token)
        page.goto("/feed")
        form = page.locator(".cols-feed > form").bounding_box()
        phone = page.locator(".cols-feed > :nth-child(2)").bounding_box()
        if stacked:
            assert phone["y"] >= form["y"] + form["height"], (form, phone)
            ui.screenshot(page, f"feed-preview-phone-{locale[:2]}", full_page=True)
        else:
            assert abs(phone["y"] - form["y"]) < 5, (form, phone)
    toggle_free = page.locator(".menu-toggle")
    expect(toggle_free).to_be_hidden()  # wide screens show the menu as a row, no button
