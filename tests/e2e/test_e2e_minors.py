"""Sponsored posts and minors, on the real server: a viewer under 13 gets no sponsored post and the
answer says why (`viewer_below_minimum_age`, in the viewer's language); a minor in the EEA still
sees an ad group without profiling, but not once interests are added to it, and that ad group's
update warns about it and its diagnosis counts `minor_profiling`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from factories.live_ad import launch_spark_ad
from factories.server import OPEN_API

pytestmark = pytest.mark.e2e

MALTA = "2562770"  # no other end-to-end test targets it: this test's ad is the only one there
LIVE_WITHIN = 5.0  # seconds (changes are applied within about 1 s)


def _ask(http: httpx.Client, feed: dict[str, str], lang: str = "en", **viewer: Any) -> Any:
    answer = http.post(
        "/api/v1/feed/decisions",
        headers={**feed, "Accept-Language": lang},
        json={"viewer": {"country": "MT", **viewer}},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _until(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + LIVE_WITHIN
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_children_get_nothing_and_minors_no_profiled_ads(
    http: httpx.Client, cli: Callable[..., dict[str, Any]]
) -> None:
    live = launch_spark_ad(http, cli, MALTA, caption="Pastizzi for everyone")
    feed = {"Authorization": f"Bearer {live.feed_token}"}
    grown = {"viewer_id": "adult-0", "age": 30}
    assert _until(lambda: bool(_ask(http, feed, **grown)["decisions"]))  # the ad is live

    for age in (5, 12):
        answer = _ask(http, feed, viewer_id=f"kid-{age}", age=age, interests=["101"])
        assert answer["decisions"] == []
        [warning] = answer["warnings"]
        assert (warning["code"], warning["field"]) == ("viewer_below_minimum_age", "viewer.age")
        assert f"aged {age}" in warning["message"]
        assert warning["solution"].startswith("Nothing to fix")
    french = _ask(http, feed, "fr", viewer_id="kid-fr", age=5)["warnings"][0]
    assert french["message"].startswith("Aucun post sponsorisé pour un spectateur de 5 ans")

    # every age ticked, no profiling: a 15-year-old in Malta sees it, without any warning
    teen = {"viewer_id": "teen-1", "age": 15, "interests": ["101"]}
    answer = _ask(http, feed, **teen)
    assert [d["ad_id"] for d in answer["decisions"]] == [live.ad_id]
    assert answer["warnings"] == []

    updated = http.post(
        f"{OPEN_API}/adgroup/update/",
        headers={"Access-Token": live.advertiser_token, "Accept-Language": "fr"},
        json={"advertiser_id": live.advertiser_id, "adgroup_id": live.adgroup_id,
              "location_ids": [MALTA], "interest_category_ids": ["101"]},
    ).json()  # fmt: skip
    assert updated["code"] == 0, updated
    [warned] = updated["data"]["warnings"]
    assert warned["code"] == "minors_see_no_profiled_ads"
    assert "MT" in warned["message"]
    assert "13 à 17 ans" in warned["message"]  # in the request's language, no "fr" key
    assert set(warned) == {"code", "message", "cause", "solution"}

    assert _until(lambda: _ask(http, feed, **teen)["decisions"] == [])
    adult = _ask(http, feed, viewer_id="adult-1", age=30, interests=["101"])
    assert [d["ad_id"] for d in adult["decisions"]] == [live.ad_id]
    diagnosis = http.get(
        f"/api/v1/delivery/adgroups/{live.adgroup_id}/diagnosis",
        headers={"Authorization": f"Bearer {live.advertiser_token}"},
    )
    assert diagnosis.status_code == 200, diagnosis.text
    assert diagnosis.json()["reasons"]["minor_profiling"] >= 1
