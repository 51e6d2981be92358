"""Dynamic CTA portfolios used by ads on a real server: a portfolio made with
creative/portfolio/create/, given to a live ad by ad/update/ (`call_to_action_id`), read back by
ad/get/ and carried by the feed's decisions (the first call to action shown, all of them listed);
and the official TikTok SDK making a portfolio and an ad that uses it."""

from __future__ import annotations

import time
from typing import Any

import business_api_client
import httpx
import pytest

from factories.live_ad import LiveAd, launch_spark_ad, open_api_call
from factories.server import OPEN_API

pytestmark = pytest.mark.e2e

MALTA, SLOVAKIA = "2562770", "3057568"  # no other end-to-end test targets them
CTAS = ["LEARN_MORE", "SIGN_UP", "SHOP_NOW"]


def _ad(http: httpx.Client, ad: LiveAd) -> dict[str, Any]:
    answer = http.get(
        f"{OPEN_API}/ad/get/",
        headers={"Access-Token": ad.advertiser_token},
        params={"advertiser_id": ad.advertiser_id, "filtering": f'{{"ad_ids": ["{ad.ad_id}"]}}'},
    ).json()
    assert answer["code"] == 0, answer
    [found] = answer["data"]["list"]
    return dict(found)


def _creative_once(http: httpx.Client, ad: LiveAd, wanted: str | None) -> dict[str, Any]:
    """The creative of the ad's decisions once it carries `wanted` as its call_to_action_id (the
    snapshot follows a change within a fraction of a second)."""
    feed = {"Authorization": f"Bearer {ad.feed_token}"}
    deadline, creative = time.monotonic() + 5, None
    while time.monotonic() < deadline:
        viewer = {"viewer_id": f"mt-{time.monotonic_ns()}", "country": "MT", "age": 30}
        answer = http.post("/api/v1/feed/decisions", headers=feed, json={"viewer": viewer})
        assert answer.status_code == 200, answer.text
        decisions = answer.json()["decisions"]  # none until the new ad is live
        creative = decisions[0]["creative"] if decisions else None
        if creative is not None and creative["call_to_action_id"] == wanted:
            return dict(creative)
        time.sleep(0.1)
    pytest.fail(f"the feed's creative did not carry {wanted} within 5 s: {creative}")


def test_a_live_ad_given_a_portfolio_shows_its_calls_to_action_in_the_feed(http, cli):
    ad = launch_spark_ad(http, cli, MALTA, caption="Ħobż biż-żejt", call_to_action="ORDER_NOW")
    before = _creative_once(http, ad, None)
    assert (before["call_to_action"], before["call_to_actions"]) == ("ORDER_NOW", ["ORDER_NOW"])
    made = open_api_call(
        http, ad, "creative/portfolio/create/", creative_portfolio_type="CTA",
        portfolio_content=[{"asset_content": c, "asset_ids": []} for c in CTAS],
    )  # fmt: skip
    assert made["code"] == 0, made
    portfolio_id = made["data"]["creative_portfolio_id"]

    updated = open_api_call(
        http, ad, "ad/update/", adgroup_id=ad.adgroup_id,
        creatives=[{"ad_id": ad.ad_id, "call_to_action_id": portfolio_id}],
    )  # fmt: skip
    assert updated["code"] == 0, updated

    assert _ad(http, ad)["call_to_action_id"] == portfolio_id
    after = _creative_once(http, ad, portfolio_id)
    assert (after["call_to_action"], after["call_to_actions"]) == ("LEARN_MORE", CTAS)
    unknown = open_api_call(
        http, ad, "ad/update/", adgroup_id=ad.adgroup_id,
        creatives=[{"ad_id": ad.ad_id, "call_to_action_id": "1234567890123456789"}],
    )  # fmt: skip
    assert (unknown["code"], unknown["data"]["error"]["reason"]) == (40002, "portfolio_not_found")
    assert _ad(http, ad)["call_to_action_id"] == portfolio_id


def test_the_official_sdk_creates_a_portfolio_and_an_ad_that_uses_it(server, http, cli):
    live = launch_spark_ad(http, cli, SLOVAKIA, caption="Bryndzové halušky")
    identity_id = _ad(http, live)["identity_id"]
    configuration = business_api_client.Configuration()
    configuration.host = server.base_url
    client = business_api_client.ApiClient(configuration)
    try:
        made = business_api_client.CreativeManagementApi(client).creative_portfolio_create(
            live.advertiser_token,
            body=business_api_client.PortfolioCreateBody(
                advertiser_id=live.advertiser_id,
                creative_portfolio_type="CTA",
                portfolio_content=[
                    business_api_client.CreativeportfoliocreatePortfolioContent(
                        asset_content=c, asset_ids=["0"]
                    )
                    for c in CTAS[:2]
                ],
            ),
        )
        portfolio_id = made["data"]["creative_portfolio_id"]
        ads = business_api_client.AdApi(client)
        created = ads.ad_create(
            live.advertiser_token,
            body=business_api_client.AdCreateBody(
                advertiser_id=live.advertiser_id,
                adgroup_id=live.adgroup_id,
                creatives=[
                    business_api_client.AdcreateCreatives(
                        ad_name="SDK dynamic CTA",
                        identity_type="AUTH_CODE",
                        identity_id=identity_id,
                        tiktok_item_id=live.item_id,
                        ad_format="SINGLE_VIDEO",
                        call_to_action_id=portfolio_id,
                        landing_page_url="https://brand.example.com/halusky",
                    )
                ],
            ),
        )
        [ad_id] = created["data"]["ad_ids"]
        got = ads.ad_get(
            live.advertiser_id,
            live.advertiser_token,
            filtering=business_api_client.FilteringAdGet(ad_ids=[ad_id]),
        )
    finally:
        client.pool.close()
        client.pool.join()
    [ad] = got["data"]["list"]
    assert (ad["ad_name"], ad["call_to_action_id"], ad["call_to_action"]) == (
        "SDK dynamic CTA",
        portfolio_id,
        None,
    )
