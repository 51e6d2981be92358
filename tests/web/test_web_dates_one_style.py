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


def _days(page: str) -> list[str]:
    """The first cells of a table's day rows (the console's days, the dashboard's)."""
    return [cell.strip() for cell in re.findall(r'<tr data-day="[\d-]{10}"><td>([^<]+)</td>', page)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_day_reads_the_same_in_every_table_and_on_the_chart(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str
) -> None:
    said = {"Accept-Language": lang}
    sign_in(client, advertiser(uow, clock).token)
    tokens = client.get("/tokens", headers=said).text
    assert re.search(rf"<td[^>]*>{re.escape(MEDIUM[lang])}</td>", tokens)  # its creation day
    dashboard = client.get("/ads", params={"days": "7"}, headers=said).text
    assert MEDIUM[lang] in _days(dashboard), _days(dashboard)
    assert f">{AXIS[lang]}<" in dashboard  # the chart's label of the same day
    assert lang == "fr" or not DAY_FIRST_EN.search(tokens + dashboard)

    sign_in(client, operator(uow, clock).token)
    days = _days(client.get("/console", headers=said).text)
    assert days[0] == MEDIUM[lang], days  # newest first: today
    assert all(" 2026" in day and len(day) < 13 for day in days), days  # medium, not long
