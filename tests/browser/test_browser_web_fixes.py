"""Issue 17's web fixes in real Chromium, at 1280 px and 390 px, in English and French: the Business
Center's QR code is scannable (decoded from a screenshot of the page), /docs works with no CDN,
unknown pages answer an HTML page in the reader's language."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect


def sign_in(page, token: str) -> None:
    """Sign in with a token in whatever language the page speaks."""
    page.goto("/signin")
    page.locator("#token").fill(token)
    page.locator("form:has(#token) button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/(studio|ads)$"))


SIZES = [("en-US", 1280, 860), ("fr-FR", 390, 844)]
IDS = ["en-1280", "fr-390"]


@pytest.mark.parametrize(("locale", "width", "height"), SIZES, ids=IDS)
def test_the_business_center_qr_code_decodes_from_a_screenshot_to_the_access_link(
    new_page, make_accounts, ui, locale, width, height
):
    bc, creator = make_accounts("bc", "creator")
    page = new_page(locale=locale, width=width, height=height)
    sign_in(page, bc.token)
    page.goto("/ads/business-center")
    page.locator("#handle").fill(creator.name)
    page.locator("form:has(#handle) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ads/business-center/requests/acr_"))
    qr = page.locator(".qr svg")
    expect(qr).to_be_visible()
    assert qr.get_attribute("viewBox") == qr.get_attribute("viewBox").strip()
    assert qr.get_attribute("width") is None  # sized by the page, from its viewBox
    box = qr.bounding_box()
    assert abs(box["width"] - box["height"]) < 1, box  # scaled, not squeezed
    assert box["x"] + box["width"] <= width, box  # not cut by the screen's edge
    link = page.locator("#access-link").inner_text().strip()
    picture = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    decoded = [found.text for found in zxingcpp.read_barcodes(picture)]
    assert decoded == [link], (decoded, link)
    ui.screenshot(page, f"business-center-qr-{locale[:2]}-{width}", full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 860), (390, 844)], ids=["1280", "390"])
def test_api_docs_render_with_nothing_but_this_server(new_page, server, ui, width, height):
    page = new_page(width=width, height=height)
    elsewhere: list[str] = []

    def only_here(route, request):
        if request.url.startswith(server.base_url):
            route.continue_()
        else:
            elsewhere.append(request.url)
            route.abort()

    page.route("**/*", only_here)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/open_api/v1.3/campaign/get/").first).to_be_attached()
    assert elsewhere == []
    assert refused == []
    ui.screenshot(page, f"api-docs-{width}")


@pytest.mark.parametrize(
    ("locale", "width", "height", "heading", "home"),
    [("en-US", 1280, 860, "There is no page at /studio/nowhere.", "Home"),
     ("fr-FR", 390, 844, "Il n'y a pas de page à l'adresse /studio/nowhere.", "Accueil")],
    ids=IDS,
)  # fmt: skip
def test_an_unknown_page_is_an_html_page_in_the_readers_language(
    new_page, ui, locale, width, height, heading, home
):
    page = new_page(locale=locale, width=width, height=height)
    answer = page.goto("/studio/nowhere")
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("link", name=home, exact=True).click()
    expect(page).to_have_url(re.compile(r"/signin"))
    page.go_back()
    ui.screenshot(page, f"not-found-{locale[:2]}-{width}")
