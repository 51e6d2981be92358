"""Video files in a real browser: a creator publishes a post from an MP4 (its length is read from
the file); a brand links its own TikTok account from Business Center, the account accepts in
Creator Studio, and the brand's campaign wizard uploads a new ads-only video to it (R6 push flow)
and launches it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from factories.media import mp4


def _video(name: str, seconds: float) -> dict[str, object]:
    return {"name": name, "mimeType": "video/mp4", "buffer": mp4(seconds, width=720, height=1280)}


def test_creator_publishes_a_post_from_a_video_file(new_page, make_accounts, ui):
    [creator] = make_accounts("creator")
    page = new_page()
    ui.sign_in(page, creator.token)
    page.get_by_role("link", name="Publish a post").click()
    page.get_by_label("Caption").fill("Morning pour-over, filmed")
    page.get_by_label("Video file (optional)").set_input_files(_video("pour.mp4", 13.5))
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(page.get_by_role("status").first).to_contain_text("Your post is published")
    expect(page.locator("main")).to_contain_text("13.5 s · 720×1280")


def test_brand_links_its_account_and_launches_an_uploaded_ads_only_video(
    new_page, make_accounts, ui, feed_traffic
):
    own, brand = make_accounts("creator", "advertiser")
    ads = new_page()
    ui.sign_in(ads, brand.token)
    ads.get_by_role("link", name="Business Center").click()
    ads.get_by_label("Your TikTok handle").fill(f"@{own.name}")
    ads.get_by_role("button", name="Link the account").click()
    expect(ads.get_by_role("status").first).to_contain_text("Link requested")

    studio = new_page()
    ui.sign_in(studio, own.token)
    studio.get_by_role("link", name="Access requests").click()
    row = studio.locator("tbody tr", has_text="Link your account to their ad account")
    row.get_by_role("button", name=re.compile("^Accept")).click()
    expect(studio.locator("tbody tr").first).to_contain_text("Accepted")

    ads.goto("/ads/campaigns/new")
    ads.locator("input[name=objective][value=VIDEO_VIEWS]").check()
    ads.get_by_label("Campaign name").fill("Pushed video")
    ads.get_by_role("button", name="Continue").click()
    ads.get_by_label("Upload a new ads-only video").check()
    expect(ads.get_by_label("TikTok account", exact=True)).to_contain_text(f"@{own.name}")
    ads.get_by_label("Video file", exact=True).set_input_files(_video("launch.mp4", 11.0))
    ads.get_by_label("Caption", exact=True).fill("Our new roast, only in ads")
    ui.screenshot(ads, "campaign-upload-video", full_page=True)
    ads.get_by_role("button", name="Continue").click()
    expect(ads.locator("main")).to_contain_text("launch.mp4")
    ads.get_by_role("button", name="Continue").click()
    expect(ads.locator("[data-forecast=impressions]")).not_to_have_text("—")
    expect(ads.locator("dl.summary")).to_contain_text("Our new roast, only in ads")
    ads.get_by_role("button", name="Launch campaign").click()

    expect(ads.get_by_role("status").first).to_contain_text("Pushed video")
    expect(ads.locator("tr[data-ad-id]")).to_contain_text("Delivering")
    studio.get_by_role("link", name="Posts", exact=True).click()
    expect(studio.locator("tbody tr")).to_contain_text("Our new roast, only in ads")
