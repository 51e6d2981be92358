"""A day reads one way per kind of place, the locale's own: in tables (the tokens page, the
console's days, the dashboard's days) the medium date ("Nov 2, 2026", "2 nov. 2026"), on a
chart's axis the same without the year; never "2 Nov 2026" in English next to "Nov 2, 2026"."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from factories import advertiser, operator
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

# the test clock's day (conftest.START: 2026-11-02 09:00 UTC), in tables and on a chart's axis
MEDIUM = {"en": "Nov 2, 2026", "fr": "2 nov. 2026"}
AXIS = {"en": "Nov 2", "fr": "2 nov."}
# English day-month order in any form ("2 Nov 2026", "2 Nov"): the style this test retires
DAY_FIRST_EN = re.compile(r">\s*\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _cells(page: str, selector: str) -> list[str]:
    return [cell.strip() for cell in re.findall(selector, page)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_tokens_page_and_the_console_show_a_day_as_a_table_does(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    tokens = client.get("/tokens", headers={"Accept-Language": lang}).text
    assert f"<td>{MEDIUM[lang]}</td>" in tokens  # the token's creation day
    assert lang == "fr" or not DAY_FIRST_EN.search(tokens)

    sign_in(client, operator(uow, clock).token)
    console = client.get("/console", headers={"Accept-Language": lang}).text
    days = _cells(console, r'<tr data-day="[\d-]{10}"><td>([^<]+)</td>')
    assert days, console
    assert days[0] == MEDIUM[lang]  # newest first: today
    assert all(" 2026" in day and len(day) < 13 for day in days), days  # medium, not long


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dashboard_s_days_and_chart_read_like_the_tables(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    page = client.get("/ads", params={"days": "7"}, headers={"Accept-Language": lang}).text
    days = _cells(page, r'<tr data-day="[\d-]{10}"><td>([^<]+)</td>')
    assert MEDIUM[lang] in days, days
    assert f">{AXIS[lang]}<" in page  # the chart's label of the same day
    assert lang == "fr" or not DAY_FIRST_EN.search(page)
