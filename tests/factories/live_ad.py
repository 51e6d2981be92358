"""A live Spark ad on a running server, made as its users make it: accounts with the CLI, a post
and its Spark code through the native API, the campaign through the TikTok-compatible open API;
and a feed token. Each call targets what the caller asks, so tests sharing one server keep their
ads apart (a country no other test targets, or an interest)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from factories.server import OPEN_API


@dataclass(frozen=True)
class LiveAd:
    item_id: str
    ad_id: str
    adgroup_id: str
    advertiser_id: str
    creator_bearer: dict[str, str]
    feed_token: str
    caption: str
    advertiser_token: str = ""


def launch_spark_ad(
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    location_id: str,
    caption: str = "Crêpes in 12 s",
    call_to_action: str = "SHOP_NOW",
) -> LiveAd:
    tag = uuid.uuid4().hex[:8]
    creator = cli("creators", "create", "--handle", f"feed.{tag}")
    brand = cli(
        "advertisers", "create", "--name", f"Brand {tag}", "--currency", "EUR",
        "--timezone", "Europe/Paris",
    )  # fmt: skip
    feed = cli("feeds", "create", "--name", f"app {tag}")
    bearer = {"Authorization": f"Bearer {creator['access_token']}"}
    post = http.post("/api/v1/posts", headers=bearer, json={"caption": caption, "duration": 12})
    assert post.status_code in (200, 201), post.text
    item_id = post.json()["item_id"]
    made = http.post(
        f"/api/v1/posts/{item_id}/authorizations", headers=bearer, json={"duration_days": 7}
    )
    assert made.status_code in (200, 201), made.text
    code = made.json()["auth_code"]
    access = {"Access-Token": brand["access_token"]}
    advertiser_id = brand["advertiser_id"]

    def open_api(path: str, **body: Any) -> dict[str, Any]:
        answer: dict[str, Any] = http.post(
            f"{OPEN_API}/{path}", headers=access, json={"advertiser_id": advertiser_id, **body}
        ).json()
        assert answer["code"] == 0, answer
        data: dict[str, Any] = answer["data"]
        return data

    open_api("tt_video/authorize/", auth_code=code)
    identity = http.get(
        f"{OPEN_API}/tt_video/info/",
        headers=access,
        params={"advertiser_id": advertiser_id, "auth_code": code},
    ).json()["data"]["user_info"]["identity_id"]
    campaign = open_api(
        "campaign/create/", campaign_name=f"Feed {tag}", objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY", budget=50,
    )  # fmt: skip
    group = open_api(
        "adgroup/create/", campaign_id=campaign["campaign_id"], adgroup_name="Feed",
        promotion_type="WEBSITE", location_ids=[location_id], budget_mode="BUDGET_MODE_DAY",
        budget=20, schedule_type="SCHEDULE_FROM_NOW", optimization_goal="CLICK",
        billing_event="CPC", bid_price=1,
    )  # fmt: skip
    ad = open_api(
        "ad/create/",
        adgroup_id=group["adgroup_id"],
        creatives=[
            {
                "identity_type": "AUTH_CODE",
                "identity_id": identity,
                "tiktok_item_id": item_id,
                "call_to_action": call_to_action,
                "landing_page_url": "https://brand.example.com/crepes",
            }
        ],
    )
    return LiveAd(
        item_id=item_id,
        ad_id=ad["ad_ids"][0],
        adgroup_id=group["adgroup_id"],
        advertiser_id=advertiser_id,
        creator_bearer=bearer,
        feed_token=feed["access_token"],
        caption=caption,
        advertiser_token=brand["access_token"],
    )


def open_api_call(http: httpx.Client, ad: LiveAd, path: str, **body: Any) -> dict[str, Any]:
    """POST an open API path as the live ad's ad account: the whole envelope."""
    answer: dict[str, Any] = http.post(
        f"{OPEN_API}/{path}",
        headers={"Access-Token": ad.advertiser_token},
        json={"advertiser_id": ad.advertiser_id, **body},
    ).json()
    return answer
