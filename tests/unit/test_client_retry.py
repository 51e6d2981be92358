"""sparkads.client's retries over real HTTP, against a scripted local server (a real socket and
HTTP exchange; the answers are the test's): transient failures are retried with back-off or the
server's Retry-After, refusals never; decisions, which are not idempotent, are retried only when
the server cannot have acted on them."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from factories.aio import in_own_loop
from factories.server import free_port
from sparkads.client import (
    AsyncFeedClient,
    ClientError,
    Event,
    FeedClient,
    RetryPolicy,
    UnavailableError,
)

ACCEPTED = {
    "accepted": 1,
    "duplicates": 0,
    "rejected": 0,
    "results": [{"index": 0, "status": "accepted", "reason": None, "billed": 0}],
}
DECIDED = {"decisions": [], "snapshot_version": 3}
REFUSED = {
    "error": {
        "code": "invalid_parameter",
        "message": "Invalid value for events.0.type",
        "cause": "c",
        "solution": "s",
    }
}


class Scripted:
    """Answers each request with the next (status, headers, body) of its script."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], Any]] = []
        self.received: list[tuple[str, Any]] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                scripted.received.append((self.path, body))
                status, headers, answer = scripted.script.pop(0)
                content = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.close()


def _client(url: str, waits: list[float]) -> FeedClient:
    policy = RetryPolicy(attempts=4, base=0.5, cap=4.0, random=random.Random(1))
    return FeedClient(url, "feed-token", retry=policy, sleep=waits.append)


def test_events_are_retried_after_5xx_with_growing_back_off(scripted: Scripted) -> None:
    scripted.script = [(503, {}, {}), (502, {}, {}), (200, {}, ACCEPTED)]
    waits: list[float] = []
    with _client(scripted.url, waits) as feed:
        outcome = feed.send([Event("t", "like")])

    assert outcome.accepted == 1
    assert outcome.results[0].status == "accepted"
    assert [path for path, _ in scripted.received] == ["/api/v1/events"] * 3
    assert (
        scripted.received[0][1]
        == scripted.received[2][1]
        == {"events": [{"token": "t", "type": "like"}]}
    )
    assert len(waits) == 2
    assert 0.25 <= waits[0] <= 0.5
    assert 0.5 <= waits[1] <= 1.0


def test_retry_after_is_obeyed_within_the_cap(scripted: Scripted) -> None:
    scripted.script = [(429, {"Retry-After": "2"}, {}), (429, {"Retry-After": "60"}, {}),
                       (200, {}, ACCEPTED)]  # fmt: skip
    waits: list[float] = []
    with _client(scripted.url, waits) as feed:
        feed.send([Event("t", "impression")])

    assert waits == [2.0, 4.0]


def test_a_refused_request_is_never_retried(scripted: Scripted) -> None:
    scripted.script = [(400, {}, REFUSED)]
    waits: list[float] = []
    with _client(scripted.url, waits) as feed, pytest.raises(ClientError) as refused:
        feed.send([Event("t", "play_25")])

    assert len(scripted.received) == 1
    assert waits == []
    assert (refused.value.status, refused.value.code) == (400, "invalid_parameter")
    assert (refused.value.cause, refused.value.solution) == ("c", "s")
    assert not isinstance(refused.value, UnavailableError)


def test_giving_up_says_unavailable_with_the_last_answer(scripted: Scripted) -> None:
    scripted.script = [(503, {}, {"error": {"code": "busy", "message": "m"}})] * 4
    waits: list[float] = []
    with _client(scripted.url, waits) as feed, pytest.raises(UnavailableError) as down:
        feed.send([Event("t", "like")])

    assert len(scripted.received) == 4
    assert len(waits) == 3
    assert (down.value.status, down.value.code) == (503, "busy")


def test_nobody_listening_is_retried_then_unavailable() -> None:
    waits: list[float] = []
    with _client(f"http://127.0.0.1:{free_port()}", waits) as feed:
        with pytest.raises(UnavailableError) as down:
            feed.send([Event("t", "like")])
        with pytest.raises(UnavailableError):
            feed.decide({"viewer_id": "v", "country": "FR"})

    assert down.value.code == "unreachable"
    assert len(waits) == 6  # 3 waits for the events, 3 for the decision (never sent)


def test_a_decision_is_retried_on_503_but_not_on_500(scripted: Scripted) -> None:
    scripted.script = [(503, {}, {}), (200, {}, DECIDED), (500, {}, {})]
    waits: list[float] = []
    with _client(scripted.url, waits) as feed:
        answer = feed.decide({"viewer_id": "v", "country": "FR"}, slots=2)
        with pytest.raises(ClientError) as failed:
            feed.decide({"viewer_id": "v", "country": "FR"})

    assert answer.decisions == ()
    assert answer.snapshot_version == 3
    assert scripted.received[0][1] == {"viewer": {"viewer_id": "v", "country": "FR"}, "slots": 2}
    assert len(scripted.received) == 3
    assert failed.value.status == 500


def test_big_sends_go_in_batches_of_1000_with_indexes_kept(scripted: Scripted) -> None:
    def answer(count: int, status: str) -> dict[str, Any]:
        return {
            "accepted": count if status == "accepted" else 0,
            "duplicates": count if status == "duplicate" else 0,
            "rejected": 0,
            "results": [
                {"index": i, "status": status, "reason": None, "billed": 0} for i in range(count)
            ],
        }

    scripted.script = [(200, {}, answer(1000, "accepted")), (200, {}, answer(500, "duplicate"))]
    with _client(scripted.url, []) as feed:
        outcome = feed.send([Event(f"t{i}", "impression") for i in range(1500)])

    assert [len(body["events"]) for _, body in scripted.received] == [1000, 500]
    assert (outcome.accepted, outcome.duplicates) == (1000, 500)
    assert [r.index for r in outcome.results] == list(range(1500))


def test_async_client_retries_the_same_way(scripted: Scripted) -> None:
    scripted.script = [(503, {}, {}), (200, {}, ACCEPTED)]
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    async def run() -> int:
        policy = RetryPolicy(attempts=3, base=0.5, cap=4.0, random=random.Random(1))
        async with AsyncFeedClient(scripted.url, "t", retry=policy, sleep=no_wait) as feed:
            return (await feed.send([Event("t", "like")])).accepted

    assert in_own_loop(run()) == 1
    assert len(waits) == 1
    assert len(scripted.received) == 2
