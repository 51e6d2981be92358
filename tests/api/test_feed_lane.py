"""The lean lane of `POST /api/v1/feed/decisions` (`api/feed_lane.py`): a well-formed request
from a cached feed token is answered without FastAPI's route; everything else reaches the route
with its body intact, so errors are the route's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from factories import PARIS_VIEWER, Account, ask, create_ad, feed, spark_world
from factories.logs import json_logs
from sparkads.api.context import AppContext
from sparkads.api.feed_lane import LIMIT, DecisionLane, answer_json, decide
from sparkads.api.native.feed import decisions_out
from sparkads.api.native.feed_schemas import DecisionRequest
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery import tokens
from sparkads.errors import SparkadsError


class RecordingRoute:
    """Stands where the feed app's route is: answers 418 and keeps the bodies it was given."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, more = b"", True
        while more:
            message: Message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def lane(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> tuple[TestClient, RecordingRoute, Account, Account]:
    """A live Spark ad, a feed token the app has already seen (so it is in the principal cache),
    and the lane in front of a recording route, sharing the app's context."""
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    assert len(ask(client, app_feed)) == 1  # through the app: resolves and caches the token
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]
    route = RecordingRoute()
    return TestClient(DecisionLane(route, context)), route, app_feed, world.author


def _post(client: TestClient, headers: dict[str, str], body: Any) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/api/v1/feed/decisions",
        headers={"content-type": "application/json", **headers},
        content=content,
    )


def test_a_cached_feed_token_is_answered_by_the_lane_as_the_route_does(
    client: TestClient, lane: tuple[TestClient, RecordingRoute, Account, Account]
) -> None:
    fast, route, app_feed, _ = lane
    body = {"viewer": {**PARIS_VIEWER, "viewer_id": "viewer-2"}, "slots": 2}
    through_lane = _post(fast, app_feed.bearer, body)
    assert through_lane.status_code == 200
    assert through_lane.headers["content-type"] == "application/json"
    assert route.bodies == []  # the route was not needed
    through_app = client.post("/api/v1/feed/decisions", headers=app_feed.bearer, json=body)
    fast_answer, app_answer = through_lane.json(), through_app.json()
    assert fast_answer.keys() == app_answer.keys() == {"decisions", "snapshot_version", "warnings"}
    [fast_decision] = fast_answer["decisions"]
    [app_decision] = app_answer["decisions"]
    assert fast_decision.keys() == app_decision.keys()
    for same in ("ad_id", "adgroup_id", "item_id", "sponsored", "label", "creative"):
        assert fast_decision[same] == app_decision[same]
    assert fast_decision["decision_id"] != app_decision["decision_id"]
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]
    claims = tokens.verify(
        fast_decision["token"],
        context.delivery.config.verification_keys,
        context.clock.now().timestamp(),
    )
    assert claims.feed_id == app_feed.id


def test_warnings_come_back_through_the_lane_in_the_viewers_language(
    lane: tuple[TestClient, RecordingRoute, Account, Account],
) -> None:
    fast, route, app_feed, _ = lane
    viewer = {**PARIS_VIEWER, "viewer_id": "viewer-3", "interests": ["999999999"]}
    answer = _post(fast, {**app_feed.bearer, "accept-language": "fr"}, {"viewer": viewer})
    assert answer.status_code == 200
    assert route.bodies == []
    [warning] = answer.json()["warnings"]
    assert warning["code"] == "viewer_attribute_clipped"
    assert warning["field"] == "viewer.interests"
    french = SparkadsError("viewer_attribute_clipped", field="viewer.interests", value="999999999")
    assert warning["message"] == french.render("fr")["message"] != french.render("en")["message"]


@pytest.mark.parametrize(
    "case",
    ["no token", "unknown token", "creator token", "invalid JSON", "extra field", "text/plain"],
)
def test_anything_else_reaches_the_route_with_its_body(
    lane: tuple[TestClient, RecordingRoute, Account, Account], case: str
) -> None:
    fast, route, app_feed, author = lane
    headers: dict[str, str] = dict(app_feed.bearer)
    body: bytes = json.dumps({"viewer": PARIS_VIEWER}).encode()
    if case == "no token":
        headers = {}
    elif case == "unknown token":
        headers = {"authorization": "Bearer not-a-token"}
    elif case == "creator token":  # cached too (the author made the post through the app)
        headers = dict(author.bearer)
    elif case == "invalid JSON":
        body = b'{"viewer": '
    elif case == "extra field":
        body = json.dumps({"viewer": PARIS_VIEWER, "bid": 1}).encode()
    else:
        headers["content-type"] = "text/plain"
    answer = _post(fast, headers, body)
    assert answer.status_code == 418
    assert route.bodies == [body]


