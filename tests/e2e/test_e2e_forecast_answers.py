"""A forecast on a real `sparkads serve` (no sandbox: one feed request in ten is logged) says what
it stands on and why it is zero, and never reaches more viewers than the audience.

- too little traffic: the refusal says the sample rate and the feed requests needed (EN and FR);
- a bid under the reserve: zero, reason `bid`, with the bid that would have won; that bid wins;
- reach counts distinct viewers: 150 viewers asking ten times each are 150 at most, not the
  sampled viewers times ten;
- `sparkads forecast` gives the same reason in the same words."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.server import cli_json, serving

pytestmark = pytest.mark.e2e

FRANCE = "3017382"
VIEWERS, ASKS = 150, 10  # 1,500 feed requests: about 150 sampled at 10 %


def test_forecasts_say_why_and_reach_stays_within_the_audience(tmp_path: Path) -> None:
    database = tmp_path / "answers.db"
    with serving(tmp_path, f"sqlite:///{database}", sandbox=False) as (base_url, _log):
        _forecasts_on(base_url, database)


def _cli(database: Path, *args: str) -> dict[str, Any]:
    return cli_json(database, *args, cwd=database.parent)  # the server's key files (var/)


def _forecasts_on(base_url: str, database: Path) -> None:
    brand = _cli(database, "advertisers", "create", "--name", "Brand", "--currency", "EUR",
                 "--timezone", "Europe/Paris")  # fmt: skip
    feed = _cli(database, "feeds", "create", "--name", "phone app")
    advertiser = {"Authorization": f"Bearer {brand['access_token']}"}
    body = {"advertiser_id": brand["advertiser_id"], "budget": 50, "billing_event": "CPM",
            "optimization_goal": "REACH", "objective_type": "REACH",
            "targeting": {"location_ids": [FRANCE]}}  # fmt: skip
    with httpx.Client(base_url=base_url, timeout=30) as http:

        def forecast(bid: float, lang: str = "en") -> httpx.Response:
            return http.post("/api/v1/forecasts", json={**body, "bid_price": bid},
                             headers={**advertiser, "Accept-Language": lang})  # fmt: skip

        refused = forecast(5).json()["error"]
        assert refused["code"] == "forecast_no_basis"
        assert "(one feed request in 10 is sampled, 10%)" in refused["message"]
        assert "so about 1000 feed requests at this sample rate" in refused["cause"]
        french = forecast(5, "fr").json()["error"]
        assert "(une requête du fil sur 10 est échantillonnée, 10 %)" in french["message"]
        assert "soit environ 1000 requêtes du fil" in french["cause"]

        for ask in range(ASKS):
            for n in range(VIEWERS):
                viewer = {"viewer_id": f"person-{n}", "country": "FR", "age": 20 + n % 30}
                answer = http.post("/api/v1/feed/decisions", json={"viewer": viewer},
                                   headers={"Authorization": f"Bearer {feed['access_token']}"})  # fmt: skip
                assert answer.status_code == 200, (ask, answer.text)
        deadline = time.monotonic() + 15  # the intake flushes every second
        delivered = forecast(5)
        while delivered.status_code == 409 and time.monotonic() < deadline:
            time.sleep(0.3)
            delivered = forecast(5)
        assert delivered.status_code == 200, delivered.text
        answer = delivered.json()
        assert answer["audience_size"] == VIEWERS
        assert answer["zero_reason"] is None
        impressions, reach = answer["daily"]["impressions"], answer["daily"]["reach"]
        assert impressions["low"] > VIEWERS  # each asks ten times: more impressions than people
        assert 0.5 * VIEWERS <= reach["low"] <= reach["high"] <= VIEWERS
        assert 0 < answer["reach_standard_error"] < VIEWERS / 2  # sampled: an estimate, and said

        outbid = forecast(0.01)  # a cent per thousand impressions: under the 0.50 EUR reserve
        assert outbid.status_code == 200, outbid.text
        zero = outbid.json()["zero_reason"]
        assert zero["code"] == "bid"
        assert zero["message"].startswith("No delivery expected: the bid won none of the")
        assert zero["winning_bid"] == 0.5
        assert zero["solution"].startswith("A bid of €0.50 would have won the cheapest of them.")
        assert outbid.json()["daily"]["impressions"]["high"] == 0
        in_french = forecast(0.01, "fr").json()["zero_reason"]
        assert in_french["code"] == "bid"
        assert in_french["solution"].startswith("Une enchère de 0,50\xa0€ aurait remporté")
        winning = forecast(zero["winning_bid"]).json()
        assert winning["zero_reason"] is None
        assert winning["daily"]["impressions"]["high"] > 0

    cli = _cli(database, "forecast", "--advertiser-id", brand["advertiser_id"], "--targeting",
               json.dumps({"location_ids": [FRANCE]}), "--budget", "50", "--bid", "0.01",
               "--billing-event", "CPM", "--optimization-goal", "REACH")  # fmt: skip
    assert cli["zero_reason"] == zero
