"""A time on a page says its zone (docs/web.md: "UTC"), the way API texts shown on pages say it:
the post page's publication time, its code's end and its history; the history of an ad account
in the account's own zone, named (EN and FR)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import authorize_post, creator, publish, spark_world
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

# the test clock's moment (conftest.START: 2026-11-02 09:00 UTC), the reader's way, with its zone
PUBLISHED = {"en": "Nov 2, 2026, 9:00:00\u202fAM UTC", "fr": "2 nov. 2026, 09:00:00 UTC"}
TIME = re.compile(r"\d{1,2}:\d{2}:\d{2}(?:\u202f[AP]M)?")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_time_on_the_post_page_names_utc(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str
) -> None:
    lea = creator(uow, clock, handle="lea.zones")
    post = publish(client, lea)
    authorize_post(client, lea, post["item_id"])
    sign_in(client, lea.token)

    page = html.unescape(
        client.get(f"/studio/posts/{post['item_id']}", headers={"Accept-Language": lang}).text
    )

    assert PUBLISHED[lang] in page
    times = [page[m.end() : m.end() + 4] for m in TIME.finditer(page)]
    assert times, page
    assert all(after == " UTC" for after in times), times


def test_an_account_history_names_the_account_zone(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    page = html.unescape(client.get(f"/ads/history/campaign/{world.campaign_id}").text)
    times = [page[m.end() : m.end() + 16] for m in TIME.finditer(page)]
    assert times, page
    assert all(after.startswith((" UTC", " (Europe/")) for after in times), times
