"""Issue 17 in real Chromium, at 1280 px and 390 px in English and French: every step of the campaign
wizard is a POST answered by a redirect to a GET of the next step (the draft is kept server-side),
so after each step the address is a GET address of that step, and a reload or a language switch
shows the same step with the same choices and re-sends nothing; a refused step comes back with its
explanation, which a reload keeps and a language switch translates. Launching creates one campaign."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

CASES = [("en-US", 1280, 860), ("fr-FR", 1280, 860), ("en-US", 390, 844), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-1280", "en-390", "fr-390"]
STEP_URL = r".*/ads/campaigns/new/[0-9a-f]{16}/%s$"
TITLES = {
    "en": {"post": "Post", "details": "Audience, budget and bid", "review": "Review"},
    "fr": {
        "post": "Publication",
        "details": "Audience, budget et enchère",
        "review": "Vérification",
    },
}


def _at_step(page, step: str, lang: str) -> None:
    expect(page).to_have_url(re.compile(STEP_URL % step))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator(".steps [aria-current=step]")).to_have_text(TITLES[lang][step])


def _reload_and_switch(page, step: str, lang: str) -> str:
    """A reload is a GET of the same step; so is a language switch, which lands on the same
    address in the other language. Returns the language the page is in afterwards."""
    url = page.url
    answer = page.reload()
    assert answer is not None
    assert (answer.request.method, answer.status) == ("GET", 200)
    _at_step(page, step, lang)
    other = "fr" if lang == "en" else "en"
    page.locator(".langs a", has_text=other.upper()).click()
    _at_step(page, step, other)
    assert page.url == url
    return other


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_each_wizard_step_lands_on_a_get_address_that_survives_reload_and_language_switch(
    new_page, make_accounts, library_post, http, ui, locale, width, height
):
    creator, advertiser = make_accounts("creator", "advertiser")
    library_post(creator, advertiser)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, advertiser.token)
    lang = locale[:2]
    page.goto("/ads/campaigns/new")
    name = f"Galette PRG {lang} {width}"
    page.locator("input[name=objective][value=TRAFFIC]").check()
    page.locator("#campaign_name").fill(name)
    page.locator("button[name=go][value=next]").click()
    _at_step(page, "post", lang)
    lang = _reload_and_switch(page, "post", lang)

    page.locator("input[name=post]:not([value=upload])").first.check()
    page.locator("button[name=go][value=next]").click()
    _at_step(page, "details", lang)
    page.locator("input[name=landing_page_url]").fill("https://brand.example.com/galette")
    page.locator("details.more-targeting > summary").click()
    page.locator("input[name=languages][value=fr]").check()
    page.locator("#budget").fill("1")  # below the campaign minimum: refused
    page.locator("button[name=go][value=next]").click()
    _at_step(page, "details", lang)  # the refused step, at its own GET address
    expect(page.locator(".error-box")).to_have_attribute("data-error-code", "budget_below_minimum")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ui.screenshot(page, f"wizard-prg-refused-{locale[:2]}-{width}", full_page=True)
    lang = _reload_and_switch(page, "details", lang)
    expect(page.locator(".error-box")).to_have_attribute("data-error-code", "budget_below_minimum")
    expect(page.locator("input[name=landing_page_url]")).to_have_value(
        "https://brand.example.com/galette"
    )  # the choices are the draft's
    expect(page.locator("input[name=languages][value=fr]")).to_be_checked()

    page.locator("#budget").fill("50")
    page.locator("button[name=go][value=next]").click()
    _at_step(page, "review", lang)
    expect(page.locator(".error-box")).to_have_count(0)
    lang = _reload_and_switch(page, "review", lang)
    expect(page.locator("button[name=go][value=launch]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ui.screenshot(page, f"wizard-prg-review-{locale[:2]}-{width}", full_page=True)

    page.locator("button[name=go][value=back]").click()
    _at_step(page, "details", lang)
    expect(page.locator("#budget")).to_have_value("50")
    page.locator("button[name=go][value=next]").click()
    _at_step(page, "review", lang)
    page.locator("button[name=go][value=launch]").click()
    expect(page).to_have_url(re.compile(r".*/ads/campaigns$"))
    expect(page.locator(".flash")).to_contain_text(name)
    answer = page.reload()
    assert answer is not None
    assert answer.request.method == "GET"
    found = http.get(
        "/open_api/v1.3/campaign/get/", headers={"Access-Token": advertiser.token},
        params={"advertiser_id": advertiser.id},
    ).json()["data"]["list"]  # fmt: skip
    assert [c["campaign_name"] for c in found].count(name) == 1


@pytest.mark.parametrize(("locale", "width", "height"), [CASES[0], CASES[3]], ids=[IDS[0], IDS[3]])
def test_a_refused_budget_comes_back_to_the_campaigns_page_as_a_get(
    new_page, make_accounts, http, ui, locale, width, height
):
    [brand] = make_accounts("advertiser")
    row = f'tr[data-campaign-id="{ui.daily_campaign(http, brand, "Refused budget")}"]'
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/ads/campaigns")
    page.locator(f"{row} input[name=budget]").fill("1")
    page.locator(f"{row} button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r".*/ads/campaigns$"))  # the problem at the top
    box = page.locator(".error-box")
    expect(box).to_have_attribute("data-error-code", "budget_below_minimum")
    said = "must be at least" if locale.startswith("en") else "doit être d'au moins"
    expect(box).to_contain_text(said)  # in the reader's language
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ui.screenshot(
        page, f"campaigns-refused-budget-{locale[:2]}-{width}", full_page=False
    )  # what the reader sees first
    answer = page.reload()
    assert answer is not None
    assert answer.request.method == "GET"
    expect(page.locator(".error-box")).to_have_count(0)  # shown once; nothing was sent again
    kept = "50.00" if locale.startswith("en") else "50,00"  # the budget the reader's way
    expect(page.locator(f"{row} input[name=budget]")).to_have_value(kept)
