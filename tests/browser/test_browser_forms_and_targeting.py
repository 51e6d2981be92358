"""Issue 17 in real Chromium at 1280 px in English and 390 px in French: a generated Spark code
arrives by POST-redirect-GET (the address is the post's page; a reload or a language switch mints
nothing and shows no JSON), and the wizard's complete targeting (languages, behaviours, devices,
audiences) fits both screens and goes through to the review."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

CASES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-390"]


def _post(http, token: str) -> str:
    made = http.post(
        "/api/v1/posts", headers={"Authorization": f"Bearer {token}"},
        json={"caption": "Galette des rois in 12 s #recipe", "duration": 12.0},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    return str(made.json()["item_id"])


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_a_spark_code_arrives_by_redirect_and_a_reload_mints_nothing(
    new_page, make_accounts, http, ui, locale, width, height
):
    (creator,) = make_accounts("creator")
    item_id = _post(http, creator.token)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, creator.token)
    page.goto(f"/studio/posts/{item_id}")
    page.locator("input[name=duration_days][value='60']").check()
    page.locator("form:has(input[name=duration_days]) button[type=submit]").click()
    expect(page.locator("#new-code")).to_be_visible()
    assert page.url.endswith(f"/studio/posts/{item_id}"), page.url  # not the form's POST address
    ui.screenshot(page, f"spark-code-prg-{locale[:2]}-{width}", full_page=True)
    codes = page.locator("tbody tr").count()
    page.reload()
    expect(page.locator("#new-code")).to_have_count(0)  # shown once
    assert page.locator("tbody tr").count() == codes  # a reload minted no second code
    other = "EN" if locale.startswith("fr") else "FR"
    page.locator(".langs a", has_text=other).click()
    expect(page.locator("html")).to_have_attribute("lang", other.lower())
    expect(page.locator("body")).not_to_contain_text("route_not_found")


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_the_wizard_targets_languages_behaviours_devices_and_fits_the_screen(
    new_page, make_accounts, library_post, ui, locale, width, height
):
    creator, advertiser = make_accounts("creator", "advertiser")
    library_post(creator, advertiser)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, advertiser.token)
    page.goto("/ads/campaigns/new")
    page.locator("input[name=objective][value=TRAFFIC]").check()
    page.locator("#campaign_name, input[name=campaign_name]").first.fill("Galette week")
    page.locator("button[name=go][value=next]").click()
    page.locator("input[name=post]:not([value=upload])").first.check()
    page.locator("button[name=go][value=next]").click()
    page.locator("input[name=landing_page_url]").fill("https://brand.example.com/galette")
    page.locator("details.more-targeting > summary").click()
    page.locator("input[name=languages][value=fr]").check()
    page.locator("input[name=behaviour_actions][value=LIKED]").check()
    page.locator("#behaviour-category").select_option("101")
    page.locator("input[name=operating_systems][value=IOS]").check()
    page.locator("#min-ios").fill("15.0")
    page.locator("input[name=network_types][value=WIFI]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ui.screenshot(page, f"wizard-targeting-{locale[:2]}-{width}", full_page=True)
    page.locator("button[name=go][value=next]").click()
    expect(page.locator("button[name=go][value=launch]")).to_be_visible()
    expect(page.locator(".error-box")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the review fits
    page.locator("button[name=go][value=back]").click()  # the choices travel with the draft
    expect(page.locator("input[name=languages][value=fr]")).to_be_checked()
    expect(page.locator("#min-ios")).to_have_value("15.0")
    expect(page.locator("details.more-targeting")).to_have_attribute("open", "")


@pytest.mark.parametrize(("locale", "width", "height"), CASES, ids=IDS)
def test_a_forecast_of_zero_says_what_to_change(
    new_page, make_accounts, library_post, feed_traffic, ui, locale, width, height
):
    creator, advertiser = make_accounts("creator", "advertiser")
    library_post(creator, advertiser)
    page = new_page(locale=locale, width=width, height=height)
    ui.sign_in(page, advertiser.token)
    ui.wizard_details(page, "Nobody there")
    page.locator("input[name=landing_page_url]").fill("https://brand.example.com/galette")
    page.locator("input[name=location_ids][value='3017382']").uncheck()  # France (the default)
    page.locator("input[name=location_ids][value='1861060']").check()  # Japan: fed France only
    page.locator("button[name=go][value=next]").click()
    notice = page.locator("[data-forecast=zero]")
    expect(notice).to_have_attribute("data-zero-because", "targeting")
    advice = "Widen the targeting" if locale.startswith("en") else "Élargissez le ciblage"
    expect(notice).to_contain_text(advice)
    expect(page.locator("[data-forecast=impressions]")).to_have_text(re.compile(r"^0\s–\s0$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the review fits
    ui.screenshot(page, f"wizard-forecast-zero-{locale[:2]}-{width}", full_page=True)

    # Japan and France together: the forecast follows the countries ticked (France was fed)
    page.locator("button[name=go][value=back]").click()
    page.locator("input[name=location_ids][value='3017382']").check()
    page.locator("button[name=go][value=next]").click()
    expect(page.locator("[data-review=locations]")).to_contain_text(
        "Japan" if locale.startswith("en") else "Japon"
    )
    expect(page.locator("[data-forecast=zero]")).to_have_count(0)
    expect(page.locator("[data-forecast=impressions]")).not_to_have_text(re.compile(r"^0\s–\s0$"))
