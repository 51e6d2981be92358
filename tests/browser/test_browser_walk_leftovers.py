"""The walk's leftovers in real Chromium, at 1280 px in English and 390 px in French: the campaigns
page's one heading, dates in the reader's language, wizard refusals naming the field by its label,
and the console's requests counter saying since when it counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from factories.live_ad import launch_spark_ad

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
    # "Dec 6, 2026" / "6 déc. 2026"; never the ISO "2026-12-06"
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


SLOVENIA = "3190538"  # no other browser test targets it: this test's ad is the only one there


def test_a_refused_feed_event_is_explained_in_french_on_the_preview(new_page, http, cli, ui):
    ad = launch_spark_ad(http, cli, SLOVENIA, caption="Potica, walked in French")
    page = new_page(locale="fr-FR", width=390, height=844)
    ui.sign_in(page, ad.advertiser_token)
    card = page.locator(f'article[data-post="{ad.item_id}"][data-sponsored]')
    for _ in range(30):  # the engine's snapshot catches up with the launch
        page.goto("/feed?country=SI&age=30&viewer=walk-fr")
        if card.count():
            break
        page.wait_for_timeout(300)
    expect(card).to_have_count(1)
    # a token altered on its way: the server refuses the event and says why, in French
    card.evaluate("c => { c.dataset.sparkadsToken = c.dataset.sparkadsToken + 'x'; }")
    card.locator("button[value=like]").click()
    expect(card.locator(".feedback")).to_have_text("Refusé : le jeton de décision a été modifié")
    ui.screenshot(page, "walk-feed-refused-fr-390")


REFUSED_BID = {
    "en-US": ("Invalid value for Bid:", "Correct Bid and send the form again."),
    "fr-FR": ("Valeur invalide pour Enchère :", "Corrigez Enchère et renvoyez le formulaire."),
}


@pytest.mark.parametrize(("locale", "width", "height"), SIZES, ids=IDS)
def test_a_refused_wizard_bid_is_named_by_its_label(
    new_page, make_accounts, library_post, ui, locale, width, height
):
    creator, advertiser = make_accounts("creator", "advertiser")
    library_post(creator, advertiser)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, advertiser.token)
    ui.wizard_details(page, "Walk bid")
    page.locator("input[name=landing_page_url]").fill("https://brand.example.com/galette")
    page.locator("input[name=bid_type][value=BID_TYPE_CUSTOM]").check()
    page.locator("#bid").fill("1000000")  # above the highest bid a click takes
    page.locator("button[name=go][value=next]").click()
    box = page.locator(".error-box")
    message, solution = REFUSED_BID[locale]
    expect(box.locator("h2")).to_contain_text(message)
    expect(box.locator(".solution")).to_have_text(solution)
    expect(box).not_to_contain_text("bid_price")
    expect(page.locator("#bid")).to_have_value("1000000")
    ui.screenshot(page, f"walk-wizard-bid-{locale[:2]}-{width}")


CONSOLE_REQUESTS = {
    "en-US": ("Requests in this period", "each feed's requests in the traffic log since"),
    "fr-FR": ("Requêtes sur la période", "les requêtes de chaque fil dans le journal du trafic"),
}


@pytest.mark.parametrize(("locale", "width", "height"), SIZES, ids=IDS)
def test_the_console_says_what_its_feeds_requests_count(new_page, cli, ui, locale, width, height):
    cli("feeds", "create", "--name", "walk feed")
    token = cli("operators", "create", "--name", "walk")["access_token"]
    page = new_page(locale=locale, width=width, height=height)
    page.goto("/signin")
    page.locator("#token").fill(token)
    page.locator("form:has(#token) button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/console$"))
    header, note = CONSOLE_REQUESTS[locale]
    expect(page.locator("table[data-feeds] thead th").last).to_have_text(header)
    expect(page.locator("[data-feeds-requests]")).to_contain_text(note)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#feeds").scroll_into_view_if_needed()
    ui.screenshot(page, f"walk-console-feeds-{locale[:2]}-{width}", full_page=True)
