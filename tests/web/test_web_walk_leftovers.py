"""What a newcomer's walk through the pages left over, each through a plain HTTP client in English
and French: one heading per page section, dates in the reader's language, the feed preview's
batch refusals translated, wizard refusals naming the field's label, and the console's counter
saying since when it counts."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from factories import create_ad, spark_world
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

FR = {"Accept-Language": "fr"}


def _headings(page: str) -> list[tuple[str, str]]:
    """(level, text) of each h1–h3 of a page, tags inside stripped."""
    found = re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", page, flags=re.S)
    return [(level, re.sub(r"<[^>]+>", "", text).strip()) for level, text in found]


def test_the_campaigns_page_names_its_campaigns_once(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)

    english = _headings(client.get("/ads/campaigns").text)
    french = _headings(client.get("/ads/campaigns", headers=FR).text)
    page = client.get("/ads/campaigns").text

    assert [text for _, text in english].count("Campaigns") == 1
    assert ("1", "Campaigns") in english
    assert [text for _, text in french].count("Campagnes") == 1
    assert ("2", "Ad groups") in english
    assert ("2", "Ads") in english
    assert 'id="campaigns"' in page  # a status change still comes back to /ads/campaigns#campaigns
    assert 'data-campaign-id="' in page.split('id="campaigns"', 1)[1].split('id="adgroups"', 1)[0]
