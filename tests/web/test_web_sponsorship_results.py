"""Creator Studio → sponsorships shows what sponsorship brought, for Spark codes too: the brands
using each authorized post, how and since when, the state, and the figures of their ads from real
delivery, by brand and in total, in English and French; a brand that has the post in its library
and no ad is said in words; reach under the privacy minimum is not given."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from factories import (
    Account,
    SparkWorld,
)
from factories.sponsorship import sponsored
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture
def world(client: TestClient, uow: UnitOfWork, clock: TestClock) -> tuple[SparkWorld, Account]:
    """Brand FR runs the post and three viewers engage with it; Glow Lab applied the same code
    and has no ad."""
    made = sponsored(client, uow, clock, "Glow Lab", engaged=3)
    sign_in(client, made.world.author.token)
    return made.world, made.other


def _row(page: str, brand: Account) -> str:
    """The post's row of one brand."""
    found = re.search(rf'<tr data-brand="{brand.id}" data-delivery=.*?</tr>', page, re.S)
    assert found is not None, page
    return found.group(0)


def test_page_lists_each_brand_with_what_its_ads_brought(
    world: tuple[SparkWorld, Account], client: TestClient
) -> None:
    made, other = world
    page = client.get("/studio/sponsorships")
    assert page.status_code == 200, page.text
    assert f'data-item-id="{made.post["item_id"]}"' in page.text
    shown = _row(page.text, made.brand)
    assert "Brand FR" in shown
    assert "Spark code" in shown
    assert 'data-state="ACTIVE">Active<' in shown
    for name in ("views_2s", "likes", "comments", "shares", "follows", "profile_visits"):
        assert f'data-figure="{name}">3<' in shown
    assert 'data-figure="impressions">3<' in shown
    assert 'data-figure="reach"><span title=' in shown  # three people: not given
    assert "under 100" in shown
    unused = _row(page.text, other)
    assert "In the brand's library, not yet used in a running ad." in html.unescape(unused)
    assert 'data-figure="views_2s">0<' in unused
    assert '<b data-kpi="views_2s">3</b>' in page.text
    assert '<b data-kpi="follows">3</b>' in page.text
    # the marketplace's collaborations stay on the page, empty here
    assert "No marketplace collaboration yet." in page.text


def test_page_in_french(world: tuple[SparkWorld, Account], client: TestClient) -> None:
    _made, other = world
    page = client.get("/studio/sponsorships", headers={"Accept-Language": "fr"}).text
    assert "Ce que le parrainage a apporté" in page
    assert "Vues payantes" in page
    assert "Code Spark" in page
    assert "moins de 100" in page
    assert "pas encore utilisée dans une publicité diffusée" in _row(page, other)


def test_period_counts_only_its_days_and_says_why_nothing_shows(
    world: tuple[SparkWorld, Account], client: TestClient, clock: TestClock
) -> None:
    made, _other = world
    clock.advance(timedelta(days=10))
    sign_in(client, made.author.token)  # the web session has timed out
    recent = client.get("/studio/sponsorships", params={"days": "7"}).text
    assert '<option value="7" selected>' in recent
    assert '<b data-kpi="views_2s">0</b>' in recent
    assert "Shown before, not in this period." in _row(recent, made.brand)
    since_start = client.get("/studio/sponsorships").text
    assert '<b data-kpi="views_2s">3</b>' in since_start


def test_an_unknown_period_shows_everything(
    world: tuple[SparkWorld, Account], client: TestClient
) -> None:
    page = client.get("/studio/sponsorships", params={"days": "²"})
    assert page.status_code == 200
    assert '<option value="0" selected>' in page.text


def test_an_expired_code_is_said(
    world: tuple[SparkWorld, Account], client: TestClient, clock: TestClock
) -> None:
    made, _other = world
    clock.advance(timedelta(days=31))  # the code was for 30 days
    sign_in(client, made.author.token)
    page = client.get("/studio/sponsorships").text
    assert 'data-state="CODE_EXPIRED">Code expired<' in _row(page, made.brand)
