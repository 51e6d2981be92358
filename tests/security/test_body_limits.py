"""Body-size limits (issue 16): refused with 413 in each surface's error shape, whether the size
is declared or only discovered while the body streams in, before any JSON is decoded."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from factories import feed
from sparkads.api.body_limits import (
    DEFAULT_LIMIT,
    EVENTS_LIMIT,
    FILE_LIMIT,
    VIDEO_LIMIT,
    limit_for,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b'{"events": ['
    sent = 12
    while sent < total:
        yield b" " * size
        sent += size


def test_each_route_family_has_its_limit() -> None:
    assert limit_for("/api/v1/events") == EVENTS_LIMIT
    assert limit_for("/open_api/v1.3/file/video/ad/upload/") == VIDEO_LIMIT
    assert limit_for("/open_api/v1.3/dmp/custom_audience/file/upload/") == FILE_LIMIT
    assert limit_for("/studio/posts") == VIDEO_LIMIT
    assert limit_for("/open_api/v1.3/campaign/create/") == DEFAULT_LIMIT
    assert limit_for("/signin") == DEFAULT_LIMIT


def test_declared_oversized_events_body_is_413_in_the_native_shape(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    body = b'{"events": [' + b" " * (EVENTS_LIMIT + 1) + b"]}"
    response = client.post(
        "/api/v1/events",
        content=body,
        headers={**app_feed.bearer, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "body_too_large"
    assert str(EVENTS_LIMIT) in error["message"]
    assert error["cause"]
    assert error["solution"]


def test_streamed_body_without_a_length_is_cut_off_at_the_limit(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    response = client.post(
        "/api/v1/events",
        content=_chunks(EVENTS_LIMIT * 3),
        headers={**app_feed.bearer, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_unauthenticated_oversized_body_is_refused_before_the_token_is_looked_at(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/v1/events", content=_chunks(EVENTS_LIMIT * 2), headers={"Accept-Language": "fr"}
    )
    assert response.status_code == 413
    assert "octets" in response.json()["error"]["message"]


def test_open_api_oversized_body_is_413_in_the_envelope(client: TestClient) -> None:
    response = client.post(
        "/open_api/v1.3/campaign/create/",
        content=b"{" + b" " * DEFAULT_LIMIT + b"}",
        headers={"Content-Type": "application/json", "Access-Token": "x"},
    )
    assert response.status_code == 413
    body = response.json()
    assert body["data"]["error"]["reason"] == "body_too_large"
    assert body["code"] != 0


def test_web_form_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post("/signin", data={"token": "x" * (DEFAULT_LIMIT + 10)})
    assert response.status_code == 413


def test_bodies_under_the_limit_pass(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    app_feed = feed(uow, clock)
    # the largest batch allowed (1,000 events, long tokens): over the default limit, under events'
    events = [{"token": "a." + "b" * 1500, "type": "like"}] * 1000
    response = client.post("/api/v1/events", json={"events": events}, headers=app_feed.bearer)
    assert len(response.request.content) > DEFAULT_LIMIT
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["reason"] == "token_malformed"
