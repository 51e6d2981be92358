"""Event intake (issue 19): a batch over 1,000 events is refused whole, a malformed event is
rejected alone, the same batch through two workers (two apps on one database) is stored and billed
once, and a batch that fails halfway leaves nothing behind (events, ledger, counters, budget)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

import sparkads.events.service
from factories import PARIS_VIEWER, Account, ask, create_ad, feed, spark_world
from sparkads.api.app import create_app
from sparkads.api.native.feed_schemas import EventsOut
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.engine import budget_lines
from sparkads.events.models import Event, SpendEntry
from sparkads.posts.models import Post

KINDS = ("impression", "view_2s", "click", "like")


def _tokens(
    client: TestClient, uow: UnitOfWork, clock: TestClock, n: int
) -> tuple[Account, list[str]]:
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    client.app.state.world = world  # type: ignore[attr-defined]
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    tokens = [
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{i}"})[0]["token"]
        for i in range(n)
    ]
    return app_feed, tokens


def _stored(uow: UnitOfWork) -> tuple[int, int, int]:
    session = uow.session
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Event)) or 0,
        session.scalar(select(func.count()).select_from(SpendEntry)) or 0,
        session.scalar(select(func.coalesce(func.sum(SpendEntry.amount), 0))) or 0,
    )


def test_a_batch_of_1001_events_is_refused_whole(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed, [token] = _tokens(client, uow, clock, 1)
    events = [{"token": token, "type": "impression"}] * 1_001
    answer = client.post(
        "/api/v1/events",
        headers={**app_feed.bearer, "Accept-Language": "fr"},
        json={"events": events},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "too_many_events", error
    assert "1001" in error["message"]  # in French, as asked, with the count and the limit
    assert "1000" in error["message"]
    assert error["message"].startswith("Trop d'événements")
    assert error["solution"]
    assert _stored(uow) == (0, 0, 0)
    # 1,000 is the largest batch taken
    taken = client.post("/api/v1/events", headers=app_feed.bearer, json={"events": events[:1000]})
    assert taken.status_code == 200
    assert (taken.json()["accepted"], taken.json()["duplicates"]) == (1, 999)


def test_a_malformed_event_is_rejected_alone(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed, [token] = _tokens(client, uow, clock, 1)
    events: list[Any] = [
        {"token": token, "type": "impression"},
        {"token": token, "type": "teleport"},  # unknown type
        {"type": "click"},  # no token
        {"token": token, "type": "click", "colour": "red"},  # unknown field
        "not an event",
        {"token": token, "type": "click"},
    ]
    answer = client.post("/api/v1/events", headers=app_feed.bearer, json={"events": events})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert EventsOut.model_validate(body).model_dump() == body  # the documented shape, exactly
    assert (body["accepted"], body["rejected"]) == (2, 4)
    results = body["results"]
    assert [r["index"] for r in results] == list(range(6))
    assert [r["status"] for r in results] == ["accepted"] + ["rejected"] * 4 + ["accepted"]
    assert {r["reason"] for r in results[1:5]} == {"invalid_event"}
    assert results[1]["detail"].startswith("type")
    assert results[2]["detail"].startswith("token")
    assert results[5]["billed"] > 0  # the click after the malformed ones is billed
    assert _stored(uow)[:2] == (2, 1)


def test_a_body_that_is_not_a_batch_is_refused_whole(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    for content in (b"{not json", b'{"events": []}', b'{"events": "x"}', b"[1, 2]"):
        answer = client.post(
            "/api/v1/events",
            headers={**app_feed.bearer, "Content-Type": "application/json"},
            content=content,
        )
        assert answer.status_code == 400, content
        assert answer.json()["error"]["code"] == "invalid_parameter"


def test_the_same_events_through_two_workers_are_stored_and_billed_once(
    client: TestClient, uow: UnitOfWork, clock: TestClock, settings: Settings
) -> None:
    """Two apps on one database, as two serve processes: each event lands once, the other copy
    is a duplicate wherever it arrives, and only the copy that landed is billed."""
    app_feed, tokens = _tokens(client, uow, clock, 12)
    events = [{"token": t, "type": k} for t in tokens for k in KINDS]
    batches = [events[i : i + 16] for i in range(0, len(events), 16)]
    with TestClient(create_app(settings, clock)) as other:

        def send(job: tuple[TestClient, list[dict[str, str]]]) -> dict[str, Any]:
            worker, batch = job
            response = worker.post(
                "/api/v1/events", headers=app_feed.bearer, json={"events": batch}
            )
            assert response.status_code == 200, response.text
            return dict(response.json())

        jobs = [(w, b) for b in batches for w in (client, other)]
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(send, jobs))
    assert sum(a["accepted"] for a in answers) == len(events)
    assert sum(a["duplicates"] for a in answers) == len(events)
    billed = sum(r["billed"] for a in answers for r in a["results"])
    stored, ledger_rows, spend = _stored(uow)
    assert (stored, ledger_rows) == (len(events), len(tokens))  # one billed click per decision
    assert spend == billed > 0
    [post] = uow.session.scalars(select(Post)).all()
    assert (post.paid_views, post.paid_likes) == (len(tokens), len(tokens))


def test_a_batch_that_fails_halfway_leaves_nothing(
    client: TestClient, uow: UnitOfWork, clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crash comes after the events were inserted and billed, before the batch commits: no
    event, no ledger row, no counter on the post, and the budget billed in memory is given back."""
    app_feed, tokens = _tokens(client, uow, clock, 5)
    events = [{"token": t, "type": k} for t in tokens for k in KINDS]
    counters = client.app.state.context.delivery.counters  # type: ignore[attr-defined]
    runtime = client.app.state.context.delivery  # type: ignore[attr-defined]
    group = runtime.store.snapshot.group(client.app.state.world.adgroup_id)  # type: ignore[attr-defined]
    assert group is not None

    def spent() -> int:
        day = clock.now().astimezone(group.timezone).date()
        return sum(counters.spent(line.key) for line in budget_lines(group, day))

    before = spent()

    def crash(*_: Any) -> None:
        raise RuntimeError("power cut halfway through the batch")

    monkeypatch.setattr(sparkads.events.service, "_count_on_posts", crash)
    with TestClient(client.app, raise_server_exceptions=False) as crashing:
        answer = crashing.post("/api/v1/events", headers=app_feed.bearer, json={"events": events})
    assert answer.status_code == 500
    assert _stored(uow) == (0, 0, 0)
    assert spent() == before
    monkeypatch.undo()
    again = client.post("/api/v1/events", headers=app_feed.bearer, json={"events": events})
    assert again.json()["accepted"] == len(events)  # sent again, all of it lands
    assert _stored(uow)[:2] == (len(events), len(tokens))
