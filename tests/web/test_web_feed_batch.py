"""The feed preview measures views with @sparkads/feed: the page carries each sponsored post's
decision token and loads the built package; nothing is counted until the browser reports it to
POST /feed/batch (signed in, CSRF token in a header), which records events as POST /api/v1/events
does: once per (decision, type), a refused request recording nothing."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import create_ad, spark_world
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event

FEED = "/feed?country=FR&age=27&viewer=batch-viewer"


def _page(client: TestClient) -> tuple[str, str]:
    html = client.get(FEED).text
    token = re.search(r'data-sparkads-token="([^"]+)"', html)
    csrf = re.search(r'data-sparkads-csrf="([^"]+)"', html)
    assert token is not None, html
    assert csrf is not None
    return token.group(1), csrf.group(1)


def _recorded(uow: UnitOfWork) -> int:
    uow.session.expire_all()
    return int(uow.session.scalar(select(func.count()).select_from(Event)) or 0)


def _batch(client: TestClient, csrf: str, *events: tuple[str, str]) -> dict[str, object]:
    response = client.post(
        "/feed/batch",
        headers={"X-CSRF-Token": csrf},
        json={"events": [{"token": t, "type": kind} for t, kind in events]},
    )
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def test_preview_counts_views_only_when_the_package_reports_them(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)

    token, csrf = _page(client)
    page = client.get(FEED).text
    assert page.count('<script type="module" src="/static/feed-preview.js"></script>') == 1
    assert "<title>Feed preview · sparkads</title>" in page  # no markup inside the title
    assert _recorded(uow) == 0  # shown is not seen: no impression at render

    first = _batch(client, csrf, (token, "impression"), (token, "view_2s"))
    again = _batch(client, csrf, (token, "impression"), (token, "view_6s"))

    assert (first["accepted"], first["duplicates"]) == (2, 0)
    assert (again["accepted"], again["duplicates"]) == (1, 1)
    assert _recorded(uow) == 3


def test_preview_batch_refuses_without_csrf_or_with_an_unknown_type(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)
    token, csrf = _page(client)
    body = {"events": [{"token": token, "type": "impression"}]}

    forged = client.post("/feed/batch", headers={"X-CSRF-Token": "forged"}, json=body)
    unknown = client.post(
        "/feed/batch",
        headers={"X-CSRF-Token": csrf},
        json={"events": [{"token": token, "type": "impression"}, {"token": token, "type": "nap"}]},
    )
    naive = client.post(
        "/feed/batch",
        headers={"X-CSRF-Token": csrf},
        json={"events": [{"token": token, "type": "like", "occurred_at": "2026-11-02T10:00:00"}]},
    )
    empty = client.post("/feed/batch", headers={"X-CSRF-Token": csrf}, json={"events": []})

    assert forged.status_code == 403
    assert unknown.status_code == 400
    assert 'data-error-code="invalid_parameter"' in unknown.text
    assert "events.1.type" in unknown.text
    assert naive.status_code == 400
    assert "events.0.occurred_at" in naive.text
    assert empty.status_code == 400
    assert _recorded(uow) == 0


def test_preview_batch_needs_a_signed_in_user(client: TestClient) -> None:
    response = client.post(
        "/feed/batch",
        json={"events": [{"token": "t", "type": "like"}]},
        follow_redirects=False,
    )
    assert response.status_code in (303, 401)


def test_the_web_app_serves_the_built_package(client: TestClient) -> None:
    package = client.get("/static/sparkads-feed.js")
    preview = client.get("/static/feed-preview.js")

    assert package.status_code == 200
    assert package.headers["content-type"].startswith("text/javascript")
    assert package.text.startswith("// @sparkads/feed ")
    assert "export{" in package.text
    assert 'from "./sparkads-feed.js"' in preview.text


def test_preview_counters_after_a_batch_and_its_messages_in_the_page(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)
    token, csrf = _page(client)
    french = client.get(FEED, headers={"Accept-Language": "fr"}).text
    item_id = world.post["item_id"]

    before = client.get(f"/feed/counters/{item_id}").json()
    _batch(client, csrf, (token, "like"))
    after = client.get(f"/feed/counters/{item_id}").json()
    missing = client.get("/feed/counters/404404404")

    assert (before["paid_likes"], after["paid_likes"]) == ("0", "1")
    assert int(after["likes"].replace(",", "")) == int(before["likes"].replace(",", "")) + 1
    assert missing.status_code == 404
    assert 'data-error-code="object_not_found"' in missing.text
    said = json.loads(html.unescape(re.findall(r"data-messages='([^']*)'", french)[0]))
    assert said["like"] == "J'aime compté sur la publication d'origine."
    assert said["refused"] == "Refusé : {reason}"


def test_without_javascript_the_buttons_still_send_their_event(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)
    token, csrf = _page(client)
    form = {"csrf_token": csrf, "token": token, "item_id": world.post["item_id"], "type": "like"}

    first = client.post("/feed/events", data={**form, "next": FEED})
    again = client.post("/feed/events", data=form, headers={"Accept": "application/json"})

    assert first.status_code == 200  # followed the redirect back to the feed
    assert "Like counted on the original post." in first.text
    assert again.json()["status"] == "duplicate"
    assert again.json()["counters"]["paid_likes"] == "1"
    assert _recorded(uow) == 1
