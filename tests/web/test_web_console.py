"""The operator console through a plain HTTP client: its figures are the platform's real
traffic log, rollups and counters, it says when there is too little data, it lists the feeds'
tokens, and only operators open it."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import ask, create_ad, feed, operator, send_events, spark_world
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting.models import AdDayRollup


def _kpi(page: str, name: str) -> str:
    found = re.search(rf'data-kpi="{name}">([^<]*)<', page)
    assert found is not None, name
    return html.unescape(found.group(1))


def test_the_console_shows_the_platform_s_real_figures(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    served = [ask(client, app_feed, {"viewer_id": f"v{n}", "country": "FR", "age": 30})
              for n in range(120)]  # fmt: skip
    tokens = [decisions[0]["token"] for decisions in served if decisions]
    assert len(tokens) > 50
    send_events(client, app_feed, *[(token, "impression") for token in tokens])

    sign_in(client, operator(uow, clock).token)
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/console"
    page = client.get("/console")
    assert page.status_code == 200, page.text
    text = page.text

    assert "data-too-little" not in text  # 120 logged requests (the sandbox logs every one)
    assert _kpi(text, "requests") == "120"
    assert _kpi(text, "impressions") == str(len(tokens))
    with uow:
        rolled = uow.session.scalar(select(func.sum(AdDayRollup.impressions)))
    assert rolled == len(tokens)
    # one slot per request: the fill rate is the share of requests that got the ad
    assert _kpi(text, "fill_rate") == f"{len(tokens) / 120:.2%}"
    top = text.split('data-top="advertisers"', 1)[1].split("</ol>", 1)[0]
    assert f'data-id="{world.brand.id}"' in top
    creators = text.split('data-top="creators"', 1)[1].split("</ol>", 1)[0]
    assert f"@{world.author.handle}" in creators
    assert f'data-feed="{app_feed.id}"' in text
    assert app_feed.token not in text  # a token's secret is never shown
    assert 'data-reason="served"' in text
    assert "data-review-queue" in text

    french = client.get("/console", headers={"Accept-Language": "fr"})
    assert "Console de la plateforme" in html.unescape(french.text)


def test_with_too_little_data_the_console_says_so(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    ask(client, app_feed)
    sign_in(client, operator(uow, clock).token)
    page = client.get("/console?days=1")
    assert "data-too-little" in page.text
    assert "Too little data to judge yet." in page.text
    assert _kpi(page.text, "fill_rate") == "—"
    assert _kpi(page.text, "requests") == "1"


def test_only_operators_open_the_console(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    refused = client.get("/console")
    assert refused.status_code == 403
    assert 'data-error-code="wrong_token_scope"' in refused.text
