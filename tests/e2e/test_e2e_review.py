"""Issue 20's acceptance on a real `sparkads serve --sandbox --review-by-people` (production's
review default): a caption with a prohibited word is rejected with its reason, read through the
official TikTok SDK's client; an approved ad serves within a second; a takedown stops delivery
within a second. Accounts and rules are made with the real CLI; nothing here imports sparkads."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import business_api_client
import httpx
import pytest

from factories.live_ad import LiveAd, launch_spark_ad
from factories.server import hermetic_env, serving

pytestmark = pytest.mark.e2e

LIVE_WITHIN = 1.0  # seconds
# Each test targets its own country on this module's server, so its ad is the only one there.
FRANCE, BELGIUM, LUXEMBOURG = "3017382", "2802361", "2960313"
COUNTRY = {FRANCE: "FR", BELGIUM: "BE", LUXEMBOURG: "LU"}
VIEWER = {
    "age": 31,
    "gender": "FEMALE",
    "language": "fr",
    "device": {"os": "IOS", "os_version": "17.2", "network": "WIFI"},
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    workdir = tmp_path_factory.mktemp("e2e-review")
    database_url = f"sqlite:///{workdir / 'review.db'}"
    with serving(workdir, database_url, "--review-by-people") as (base_url, _log):
        yield base_url, database_url, workdir


@pytest.fixture(scope="module")
def http(served: tuple[str, str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0], timeout=15) as client:
        yield client


@pytest.fixture(scope="module")
def cli(served: tuple[str, str, Path]) -> Callable[..., dict[str, Any]]:
    _, database_url, workdir = served

    def run(*args: str) -> dict[str, Any]:
        command = [sys.executable, "-m", "sparkads", *args, "--json"]
        command += ["--database-url", database_url]
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=workdir, env=hermetic_env(),
            timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed

    return run


@pytest.fixture(scope="module")
def reviewer(cli: Callable[..., dict[str, Any]]) -> dict[str, str]:
    token = cli("operators", "create", "--name", "Camille", "--role", "reviewer")["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def operator(cli: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return {"Authorization": f"Bearer {cli('operators', 'create')['access_token']}"}


def served_ads(http: httpx.Client, ad: LiveAd, location_id: str) -> list[str]:
    viewer = {**VIEWER, "country": COUNTRY[location_id], "viewer_id": uuid.uuid4().hex}
    answer = http.post(
        "/api/v1/feed/decisions",
        headers={"Authorization": f"Bearer {ad.feed_token}"},
        json={"viewer": viewer, "slots": 1},
    )
    assert answer.status_code == 200, answer.text
    return [d["ad_id"] for d in answer.json()["decisions"]]


def seconds_until(check: Callable[[], bool], limit: float = 5.0) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < limit, "never happened"
        time.sleep(0.02)
    return time.monotonic() - started


def sdk_review_info(base_url: str, ad: LiveAd, token: str) -> dict[str, Any]:
    """ad/review_info/ through the official SDK's client: the SDK (1.x) has no method of its own
    for this route, so it is called as the SDK's generated methods call theirs (query list in
    'multi' format, Access-Token header)."""
    configuration = business_api_client.Configuration()
    configuration.host = base_url
    client = business_api_client.ApiClient(configuration)
    try:
        client.call_api(
            "/open_api/v1.3/ad/review_info/", "GET",
            query_params=[("advertiser_id", ad.advertiser_id), ("ad_ids", [ad.ad_id])],
            header_params={"Access-Token": token, "Accept": "application/json"},
            response_type="InlineResponse200", collection_formats={"ad_ids": "multi"},
            _return_http_data_only=True,
        )  # fmt: skip
        answer: dict[str, Any] = json.loads(client.last_response.data)
    finally:
        client.pool.close()
        client.pool.join()
    assert answer["code"] == 0, answer
    return dict(answer["data"]["ad_review_map"][ad.ad_id])


def test_a_prohibited_word_is_rejected_with_its_reason_read_through_the_sdk(
    served: tuple[str, str, Path],
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
) -> None:
    word = f"zorb{uuid.uuid4().hex[:6]}"
    rule = cli("policy", "add", "prohibited_word", word)
    try:
        ad = launch_spark_ad(http, cli, FRANCE, caption=f"Crêpes {word} deal")
        info = sdk_review_info(served[0], ad, ad.advertiser_token)
    finally:
        cli("policy", "remove", rule["rule_id"])
    assert (info["is_approved"], info["review_status"]) == (False, "UNAVAILABLE")
    [reason] = info["reject_info"]
    assert reason["reason_code"] == "review_prohibited_word"
    assert reason["reasons"][0] == f"The caption contains a prohibited word: {word}."
    assert served_ads(http, ad, FRANCE) == []


def test_an_approved_ad_serves_within_a_second(
    http: httpx.Client, cli: Callable[..., dict[str, Any]], reviewer: dict[str, str]
) -> None:
    ad = launch_spark_ad(http, cli, BELGIUM, caption="Crêpes waiting for a reviewer")
    assert served_ads(http, ad, BELGIUM) == []
    queue = http.get("/api/v1/review/queue", headers=reviewer).json()
    assert ad.ad_id in [a["ad_id"] for a in queue["ads"]]
    approved = http.post(f"/api/v1/review/ads/{ad.ad_id}/approve", headers=reviewer)
    assert approved.status_code == 200, approved.text
    took = seconds_until(lambda: served_ads(http, ad, BELGIUM) == [ad.ad_id])
    print(f"[review] approved ad served {took:.3f} s after the approval")
    assert took < LIVE_WITHIN, f"served {took:.3f} s after approval"


def test_a_takedown_stops_delivery_within_a_second(
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    reviewer: dict[str, str],
    operator: dict[str, str],
) -> None:
    ad = launch_spark_ad(http, cli, LUXEMBOURG, caption="Crêpes, soon taken down")
    http.post(f"/api/v1/review/ads/{ad.ad_id}/approve", headers=reviewer)
    seconds_until(lambda: served_ads(http, ad, LUXEMBOURG) == [ad.ad_id])
    taken = http.post(
        f"/api/v1/operator/posts/{ad.item_id}/takedown",
        json={"reason": "counterfeit goods"},
        headers=operator,
    )
    assert taken.status_code == 200, taken.text
    took = seconds_until(lambda: served_ads(http, ad, LUXEMBOURG) == [])
    print(f"[review] delivery stopped {took:.3f} s after the takedown")
    assert took < LIVE_WITHIN, f"still served {took:.3f} s after the takedown"
    post = http.get(f"/api/v1/posts/{ad.item_id}", headers=ad.creator_bearer).json()
    assert (post["status"], post["status_reason"]) == ("TAKEN_DOWN", "counterfeit goods")
