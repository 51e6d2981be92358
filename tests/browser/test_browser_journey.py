"""The whole journey in a real browser: a creator publishes a post and copies a Spark code; an
advertiser pastes it, builds a campaign with the wizard and launches it; the feed preview shows the
sponsored post, a like there lands on the creator's original post (R2), and the dashboard, the
reports and the recommendations count."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

CAPTION = "Sunrise blend: my morning coffee ritual #coffee"


def _publish_and_copy_code(page, ui):
    page.get_by_role("link", name="Publish a post").click()
    page.get_by_label("Caption").fill(CAPTION)
    page.get_by_label("Duration (seconds)").fill("12")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Your post is published")
    item_id = page.url.rsplit("/", 1)[1]
    page.get_by_label("60 days").check()
    page.get_by_role("button", name="Generate a Spark code").click()
    code = page.locator("#new-code").inner_text().strip()
    assert re.fullmatch(r"SPK[0-9A-Z]{29}", code), code
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#new-code-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == code
    ui.screenshot(page, "creator-spark-code", full_page=True)
    return item_id, code


def _build_campaign(ads, ui, code):
    ads.get_by_role("link", name="Creative library").click()
    ads.get_by_label("Spark code").fill(code)
    ads.get_by_role("button", name="Validate").click()
    expect(ads.get_by_role("status").first).to_contain_text("in your creative library")
    expect(ads.locator("tbody tr")).to_contain_text(CAPTION)
    ui.screenshot(ads, "creative-library")
    ads.get_by_role("link", name="Use in a campaign").click()
    ads.locator("input[name=objective][value=TRAFFIC]").check()
    ads.get_by_label("Campaign name").fill("Spring coffee")
    ads.get_by_role("button", name="Continue").click()
    expect(ads.locator("input[name=post]:checked")).to_have_count(1)
    ads.get_by_role("button", name="Continue").click()
    ads.get_by_label("Call to action").select_option("SHOP_NOW")
    ads.get_by_label("Link").fill("https://brand.example.com/coffee")
    ads.locator("input[name=location_ids][value='3017382']").check()  # France
    ads.get_by_label("18–24").check()
    ads.get_by_label("25–34").check()
    ads.get_by_label("Food & Beverage").check()
    ads.get_by_label("Budget (EUR)").fill("50")
    ads.get_by_label("Optimize for").select_option("CLICK:CPC")
    ads.get_by_label("Custom bid").check()
    ads.get_by_label("Bid (EUR)").fill("0.5")
    ads.get_by_role("button", name="Continue").click()
    expect(ads.locator("[data-warning-code=authorization_ends_before_schedule]")).to_be_visible()
    expect(ads.locator("[data-forecast=impressions]")).not_to_have_text("—")
    # the forecast says what it stands on: the feed traffic served just before (one day of it)
    expect(ads.locator("[data-forecast=basis]")).to_contain_text(
        "The feed requests of the last day"
    )
    ui.screenshot(ads, "campaign-review", full_page=True)
    ads.get_by_role("button", name="Launch campaign").click()
    expect(ads.get_by_role("status").first).to_contain_text("Spring coffee")
    expect(ads.locator("tr[data-ad-id]")).to_contain_text("Delivering")


def _pause_and_resume_the_ad(ads, ui):
    ads.locator("tr[data-ad-id]").get_by_role("button", name=re.compile("^Pause")).click()
    expect(ads.locator("tr[data-ad-id]")).to_contain_text("Paused")
    ads.locator("tr[data-ad-id]").get_by_role("button", name=re.compile("^Enable")).click()
    expect(ads.locator("tr[data-ad-id]")).to_contain_text("Delivering")
    ui.screenshot(ads, "campaigns", full_page=True)


def _sponsored_card(ads):
    """The snapshot is rebuilt in the background within a moment of the launch."""
    deadline = time.monotonic() + 10
    while True:
        ads.goto("/feed?country=FR&age=25&interest=101&viewer=journey-viewer")
        card = ads.locator("article[data-sponsored]")
        if card.count() or time.monotonic() > deadline:
            return card.first
        time.sleep(0.3)


def _reports_and_recommendations(ads, ui):
    ads.get_by_role("link", name="Reports").click()
    ads.get_by_label("Level").select_option("ad")
    ads.get_by_label("Breakdown").select_option("total")
    ads.get_by_role("button", name="Show report").click()
    expect(ads.locator("table[data-report=ad] [data-metric=impressions]")).to_have_text("1")
    expect(ads.locator("table[data-report=ad] [data-metric=clicks]")).to_have_text("1")
    with ads.expect_download() as download:
        ads.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    ui.screenshot(ads, "reports")
    ads.get_by_role("link", name="Recommendations").click()
    expect(ads.get_by_role("heading", name="Recommendations", level=1)).to_be_visible()
    for evidence in ads.locator("[data-recommendation] summary").all():
        evidence.click()
    ui.screenshot(ads, "recommendations", full_page=True)


def test_journey_creator_code_advertiser_campaign_feed_dashboard(
    new_page, make_accounts, ui, feed_traffic
):
    creator, advertiser = make_accounts("creator", "advertiser")
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin$"))
    ui.screenshot(page, "sign-in")
    ui.sign_in(page, creator.token)
    item_id, code = _publish_and_copy_code(page, ui)
    page.get_by_role("link", name="Posts", exact=True).click()
    expect(page.locator("tbody tr")).to_contain_text("1 active")
    ui.screenshot(page, "creator-posts")

    ads = new_page()
    ui.sign_in(ads, advertiser.token)
    _build_campaign(ads, ui, code)
    _pause_and_resume_the_ad(ads, ui)

    card = _sponsored_card(ads)
    expect(card).to_contain_text(CAPTION)
    expect(card).to_contain_text("Sponsored")
    card.get_by_role("button", name="Like").click()
    expect(card.locator(".feedback")).to_contain_text("Like counted on the original post")
    expect(card.locator("[data-counter=paid_likes]")).to_have_text("1")
    card.get_by_role("button", name="Shop now").click()
    expect(card.locator(".feedback")).to_contain_text("Click recorded")
    card.scroll_into_view_if_needed()
    # The preview measures views with @sparkads/feed, as a platform's feed does: 1 s on screen.
    expect(card).to_have_attribute("data-sparkads-events", re.compile(r"\bimpression\b"))
    ui.screenshot(ads, "feed-preview")

    page.goto(f"/studio/posts/{item_id}")
    expect(page.locator("[data-paid=likes]")).to_have_text("1")

    ads.get_by_role("link", name="Dashboard").click()
    expect(ads.locator("[data-kpi=impressions]")).to_have_text("1")
    expect(ads.locator("[data-kpi=clicks]")).to_have_text("1")
    expect(ads.locator("[data-kpi=ctr]")).to_have_text("100.00%")
    expect(ads.locator("[data-kpi=spend]")).not_to_have_text("€0.00")
    ui.screenshot(ads, "dashboard")
    _reports_and_recommendations(ads, ui)
