"""A new user's walk through the pages, in real Chromium at 1280 px in English and 390 px in
French: the wizard's audiences table fits the phone (it scrolls inside its fieldset, its headers
wrap; an audience too small to target cannot be included) and the review names what it targets;
the tokens page's name field is styled as every other field; a campaign's budget field keeps its
width with Save beside it, the campaigns table scrolls inside its frame; a row header's
background is its row's."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from sparkads.audiences.hashing import hash_viewer_id

CASES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-390"]
OPEN_API = "/open_api/v1.3"
LONG_NAME = "Viewers of the spring galette offer (FR, DE, BE)"


def _audience(http, brand, name: str) -> str:
    """A customer-file audience made through the API, as an advertiser's program makes one."""
    content = "\n".join(hash_viewer_id(f"walk-{n}") for n in range(20)).encode()
    upload = http.post(
        f"{OPEN_API}/dmp/custom_audience/file/upload/", headers={"Access-Token": brand.token},
        data={"advertiser_id": brand.id, "calculate_type": "EMAIL_SHA256",
              "file_signature": hashlib.md5(content).hexdigest()},
        files={"file": ("ids.txt", content, "text/plain")},
    ).json()  # fmt: skip
    assert upload["code"] == 0, upload
    made = http.post(
        f"{OPEN_API}/dmp/custom_audience/create/", headers={"Access-Token": brand.token},
        json={"advertiser_id": brand.id, "custom_audience_name": name,
              "file_paths": [upload["data"]["file_path"]], "calculate_type": "EMAIL_SHA256"},
    ).json()  # fmt: skip
    assert made["code"] == 0, made
    return str(made["data"]["custom_audience_id"])


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_the_wizard_s_audiences_table_fits_the_screen_once_more_targeting_is_open(
    new_page, make_accounts, library_post, http, ui, locale, width, height
):
    creator, brand = make_accounts("creator", "advertiser")
    library_post(creator, brand)
    audience = _audience(http, brand, LONG_NAME)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    ui.wizard_details(page, "Galette week")
    page.locator("details.more-targeting > summary").click()
    row = page.locator(f'tr[data-audience-id="{audience}"]')
    expect(row).to_be_visible()
    row.scroll_into_view_if_needed()
    expect(row.locator("input[name=audience_ids]")).to_be_disabled()  # too small to target
    _fits(page, width)
    ui.screenshot(page, f"wizard-audiences-{locale[:2]}-{width}", full_page=True)
    row.locator("input[name=excluded_audience_ids]").check()  # it can still be excluded
    page.locator("input[name=languages][value=fr]").check()
    page.locator("input[name=landing_page_url]").fill("https://brand.example.com/galette")
    page.locator("button[name=go][value=next]").click()
    expect(page.locator("[data-review=excluded-audiences]")).to_contain_text(LONG_NAME)
    expect(page.locator("[data-review=languages]")).to_have_text(
        "French" if locale.startswith("en") else "français"
    )
    _fits(page, width)
    ui.screenshot(page, f"wizard-review-audiences-{locale[:2]}-{width}", full_page=True)


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_the_tokens_name_field_is_styled_like_the_other_fields(
    new_page, make_accounts, ui, locale, width, height
):
    (brand,) = make_accounts("advertiser")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/tokens")
    style = "el => [getComputedStyle(el).borderRadius, getComputedStyle(el).paddingLeft]"
    name = page.locator("#token-name").evaluate(style)
    days = page.locator("#token-days").evaluate(style)
    assert name == days == ["8px", "9.6px"], (name, days)
    cells = page.locator("tbody tr[data-token-id]").last.evaluate(
        """row => [...row.children].map(cell => [getComputedStyle(cell).backgroundColor,
                                                 getComputedStyle(cell).borderBottomWidth])"""
    )
    assert len(cells) > 1
    assert len({tuple(cell) for cell in cells}) == 1, cells  # the row header is of its row
    _fits(page, width)
    ui.screenshot(page, f"tokens-form-{locale[:2]}-{width}", full_page=True)


def test_a_new_token_wraps_inside_its_card_on_a_phone(new_page, make_accounts, ui) -> None:
    """A token is shown once, whole; one without a hyphen to break at (they are random) must
    still wrap inside its card at 390 px rather than widen the page."""
    (brand,) = make_accounts("advertiser")
    page = new_page(locale="fr-FR", width=390, height=844)
    ui.sign_in(page, brand.token)
    page.goto("/tokens")
    page.fill("#token-name", "phone")
    page.locator("form[action='/tokens'] button[type=submit]").click()
    token = page.locator("#new-token")
    assert token.inner_text().startswith("adv_")
    token.evaluate(
        "el => { el.textContent = 'adv_' + 'XaRX5XSV1wuvhPbj8MfadB3SxXGDpAd5jNWdGPZQjqU'; }"
    )
    _fits(page, 390)
    ui.screenshot(page, "tokens-new-fr-390", full_page=True)


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_the_campaign_budget_keeps_its_width_with_save_beside_it_and_the_table_scrolls_inside(
    new_page, make_accounts, http, ui, locale, width, height
):
    (brand,) = make_accounts("advertiser")
    made = http.post(
        f"{OPEN_API}/campaign/create/", headers={"Access-Token": brand.token},
        json={"advertiser_id": brand.id, "campaign_name": "Spring galette week",
              "objective_type": "TRAFFIC", "budget_mode": "BUDGET_MODE_DAY", "budget": 50},
    ).json()  # fmt: skip
    assert made["code"] == 0, made
    campaign_id = made["data"]["campaign_id"]
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/ads/campaigns")
    budget = page.locator(f"#budget-{campaign_id}").bounding_box()
    assert abs(budget["width"] - 7 * 16) < 1, budget  # its w-7 class, not the cell's width
    form = page.locator(f"form:has(#budget-{campaign_id})")
    save = form.locator("button[type=submit]").bounding_box()
    assert save["y"] < budget["y"] + budget["height"], (budget, save)  # beside, not under it
    _fits(page, width)  # the page does not overflow: a wide table scrolls in its frame
    wrap = page.locator(f'.table-wrap:has(tr[data-campaign-id="{campaign_id}"])')
    assert wrap.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    ui.screenshot(page, f"campaigns-budget-{locale[:2]}-{width}", full_page=True)


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_an_advertiser_on_the_studio_goes_to_the_ads_manager_and_on_the_console_reads_why(
    new_page, make_accounts, ui, locale, width, height
):
    (brand,) = make_accounts("advertiser")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/studio")  # the studio's pages send an advertiser home (test_web_history_words)
    assert page.url.endswith("/ads"), page.url
    page.goto("/console")
    expected = (
        "This call needs an operator token, not an advertiser token."
        if locale.startswith("en")
        else "Cet appel nécessite un jeton d'opérateur, pas un jeton d'annonceur."
    )
    expect(page.locator("body")).to_contain_text(expected)
    _fits(page, width)
    ui.screenshot(page, f"wrong-account-{locale[:2]}-{width}", full_page=True)
