"""Figures the reader's way (web.templating): a French page writes a budget "50,00" and money with
its decimal comma and grouping; a budget typed the French way ("50,5", "1 234,5") is read back;
the reports page has a totals row of summed counts and recomputed ratios (web.report_totals)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import spark_world
from factories.web import csrf_of, delivered_spark_ad, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _budget_field(page: str, object_id: str) -> str:
    found = re.search(rf'id="budget-{object_id}"[^>]*value="([^"]*)"', page)
    assert found, f"no budget field for {object_id}"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(("lang", "shown"), [("en", "50.00"), ("fr", "50,00")])
def test_the_campaign_budget_field_reads_the_reader_s_way(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, shown: str
) -> None:
    world = spark_world(client, uow, clock)  # a campaign of 50 a day
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", lang)

    page = client.get("/ads/campaigns").text

    assert _budget_field(page, world.campaign_id) == shown


@pytest.mark.parametrize(
    ("typed", "shown"), [("50,5", "50,50"), ("1\u202f234,5", "1234,50"), ("1 234.5", "1234,50")]
)
def test_a_budget_typed_the_french_way_is_saved(
    client: TestClient, uow: UnitOfWork, clock: TestClock, typed: str, shown: str
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", "fr")
    before = client.get("/ads/campaigns").text

    saved = client.post(
        f"/ads/campaigns/{world.campaign_id}/budget",
        data={"csrf_token": csrf_of(before), "budget": typed},
    )

    assert saved.status_code == 200, saved.text
    assert 'class="error-box"' not in saved.text, saved.text
    assert _budget_field(client.get("/ads/campaigns").text, world.campaign_id) == shown
    got = client.get(
        "/open_api/v1.3/campaign/get/",
        params={"advertiser_id": world.brand.id},
        headers={"Access-Token": world.brand.token},
    ).json()
    [campaign] = [c for c in got["data"]["list"] if c["campaign_id"] == world.campaign_id]
    assert float(campaign["budget"]) == float(shown.replace(",", "."))


def _cell(page: str, attribute: str) -> str:
    found = re.search(rf"<td [^>]*{attribute}[^>]*>(.*?)</td>", page, flags=re.S)
    assert found, attribute
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_the_report_has_a_totals_row_with_ratios_from_the_sums(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock, days=2)
    sign_in(client, world.brand.token)

    page = client.get("/ads/reports", params={"level": "campaign", "days": "7", "by": "day"})

    assert page.status_code == 200, page.text
    assert page.text.count('<tr>\n    <th scope="row">') == 2  # a row a day
    totals = page.text.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert _cell(totals, 'data-total="impressions"') == "4"
    assert _cell(totals, 'data-total="clicks"') == "1"
    assert _cell(totals, 'data-total="ctr"') == "25.00\u00a0%"  # 1 / 4, not (50 % + 0 %) / 2
    assert _cell(totals, 'data-total="reach"') == "—"  # the same two viewers both days
    assert _cell(totals, 'data-total="cost_per_conversion"') == "—"  # no conversion


def test_the_report_picks_its_columns_and_writes_figures_the_french_way(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock, days=2)
    sign_in(client, world.brand.token)

    page = client.get(
        "/ads/reports",
        params={"by": "day", "metric": ["likes", "ctr", "spend", "no_such_metric"]},
        headers={"Accept-Language": "fr"},
    ).text

    shown = [html.unescape(label)
             for label in re.findall(r'<th scope="col" class="num">([^<]+)</th>', page)]  # fmt: skip
    assert shown == ["Dépenses", "CTR", "J'aime"], shown  # in the table's order, none unknown
    assert 'data-metric="impressions"' not in page
    assert _cell(page.split("<tfoot>", 1)[1], 'data-total="ctr"') == "25,00\u00a0%"
    spend = _cell(page.split("<tfoot>", 1)[1], 'data-total="spend"')
    assert re.fullmatch(r"\d+,\d{2}\s€", spend), spend


@pytest.mark.parametrize(("lang", "tick"), [("en", ">0.5<"), ("fr", ">0,5<")])
def test_the_dashboard_charts_axes_are_written_the_reader_s_way(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, tick: str
) -> None:
    world = delivered_spark_ad(client, uow, clock, days=2)  # one click: the clicks' axis tops at 1
    sign_in(client, world.brand.token)

    page = client.get("/ads", params={"days": "7"}, headers={"Accept-Language": lang}).text

    chart = page.split('aria-labelledby="reach-chart-title"', 1)[1].split("</svg>", 1)[0]
    assert tick in chart, chart
