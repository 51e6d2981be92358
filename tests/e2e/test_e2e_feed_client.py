"""sparkads.client against a real server process: decisions and events, sync and async, with typed
answers; a repeat is a duplicate, never a second count; refusals are ClientError with the server's
code, cause and solution (never retried); and the simulator's HTTP mode goes through it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.aio import in_own_loop
from factories.live_ad import LiveAd, launch_spark_ad
from sparkads.client import AsyncFeedClient, ClientError, Decision, Event, FeedClient
from sparkads.delivery.model import Viewer
from sparkads.simulation.traffic import OverHttp, SimEvent

pytestmark = pytest.mark.e2e

PORTUGAL = "2264397"  # no other end-to-end test targets it
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "feed-integration.md"


@pytest.fixture(scope="module")
def live_ad(http: httpx.Client, cli: Any) -> LiveAd:
    return launch_spark_ad(http, cli, PORTUGAL, caption="Pastéis de nata, step by step")


def _viewer(name: str) -> dict[str, Any]:
    return {"viewer_id": name, "country": "PT", "age": 31, "language": "pt"}


def _decision(feed: FeedClient, name: str) -> Decision:
    answer = feed.decide(_viewer(name))
    [decision] = answer.decisions
    assert answer.snapshot_version >= 1
    return decision


def _paid(http: httpx.Client, ad: LiveAd) -> dict[str, int]:
    paid: dict[str, int] = http.get(
        f"/api/v1/posts/{ad.item_id}", headers=ad.creator_bearer
    ).json()["paid"]
    return paid


def test_sync_client_decides_and_sends_events_once(server, http, live_ad):
    before = _paid(http, live_ad)
    # The server runs on the sandbox clock (other tests move it): events are timed on it.
    sandbox_now = datetime.fromisoformat(http.get("/api/v1/sandbox/clock").json()["now"])
    with FeedClient(server.base_url, live_ad.feed_token) as feed:
        decision = _decision(feed, "client-sync")
        first = feed.send(
            [Event(decision.token, "impression"), Event(decision.token, "view_2s"),
             Event(decision.token, "like", sandbox_now)]
        )  # fmt: skip
        again = feed.send([Event(decision.token, "like")])
        nobody = feed.decide({"viewer_id": "client-de", "country": "DE"})

    assert decision.item_id == live_ad.item_id
    assert decision.sponsored
    assert decision.creative["call_to_action"] == "SHOP_NOW"
    assert (first.accepted, first.duplicates, first.rejected) == (3, 0, 0)
    assert [r.status for r in first.results] == ["accepted"] * 3
    assert (again.accepted, again.duplicates) == (0, 1)
    assert all(d.item_id != live_ad.item_id for d in nobody.decisions)
    after = _paid(http, live_ad)
    assert after["likes"] == before["likes"] + 1
    assert after["views"] == before["views"] + 1


def test_async_client_decides_and_sends(server, http, live_ad):
    async def run() -> tuple[Decision, int, int]:
        async with AsyncFeedClient(server.base_url, live_ad.feed_token) as feed:
            answer = await feed.decide(_viewer("client-async"))
            [decision] = answer.decisions
            sent = await feed.send([Event(decision.token, "impression"), Event("forged", "click")])
            return decision, sent.accepted, sent.rejected

    decision, accepted, rejected = in_own_loop(run())

    assert decision.item_id == live_ad.item_id
    assert (accepted, rejected) == (1, 1)


def test_refusals_are_client_errors_with_the_servers_words(server, live_ad):
    with (
        FeedClient(server.base_url, "not-a-token", language="fr") as stranger,
        pytest.raises(ClientError) as refused,
    ):
        stranger.decide(_viewer("client-stranger"))
    with FeedClient(server.base_url, live_ad.feed_token) as feed:
        decision = _decision(feed, "client-bad-type")
        # a malformed event is refused alone, in the batch's answer; the others go on
        outcome = feed.send([Event(decision.token, "nap"), Event(decision.token, "like")])
        with pytest.raises(ValueError, match="timezone"):
            feed.send([Event(decision.token, "like", datetime(2026, 12, 6, 10))])

    assert refused.value.status == 401
    assert refused.value.code
    assert refused.value.solution
    (bad_type, like) = outcome.results
    assert (bad_type.status, bad_type.reason) == ("rejected", "invalid_event")
    assert bad_type.detail
    assert "type" in bad_type.detail
    assert like.status == "accepted"


def test_simulator_over_http_uses_the_client(server, http, live_ad, operator_token):
    transport = OverHttp(server.base_url, live_ad.feed_token, operator_token)
    viewer = Viewer(viewer_id="client-sim", country="PT", age=40, interests=("101",))
    before = _paid(http, live_ad)

    try:
        [served] = transport.decide(viewer, 1)
        now = transport.now()
        transport.send(
            [SimEvent(served.token, "view_2s", now), SimEvent(served.token, "like", now)]
        )
    finally:
        transport.close()

    assert isinstance(transport.feed, FeedClient)
    assert served.item_id == live_ad.item_id
    after = _paid(http, live_ad)
    assert after["likes"] == before["likes"] + 1
    assert after["views"] == before["views"] + 1


def test_the_guides_python_example_runs_as_written(server, live_ad, capsys):
    """docs/feed-integration.md's example, pointed at this server and at this test's country."""
    [example] = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.S)
    code = example.replace("http://127.0.0.1:8000", server.base_url).replace('"FR"', '"PT"')
    exec(compile(code, str(GUIDE), "exec"), {"feed_token": live_ad.feed_token})

    assert capsys.readouterr().out.split() == ["1", "0", "accepted"]
