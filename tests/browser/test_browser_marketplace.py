"""Creator discovery in a real browser (R18, R19): a creator joins the marketplace in Creator Studio;
a brand finds them in Ads Manager → Creators, invites them to sponsor a post; the creator accepts,
and the post is in the brand's creative library, ready for a campaign."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_brand_finds_invites_and_gets_the_post_in_its_library(new_page, make_accounts, ui):
    creator, brand = make_accounts("creator", "advertiser")
    studio = new_page()
    ui.sign_in(studio, creator.token)
    studio.get_by_role("link", name="Publish a post").click()
    studio.get_by_label("Caption").fill("Crêpes in 12 seconds #food")
    studio.get_by_label("Duration (seconds)").fill("12")
    studio.get_by_role("button", name="Publish", exact=True).click()
    studio.get_by_role("link", name="Marketplace").click()
    studio.get_by_label("Sector").select_option("food")
    studio.get_by_label("Countries of your audience").select_option(["FR", "BE"])
    studio.get_by_label("Languages").fill("fr")
    studio.get_by_label("Your fee per sponsored post (EUR)").fill("75")
    studio.get_by_role("button", name="Save and join the marketplace").click()
    expect(studio.get_by_role("status").first).to_contain_text("brands can find you")

    ads = new_page()
    ui.sign_in(ads, brand.token)
    ads.get_by_role("link", name="Creators").click()
    ads.get_by_label("Sector").select_option("food")
    ads.get_by_label("Budget (EUR)").fill("300")
    ads.get_by_role("button", name="Search", exact=True).click()
    row = ads.locator(f"tr[data-creator-id='{creator.id}']")
    expect(row).to_contain_text(f"@{creator.name}")
    expect(row).to_contain_text("€75.00")
    ui.screenshot(ads, "creators", full_page=True)
    row.get_by_role("link", name=re.compile("^Invite")).click()
    ads.get_by_label("60 days").check()
    ads.get_by_label("Message (optional)").fill("Spring menu launch")
    ads.get_by_role("button", name="Send the invitation").click()
    expect(ads.get_by_role("status").first).to_contain_text("Invitation sent")
    expect(ads.locator("tbody tr").first).to_contain_text("Invited")

    studio.reload()
    invitation = studio.locator("tbody tr", has_text="Spring menu launch")
    expect(invitation).to_contain_text("€75.00")
    ui.screenshot(studio, "studio-marketplace", full_page=True)
    invitation.get_by_role("button", name=re.compile("^Accept")).click()
    expect(studio.get_by_role("status").first).to_contain_text("already in its library")

    ads.get_by_role("link", name="Creative library").click()
    expect(ads.locator("tbody tr", has_text="Crêpes in 12 seconds")).to_contain_text(
        f"@{creator.name}"
    )
