"""Three edges of the web app in real Chromium, at 1280 px in English and 390 px in French: an
operator opening an Ads Manager or studio page lands on the console; the tokens page marks the
token the session was opened with and warns that revoking it signs you out, then does so, saying
why, on the sign-in page (the other tokens still sign in); the history names the role a change
was made with in words, its code on hover."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

CASES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-390"]
WORDS = {
    "en": {
        "warning": "You are signed in with this token: revoking it signs you out.",
        "confirm": "This is the token of your current session: revoking it signs you out, and"
        " programs using it stop working. Revoke it?",
        "signed_out": "You are signed out: the token you signed in with is revoked.",
        "role": "Administrator",
    },
    "fr": {
        "warning": "Vous êtes connecté avec ce jeton : le révoquer vous déconnecte.",
        "confirm": "C'est le jeton de votre session actuelle : le révoquer vous déconnecte, et les"
        " programmes qui l'utilisent cessent de fonctionner. Le révoquer ?",
        "signed_out": "Vous êtes déconnecté : le jeton avec lequel vous vous êtes connecté est"
        " révoqué.",
        "role": "Administrateur",
    },
}


def _within(page, locator, width: int) -> None:
    """The element is on screen, whole, at this width (no sideways scrolling to read it)."""
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width, box
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_an_operator_opening_the_ads_manager_or_the_studio_lands_on_the_console(
    new_page, cli, ui, locale, width, height
):
    token = cli("operators", "create", "--name", "walk")["access_token"]
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, token, home="console")
    for address in ("/ads/campaigns", "/studio/codes", "/ads/history/campaign/1"):
        page.goto(address)
        assert page.url.endswith("/console"), (address, page.url)
        expect(page.locator("[data-error-code]")).to_have_count(0)
    ui.screenshot(page, f"operator-sent-home-{locale[:2]}-{width}")


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_revoking_the_session_s_token_warns_first_then_signs_out_saying_why(
    new_page, make_accounts, ui, locale, width, height
):
    words = WORDS[locale[:2]]
    (brand,) = make_accounts("advertiser")
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto("/tokens")
    page.locator("#token-name").fill("ci")
    page.locator("form[action='/tokens'] button[type=submit]").click()
    other = page.locator("#new-token").inner_text().strip()

    own = page.locator("tr[data-session-token]")
    expect(own).to_have_count(1)
    warning = own.locator("[data-session-warning]")
    expect(warning).to_have_text(words["warning"])
    expect(warning).to_be_visible()
    warning.scroll_into_view_if_needed()
    _within(page, warning, width)
    expect(page.locator("[data-session-warning]")).to_have_count(1)  # only on that token
    ui.screenshot(page, f"tokens-session-warning-{locale[:2]}-{width}")

    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    own.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/signin$"))
    assert asked == [words["confirm"]]
    flash = page.get_by_role("status")
    expect(flash).to_contain_text(words["signed_out"])
    _within(page, flash, width)
    ui.screenshot(page, f"tokens-signed-out-{locale[:2]}-{width}")

    page.goto("/tokens")  # signed out indeed
    assert "/signin" in page.url
    ui.sign_in(page, other)  # the other token is unchanged
    page.goto("/tokens")
    expect(page.locator("tr[data-session-token]")).to_have_count(1)


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_the_history_names_the_role_in_words_its_code_on_hover(
    new_page, make_accounts, http, ui, locale, width, height
):
    words = WORDS[locale[:2]]
    (brand,) = make_accounts("advertiser")
    campaign_id = ui.daily_campaign(http, brand, "Role check")  # with the account's admin token
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, brand.token)
    page.goto(f"/ads/history/campaign/{campaign_id}")
    role = page.locator("[data-who] [data-role]").first
    expect(role).to_have_text(words["role"])
    expect(role).to_have_attribute("title", "admin")
    expect(page.locator("[data-who]").first).not_to_contain_text("· admin")
    ui.screenshot(page, f"history-role-{locale[:2]}-{width}", full_page=True)
