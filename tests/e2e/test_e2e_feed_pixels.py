"""A feed names the pixel of its conversions on a real server: through sparkads.client, a
conversion with `pixel_code` and `event` is received by the ad account's pixel and counted once by
pixel/event/stats/ (attributed to the ad); another ad account's pixel refuses that conversion alone,
with its code and its words in French."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from factories.live_ad import LiveAd, launch_spark_ad, open_api_call
from factories.server import OPEN_API
from sparkads.client import Decision, Event, FeedClient

pytestmark = pytest.mark.e2e

CYPRUS = "146669"  # no other end-to-end test targets it


def _open_api(http: httpx.Client, ad: LiveAd, path: str, **body: Any) -> dict[str, Any]:
    answer = open_api_call(http, ad, path, **body)
    assert answer["code"] == 0, answer
    data: dict[str, Any] = answer["data"]
    return data


def _pixel(http: httpx.Client, ad: LiveAd) -> dict[str, Any]:
    pixel = _open_api(http, ad, "pixel/create/", pixel_name="Checkout")
    _open_api(
        http, ad, "pixel/event/create/", pixel_id=pixel["pixel_id"],
        pixel_events=[{"event_type": "COMPLETE_PAYMENT"}],
    )  # fmt: skip
    return pixel


def _stats(http: httpx.Client, ad: LiveAd, pixel_id: str, day: date) -> list[Any]:
    days = {"start_date": str(day - timedelta(days=1)), "end_date": str(day + timedelta(days=1))}
    answer = http.get(
        f"{OPEN_API}/pixel/event/stats/",
        headers={"Access-Token": ad.advertiser_token},
        params={
            "advertiser_id": ad.advertiser_id,
            "pixel_ids": json.dumps([pixel_id]),
            "date_range": json.dumps(days),
        },
    ).json()
    assert answer["code"] == 0, answer
    [entry] = answer["data"]["list"]
    return [
        (s["pixel_event_type"], s["total_count"], s["attributed_count"])
        for s in entry["statistics"]
    ]


def _first_decision(feed: FeedClient) -> Decision:
    """The snapshot shows a new ad within a fraction of a second."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        viewer = {"viewer_id": f"cy-{time.monotonic_ns()}", "country": "CY", "age": 35}
        decisions = feed.decide(viewer).decisions
        if decisions:
            return decisions[0]
        time.sleep(0.1)
    pytest.fail("no ad was live in Cyprus within 5 s")


def test_a_feed_conversion_counts_in_the_pixel_it_names(server, http, cli):
    ad = launch_spark_ad(http, cli, CYPRUS, caption="Halloumi, grilled")
    other = launch_spark_ad(http, cli, CYPRUS, caption="Loukoumades")
    ours, theirs = _pixel(http, ad), _pixel(http, other)
    now = datetime.fromisoformat(http.get("/api/v1/sandbox/clock").json()["now"])

    with FeedClient(server.base_url, ad.feed_token, language="fr") as feed:
        decision = _first_decision(feed)
        owner = ad if decision.ad_id == ad.ad_id else other
        foreign = theirs if owner is ad else ours
        pixel = ours if owner is ad else theirs
        token = decision.token
        sent = feed.send(
            [
                Event(token, "click"),
                Event(
                    token, "conversion", pixel_code=foreign["pixel_code"], event="COMPLETE_PAYMENT"
                ),
                Event(
                    token, "conversion", pixel_code=pixel["pixel_code"], event="COMPLETE_PAYMENT"
                ),
            ]
        )
        again = feed.send(
            [Event(token, "conversion", pixel_code=pixel["pixel_code"], event="COMPLETE_PAYMENT")]
        )

    click, refused, converted = sent.results
    assert (click.status, converted.status) == ("accepted", "accepted")
    assert (refused.status, refused.reason) == ("rejected", "pixel_of_another_ad_account")
    assert refused.detail == (
        f"Le pixel {foreign['pixel_code']} n'est pas un pixel du compte publicitaire "
        f"{owner.advertiser_id}, dont l'annonce a mené à cette conversion."
    )
    assert [r.status for r in again.results] == ["duplicate"]
    day = now.date()
    assert _stats(http, owner, pixel["pixel_id"], day) == [("COMPLETE_PAYMENT", 1, 1)]
    assert _stats(http, ad if owner is other else other, foreign["pixel_id"], day) == [
        ("COMPLETE_PAYMENT", 0, 0)
    ]
