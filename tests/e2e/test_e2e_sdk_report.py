"""The official TikTok Business API Python SDK runs `report/integrated/get` against a real sparkads
server, and the numbers it reads back are the events the feed sent.

A creator's post is authorized and applied, a campaign, ad group and Spark ad are created through
the SDK, a feed (token from the real CLI) asks for decisions for viewers in France and reports
impressions and clicks; then `ReportingApi.report_integrated_get` reads BASIC / AUCTION_AD by
ad and day for "today" in the advertiser's timezone (Europe/Paris) on the sandbox clock, which
other tests of the session may have moved forward."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import business_api_client
import httpx
import pytest

from factories import PARIS_VIEWER

pytestmark = pytest.mark.e2e

FRANCE = "3017382"
PARIS = ZoneInfo("Europe/Paris")  # the advertisers of tests/e2e/conftest.py
SCHEDULE_START = "2026-01-01 00:00:00"  # any past instant: the ad group starts at once
# what each viewer did after the decision: 6 impressions, 3 clicks (billed, CPC), a few views
REACTIONS = (
    ("impression", "view_2s", "click"),
    ("impression",),
    ("impression", "view_2s", "view_6s", "click", "like"),
    ("impression", "view_2s"),
    ("impression",),
    ("impression", "click"),
)


@dataclass(frozen=True)
class Sdk:
    client: business_api_client.ApiClient
    campaigns: business_api_client.CampaignCreationApi
    adgroups: business_api_client.AdgroupApi
    ads: business_api_client.AdApi
    reports: business_api_client.ReportingApi

    def last_code(self) -> int:
        return int(json.loads(self.client.last_response.data)["code"])


@pytest.fixture
def sdk(server) -> Iterator[Sdk]:
    configuration = business_api_client.Configuration()
    configuration.host = server.base_url
    api_client = business_api_client.ApiClient(configuration)
    yield Sdk(
        client=api_client,
        campaigns=business_api_client.CampaignCreationApi(api_client),
        adgroups=business_api_client.AdgroupApi(api_client),
        ads=business_api_client.AdApi(api_client),
        reports=business_api_client.ReportingApi(api_client),
    )
    api_client.pool.close()
    api_client.pool.join()


@dataclass(frozen=True)
class LiveAd:
    advertiser_id: str
    token: str
    ad_id: str


@pytest.fixture
def live_ad(sdk: Sdk, applied_code) -> LiveAd:
    """A Spark ad built through the SDK on the applied code's post: fast pacing and a high CPC
    bid, so that it wins decisions next to the ads other tests of the session left running."""
    advertiser = applied_code.advertiser
    info = advertiser.video_info(applied_code.auth_code)
    assert info["code"] == 0, info
    identity_id = info["data"]["user_info"]["identity_id"]
    token, advertiser_id = advertiser.token, advertiser.advertiser_id
    campaign = sdk.campaigns.campaign_create(
        token,
        body=business_api_client.CampaignCreateBody(
            advertiser_id=advertiser_id,
            campaign_name="Report campaign",
            objective_type="TRAFFIC",
            budget_mode="BUDGET_MODE_DAY",
            budget=100,
        ),
    )
    adgroup = sdk.adgroups.adgroup_create(
        token,
        body=business_api_client.AdgroupCreateBody(
            advertiser_id=advertiser_id,
            campaign_id=campaign["data"]["campaign_id"],
            adgroup_name="Report adgroup",
            promotion_type="WEBSITE",
            placement_type="PLACEMENT_TYPE_NORMAL",
            placements=["PLACEMENT_TIKTOK"],
            location_ids=[FRANCE],
            budget_mode="BUDGET_MODE_DAY",
            budget=100,
            schedule_type="SCHEDULE_FROM_NOW",
            schedule_start_time=SCHEDULE_START,
            optimization_goal="CLICK",
            billing_event="CPC",
            bid_type="BID_TYPE_CUSTOM",
            bid_price=3,
            pacing="PACING_MODE_FAST",
        ),
    )
    ad = sdk.ads.ad_create(
        token,
        body=business_api_client.AdCreateBody(
            advertiser_id=advertiser_id,
            adgroup_id=adgroup["data"]["adgroup_id"],
            creatives=[
                business_api_client.AdcreateCreatives(
                    ad_name="Report ad",
                    identity_type="AUTH_CODE",
                    identity_id=identity_id,
                    tiktok_item_id=applied_code.post["item_id"],
                    ad_format="SINGLE_VIDEO",
                    call_to_action="SHOP_NOW",
                    landing_page_url="https://brand.example.com/report",
                )
            ],
        ),
    )
    [ad_id] = ad["data"]["ad_ids"]
    return LiveAd(advertiser_id=advertiser_id, token=token, ad_id=ad_id)


@pytest.fixture
def feed(cli: Callable[..., dict[str, Any]]) -> dict[str, str]:
    created = cli("feeds", "create", "--name", f"report-feed-{uuid.uuid4().hex[:8]}")
    return {"Authorization": f"Bearer {created['access_token']}"}


def _paris_today(http: httpx.Client) -> date:
    response = http.get("/api/v1/sandbox/clock")
    assert response.status_code == 200, response.text
    now = datetime.fromisoformat(response.json()["now"].replace("Z", "+00:00"))
    return now.astimezone(PARIS).date()


def _decisions_for(
    http: httpx.Client, feed: dict[str, str], ad_id: str, count: int
) -> list[dict[str, Any]]:
    """`count` decisions for our ad, each for a new viewer in Paris (other ads of the session
    may win some slots too: those decisions are left without events)."""
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + 10  # the snapshot picks the new ad up within ~0.1 s
    while len(found) < count and time.monotonic() < deadline:
        viewer = {**PARIS_VIEWER, "viewer_id": f"report-{uuid.uuid4().hex[:12]}"}
        response = http.post(
            "/api/v1/feed/decisions", headers=feed, json={"viewer": viewer, "slots": 10}
        )
        assert response.status_code == 200, response.text
        mine = [d for d in response.json()["decisions"] if d["ad_id"] == ad_id]
        if mine:
            found.append(mine[0])
        else:
            time.sleep(0.05)
    assert len(found) == count, f"only {len(found)} decisions for the new ad within 10 s"
    return found


def _as_money(micros: int) -> str:
    """How the report renders money: the account currency, 2 decimals, half up."""
    return str((Decimal(micros) / 1_000_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_sdk_report_integrated_get_counts_the_events_sent_when_feed_reported_them(
    sdk: Sdk, live_ad: LiveAd, feed: dict[str, str], http: httpx.Client
) -> None:
    today = _paris_today(http)  # the sandbox clock moves only when a test advances it
    decisions = _decisions_for(http, feed, live_ad.ad_id, len(REACTIONS))
    sent = [
        {"token": decision["token"], "type": kind}
        for decision, kinds in zip(decisions, REACTIONS, strict=True)
        for kind in kinds
    ]
    response = http.post("/api/v1/events", headers=feed, json={"events": sent})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["accepted"] == len(sent), answer
    billed = sum(result["billed"] for result in answer["results"])
    kinds = Counter(event["type"] for event in sent)

    result = sdk.reports.report_integrated_get(
        report_type="BASIC",
        access_token=live_ad.token,
        advertiser_id=live_ad.advertiser_id,
        service_type="AUCTION",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day"],
        metrics=["spend", "impressions", "clicks", "ctr"],
        start_date=today.isoformat(),
        end_date=today.isoformat(),
        filtering=[
            {
                "field_name": "ad_ids",
                "filter_type": "IN",
                "filter_value": json.dumps([live_ad.ad_id]),
            }
        ],
        page=1,
        page_size=10,
    )

    assert sdk.last_code() == 0
    assert result["data"]["page_info"]["total_number"] == 1, result
    [row] = result["data"]["list"]
    assert row["dimensions"] == {
        "ad_id": live_ad.ad_id,
        "stat_time_day": f"{today.isoformat()} 00:00:00",
    }
    metrics = row["metrics"]
    assert metrics["impressions"] == str(kinds["impression"]) == "6"
    assert metrics["clicks"] == str(kinds["click"]) == "3"
    assert metrics["ctr"] == "50.00"  # clicks / impressions × 100, 2 decimals
    assert billed > 0  # CPC: each of the 3 clicks was billed
    assert metrics["spend"] == _as_money(billed)


def test_sdk_report_integrated_get_totals_match_rows_when_lifetime_by_ad(
    sdk: Sdk, live_ad: LiveAd, feed: dict[str, str], http: httpx.Client
) -> None:
    decisions = _decisions_for(http, feed, live_ad.ad_id, 2)
    click = {"token": decisions[0]["token"], "type": "click"}
    sent = [{"token": d["token"], "type": "impression"} for d in decisions] + [click]
    answer = http.post("/api/v1/events", headers=feed, json={"events": sent}).json()
    assert answer["accepted"] == 3, answer
    again = http.post("/api/v1/events", headers=feed, json={"events": [click]}).json()
    assert again["duplicates"] == 1, again  # the feed retried: counted (and billed) once

    result = sdk.reports.report_integrated_get(
        report_type="BASIC",
        access_token=live_ad.token,
        advertiser_id=live_ad.advertiser_id,
        data_level="AUCTION_AD",
        dimensions=["ad_id"],
        metrics=["impressions", "clicks", "ctr", "ad_name", "currency"],
        query_lifetime=True,
        enable_total_metrics=True,
    )

    assert sdk.last_code() == 0
    [row] = result["data"]["list"]
    assert row["dimensions"] == {"ad_id": live_ad.ad_id}
    assert row["metrics"] == {
        "impressions": "2",
        "clicks": "1",
        "ctr": "50.00",
        "ad_name": "Report ad",
        "currency": "EUR",
    }
    assert result["data"]["total_metrics"] == {"impressions": "2", "clicks": "1", "ctr": "50.00"}
