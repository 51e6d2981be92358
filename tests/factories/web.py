"""The web app through a plain HTTP client, as a browser without JavaScript uses it."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from factories import PARIS_VIEWER, SparkWorld, ask, create_ad, feed, send_events, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, token: str) -> None:
    """Sign in with an access token, as the sign-in page does (whoever was signed in before)."""
    client.cookies.clear()
    csrf = csrf_of(client.get("/signin").text)
    response = client.post("/signin", data={"token": token, "csrf_token": csrf})
    assert response.status_code == 200, response.text


def delivered_spark_ad(
    client: TestClient, uow: UnitOfWork, clock: TestClock, days: int = 1
) -> SparkWorld:
    """A live Spark ad shown to two viewers on each of `days` days (a day apart on the clock), the
    first viewer clicking on the first day: what the reports read."""
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    for day in range(days):
        if day:
            clock.advance(timedelta(days=1))
        for n in range(2):
            [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{n}"})
            send_events(client, app_feed, (decision["token"], "impression"))
            if day == 0 and n == 0:
                send_events(client, app_feed, (decision["token"], "click"))
    return world


WizardFields = dict[str, str | list[str]]


def wizard_step(client: TestClient, page: str, fields: WizardFields) -> str:
    """Submit the campaign wizard's form as a browser would: its hidden state plus the step's
    fields; the page the POST-redirect-GET opens."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        data.setdefault(name, []).append(value)
    for name, value in fields.items():
        data[name] = value if isinstance(value, list) else [value]
    response = client.post("/ads/campaigns/new", data=data)
    assert response.status_code == 200, response.text
    assert [r.status_code for r in response.history] == [303]  # POST-redirect-GET
    return response.text
