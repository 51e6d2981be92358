"""The rest of the web app as people use it: French from the browser's language and the switcher,
the Business Center's QR code and the page its link opens, demo accounts in the sandbox, phone
widths, labels on every field, and forms refused without their CSRF token."""

from __future__ import annotations

import re

from playwright.sync_api import expect

UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML)"""
# WCAG 2.1 AA contrast (4.5:1, 3:1 for large text) of every visible text against the first opaque
# background behind it; charts (SVG) and disabled controls are exempt, as WCAG exempts them.
LOW_CONTRAST = r"""() => {
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = rgb => 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  const parse = text => {
    const found = text.match(/rgba?\(([^)]+)\)/);
    if (!found) return null;
    const parts = found[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1 };
  };
  const background = element => {
    for (let at = element; at; at = at.parentElement) {
      const colour = parse(getComputedStyle(at).backgroundColor);
      if (colour && colour.alpha > 0.5) return colour.rgb;
    }
    return [255, 255, 255];
  };
  const problems = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || seen.has(element)) continue;
    seen.add(element);
    if (element.closest("svg, [disabled], [aria-hidden=true], label:has(input:disabled)")) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility === "hidden" || box.width < 2 || box.height < 2) continue;
    const colour = parse(style.color);
    if (!colour) continue;
    const [a, b] = [luminance(colour.rgb), luminance(background(element))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    const needed = large ? 3 : 4.5;
    const where = `${element.tagName.toLowerCase()}.${element.className}`;
    const text = node.textContent.trim().slice(0, 40);
    if (ratio < needed) problems.push(`${where} ${ratio.toFixed(2)} < ${needed}: ${text}`);
  }
  return problems;
}"""


def test_interface_speaks_french_from_browser_language_and_switches_back(new_page, ui):
    page = new_page(locale="fr-FR")
    page.goto("/signin")
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    ui.screenshot(page, "sign-in-fr")
    page.get_by_role("link", name="EN English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/signin")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_business_center_qr_link_lets_the_creator_accept(new_page, make_accounts, ui):
    bc, creator = make_accounts("bc", "creator")
    page = new_page()
    ui.sign_in(page, bc.token)
    page.get_by_role("link", name="Business Center").click()
    page.get_by_label("Creator's handle").fill(creator.name)
    page.get_by_label("Message (optional)").fill("Spring coffee campaign")
    page.get_by_role("button", name="Request access").click()
    expect(page.locator(".qr svg")).to_be_visible()
    link = page.locator("#access-link").inner_text().strip()
    assert re.search(r"/access/acr_", link), link
    ui.screenshot(page, "business-center-qr")

    phone = new_page(width=390, height=844)
    phone.goto(link)
    expect(phone.get_by_role("heading")).to_contain_text("asks for access to @" + creator.name)
    phone.get_by_role("link", name="Sign in as the creator to answer").click()
    phone.get_by_label("Access token").fill(creator.token)
    phone.get_by_role("button", name="Sign in", exact=True).click()
    phone.get_by_role("button", name="Accept").click()
    expect(phone.locator("#status")).to_have_text("Accepted")
    ui.screenshot(phone, "access-request-phone")
    page.reload()
    expect(page.get_by_text("Accepted")).to_be_visible()


def test_demo_accounts_sign_in_without_a_token_in_the_sandbox(new_page, make_accounts):
    advertiser, other = make_accounts("demo advertiser", "advertiser")
    page = new_page()
    page.goto("/signin")
    listed = page.get_by_label("Advertiser").locator("option").all_inner_texts()
    assert advertiser.name in listed
    assert other.name not in listed  # only demo accounts are offered
    page.get_by_label("Advertiser").select_option(label=advertiser.name)
    page.get_by_role("button", name="Sign in as this advertiser").click()
    expect(page).to_have_url(re.compile(r"/ads$"))
    expect(page.get_by_text(advertiser.name)).to_be_visible()


def test_pages_fit_a_phone_label_every_field_and_keep_text_readable(new_page, make_accounts, ui):
    creator, advertiser = make_accounts("creator", "advertiser")
    page = new_page(width=390, height=844)
    ui.sign_in(page, creator.token)
    for path in (
        "/studio",
        "/studio/posts/new",
        "/studio/codes",
        "/studio/access",
        "/studio/sponsorships",
        "/studio/marketplace",
        "/feed",
    ):
        page.goto(path)
        assert page.evaluate(UNLABELLED_FIELDS) == [], path
        assert page.evaluate(LOW_CONTRAST) == [], path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    page.goto("/studio/posts/new")
    ui.screenshot(page, "phone-publish-post", full_page=True)
    ads = new_page(width=390, height=844)
    ui.sign_in(ads, advertiser.token)
    for path in (
        "/ads",
        "/ads/library",
        "/ads/campaigns",
        "/ads/campaigns/new",
        "/ads/business-center",
        "/ads/reports",
        "/ads/recommendations",
        "/ads/creators",
        "/ads/collaborations",
    ):
        ads.goto(path)
        assert ads.evaluate(UNLABELLED_FIELDS) == [], path
        assert ads.evaluate(LOW_CONTRAST) == [], path
        width = ads.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"


def test_the_contrast_check_finds_unreadable_text(new_page):
    page = new_page()
    page.goto("/signin")
    # styled through the CSSOM: the page's Content-Security-Policy refuses style attributes
    page.evaluate(
        """(() => {
        const main = document.querySelector('main');
        const pale = document.createElement('p');
        pale.textContent = 'pale grey on white';
        pale.style.color = '#aaa';
        const dark = document.createElement('div');
        dark.style.background = '#222';
        const grey = document.createElement('span');
        grey.textContent = 'grey on black';
        grey.style.color = '#444';
        dark.append(grey);
        main.append(pale, dark);
        })()"""
    )

    found = page.evaluate(LOW_CONTRAST)

    assert [line.split(":")[-1].strip() for line in found] == [
        "pale grey on white",
        "grey on black",
    ]


def test_signing_in_works_from_the_keyboard_alone(new_page, make_accounts):
    [creator] = make_accounts("creator")
    page = new_page()
    page.goto("/signin")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "token":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(creator.token)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/studio$"))
    focused_outline = page.evaluate(
        "(() => { const link = document.querySelector('nav a'); link.focus();"
        " return getComputedStyle(link).outlineStyle; })()"
    )
    assert focused_outline != "none"


def test_form_without_its_csrf_token_is_refused(http, make_accounts):
    (creator,) = make_accounts("creator")
    http.cookies.clear()
    signin = http.post("/signin", data={"token": creator.token, "csrf_token": "forged"})
    assert signin.status_code == 403
    assert "This form has expired" in signin.text