class CountingFallback:
    """Wraps the lane's fallback (the app's middleware stack) and counts what reaches it."""

    def __init__(self, stack: Any) -> None:
        self.stack, self.calls = stack, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await self.stack(scope, receive, send)


@pytest.fixture
def front(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> tuple[TestClient, CountingFallback, Account]:
    """The app as served: its lane in front, with the fallback counted; a live ad and a feed
    token already cached."""
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    assert len(ask(client, app_feed)) == 1
    lane = client.app.lane  # type: ignore[attr-defined]
    assert isinstance(lane, DecisionLane)
    counted = CountingFallback(lane.fallback)
    lane.fallback = counted
    return client, counted, app_feed


SECURITY = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
)


def test_the_app_answers_in_front_of_its_stack_with_the_same_headers(
    front: tuple[TestClient, CountingFallback, Account],
) -> None:
    client, counted, app_feed = front
    body = {"viewer": {**PARIS_VIEWER, "viewer_id": "viewer-4"}, "slots": 2}
    answer = _post(client, app_feed.bearer, body)
    assert answer.status_code == 200
    assert counted.calls == 0  # neither FastAPI's stack nor the route was needed
    assert int(answer.headers["content-length"]) == len(answer.content)
    healthz = client.get("/healthz")  # an answer of the stack, with its security headers
    for name in SECURITY:
        assert answer.headers[name] == healthz.headers[name], name
    refused = _post(client, app_feed.bearer, {"viewer": PARIS_VIEWER, "bid": 1})
    assert counted.calls == 1
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_parameter"
    for name in SECURITY:
        assert refused.headers[name] == healthz.headers[name], name


def test_the_lanes_json_is_the_routes(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]
    viewer = {**PARIS_VIEWER, "viewer_id": "viewer-5", "interests": ["999999999"]}
    request = DecisionRequest.model_validate({"viewer": viewer, "slots": 3})
    decided = decide(context, request.viewer.to_domain(), 3, request.placement, "feed-x")
    assert decided.chosen  # a decision and a warning, both written
    assert decided.clipped
    for language in ("en", "fr", None):
        route = decisions_out(decided, language).model_dump_json().encode()
        assert answer_json(decided, language) == route


@pytest.mark.parametrize("declared", [True, False])
def test_a_body_over_the_limit_is_the_apps_413(
    front: tuple[TestClient, CountingFallback, Account], declared: bool
) -> None:
    client, counted, app_feed = front
    opening = json.dumps({"viewer": PARIS_VIEWER})[:-1].encode()

    def chunks() -> Iterator[bytes]:
        yield opening
        for _ in range(LIMIT // 65_536 + 2):
            yield b" " * 65_536

    content: bytes | Iterator[bytes] = b"".join(chunks()) if declared else chunks()
    answer = client.post(
        "/api/v1/feed/decisions",
        headers={**app_feed.bearer, "content-type": "application/json"},
        content=content,
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "body_too_large"
    assert counted.calls == 1


def test_json_logs_see_the_lanes_answers_once_with_their_id(
    settings: Settings, clock: TestClock, uow: UnitOfWork
) -> None:
    with json_logs(settings, clock) as (app, stream):
        with TestClient(app) as client:
            world = spark_world(client, uow, clock)
            assert create_ad(client, world)["code"] == 0
            app_feed = feed(uow, clock)
            first = _post(
                client, {**app_feed.bearer, "X-Request-Id": "lb-1"}, {"viewer": PARIS_VIEWER}
            )
            again = _post(
                client, {**app_feed.bearer, "X-Request-Id": "lb-2"}, {"viewer": PARIS_VIEWER}
            )
        assert first.status_code == again.status_code == 200
        assert (first.headers["x-request-id"], again.headers["x-request-id"]) == ("lb-1", "lb-2")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        access = [
            line["request_id"]
            for line in lines
            if line["logger"] == "sparkads.access" and line["path"] == "/api/v1/feed/decisions"
        ]
        assert access == ["lb-1", "lb-2"]  # the first through the route, the second the lane
