"""Ads Manager → an ad group's delivery: the engine's counted reasons, named, for the ad account that
owns the ad group only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factories import PARIS_VIEWER, advertiser, ask, create_ad, feed, spark_world
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _count(html: str, reason: str) -> int:
    found = re.search(rf'data-reason="{reason}">.*?data-count>([\d,]+)<', html, re.S)
    return int(found.group(1).replace(",", "")) if found else 0


def test_delivery_page_counts_why_the_ad_group_was_served_or_not(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    for n in range(3):
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"paris-{n}"})
    ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "berlin", "country": "DE"})
    sign_in(client, world.brand.token)

    campaigns = client.get("/ads/campaigns").text
    page = client.get(f"/ads/adgroups/{world.adgroup_id}/delivery")
    french = client.get(
        f"/ads/adgroups/{world.adgroup_id}/delivery", headers={"Accept-Language": "fr"}
    )

    assert f'href="/ads/adgroups/{world.adgroup_id}/delivery"' in campaigns
    assert page.status_code == 200, page.text
    assert 'data-live="yes"' in page.text
    assert _count(page.text, "served") == 3
    assert _count(page.text, "targeting") == 1
    assert "Viewer not targeted" in page.text
    assert "Spectateur non ciblé" in french.text


def test_another_ad_account_cannot_read_the_delivery(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    other = advertiser(uow, clock, name="Other brand")
    sign_in(client, other.token)

    response = client.get(f"/ads/adgroups/{world.adgroup_id}/delivery")

    assert response.status_code == 404
    assert 'data-error-code="object_not_found"' in response.text
