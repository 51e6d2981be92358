"""Ads Manager → reports and recommendations, and Creator Studio → sponsorships, through a plain
HTTP client: the pages render from real delivery, the CSV is the same rows, and the one-click budget
action needs its CSRF token."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient

from factories import (
    PARIS_VIEWER,
    ask,
    create_ad,
    feed,
    send_events,
    spark_world,
)
from factories.web import csrf_of, delivered_spark_ad, sign_in
from sparkads.campaigns.models import AdGroup
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting.recommendations import Recommendation
from sparkads.services import reports  # the web reads recommendations through it
from sparkads.web.i18n import localized_text


def test_reports_page_shows_the_kpis_per_campaign_and_day(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)

    page = client.get("/ads/reports", params={"level": "campaign", "days": "7", "by": "day"})

    assert page.status_code == 200, page.text
    assert 'aria-current="page">Reports<' in page.text
    assert '<td class="num" data-metric="impressions" data-col="Impressions">2</td>' in page.text
    assert '<td class="num" data-metric="reach" data-col="Reach">2</td>' in page.text
    assert '<td class="num" data-metric="clicks" data-col="Clicks">1</td>' in page.text
    assert "6 s views" in page.text
    assert 'href="/ads/reports.csv?level=campaign&amp;days=7&amp;by=day"' in page.text
    # days in words, the reader's way (the CSV keeps ISO days)
    for lang, month in (
        ("en", r"[A-Z][a-z]{2} \d{1,2}, \d{4}"),
        ("fr", r"\d{1,2} [a-zéû]+\.? \d{4}"),
    ):
        shown = client.get("/ads/reports", headers={"Accept-Language": lang}).text
        days = re.findall(
            r'<td class="nowrap" data-day="([\d-]{10})" data-col="[^"]+">([^<]+)</td>', shown
        )
        assert days, shown
        assert all(re.fullmatch(month, text) for _, text in days), days


def test_ratios_with_nothing_to_divide_by_are_a_dash_on_the_page_and_empty_in_the_csv(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)  # one click, no conversion
    sign_in(client, world.brand.token)
    params = {"level": "campaign", "days": "7", "by": "total"}

    page = client.get("/ads/reports", params=params).text

    cpa = page.split('data-metric="cost_per_conversion" data-col="CPA">')[1].split("</td>")[0]
    assert ">—</span>" in cpa, cpa
    cpc = page.split('data-metric="cpc" data-col="CPC">')[1].split("</td>")[0]
    assert "—" not in cpc, cpc  # one click: CPC is defined
    [row] = list(csv.DictReader(io.StringIO(client.get("/ads/reports.csv", params=params).text)))
    assert row["cost_per_conversion"] == ""
    assert row["cpc"] != ""


def test_reports_page_in_total_per_ad_in_french(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)

    page = client.get(
        "/ads/reports",
        params={"level": "ad", "days": "30", "by": "total"},
        headers={"Accept-Language": "fr"},
    )

    assert page.status_code == 200, page.text
    assert "Rapports" in page.text
    assert '<td class="num" data-metric="impressions" data-col="Impressions">2</td>' in page.text


def test_report_downloads_as_csv_with_the_same_rows(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)

    response = client.get("/ads/reports.csv", params={"level": "adgroup", "by": "total"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["adgroup_id"] == world.adgroup_id
    assert (row["impressions"], row["reach"], row["clicks"], row["ctr"]) == ("2", "2", "1", "50.00")


def test_reports_break_down_by_who_saw_the_ads(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)

    by_age = client.get("/ads/reports", params={"level": "campaign", "by": "age"})
    by_country = client.get(
        "/ads/reports", params={"level": "ad", "by": "country"}, headers={"Accept-Language": "fr"}
    )
    by_gender = client.get("/ads/reports.csv", params={"level": "adgroup", "by": "gender"})

    assert by_age.status_code == 200, by_age.text
    assert '<td data-dimension="age" data-col="Age">25–34</td>' in by_age.text
    assert '<td class="num" data-metric="impressions" data-col="Impressions">2</td>' in by_age.text
    assert by_country.status_code == 200, by_country.text
    assert '<td data-dimension="country_code" data-col="Pays">France</td>' in by_country.text
    assert "Par pays" in by_country.text
    [row] = list(csv.DictReader(io.StringIO(by_gender.text)))
    assert (row["adgroup_id"], row["gender"], row["clicks"]) == (world.adgroup_id, "FEMALE", "1")


def test_reports_need_a_signed_in_advertiser(client: TestClient) -> None:
    response = client.get("/ads/reports.csv", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


def test_recommendations_page_lists_items_with_evidence_and_actions(
    client: TestClient, uow: UnitOfWork, clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)
    items = [
        Recommendation(
            "adgroup", world.adgroup_id, "Group A", "budget_limited", "Raise the budget.", "Augmentez le budget.",
            {"days_at_budget": ["2026-11-01", "2026-11-02"], "budget": "20"},
            {"type": "set_budget", "adgroup_id": world.adgroup_id, "budget": 26.0},
        ),
        Recommendation(
            "ad", "ad1", "Ad A", "better_post_available", "Use the better post.",
            "Utilisez la meilleure publication.",
            {"better_item_id": "it9"}, {"type": "replace_post", "ad_id": "ad1", "item_id": "it9"},
        ),
    ]  # fmt: skip
    monkeypatch.setattr(reports, "recommend", lambda *args: items)

    page = client.get("/ads/recommendations")

    assert page.status_code == 200, page.text
    assert 'data-recommendation="budget_limited"' in page.text
    assert "<strong>Ad group: Group A</strong>" in page.text
    french = client.get("/ads/recommendations", headers={"Accept-Language": "fr"}).text
    assert "<strong>Groupe d'annonces : Group A</strong>" in html.unescape(french)  # French spacing
    assert "November 1, 2026, November 2, 2026" in page.text  # days in words (Babel)
    assert '<dd data-evidence="budget">€20.00</dd>' in page.text
    assert 'action="/ads/recommendations/budget"' in page.text
    assert 'value="26.00"' in page.text
    assert 'href="/ads/library"' in page.text


def test_recommendations_page_renders_the_real_engine(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)

    page = client.get("/ads/recommendations", headers={"Accept-Language": "fr"})
    items = client.get(
        "/api/v1/recommendations",
        params={"advertiser_id": world.brand.id},
        headers=world.brand.bearer,
    ).json()["recommendations"]

    assert page.status_code == 200, page.text
    assert "Recommandations" in page.text
    assert items, "the delivered world should get at least one recommendation"
    shown = html.unescape(page.text)
    for item in items:
        assert localized_text(item["message_fr"], "fr") in shown  # decimals the French way
        assert item["message"] not in shown
    ending = [i for i in items if i["evidence"].get("ends_at")]
    assert ending, items  # the world's 30-day code ends before an open-ended schedule
    assert "Fin le" in shown
    assert ending[0]["evidence"]["ends_at"] not in shown  # the date in words, not ISO


def test_one_click_budget_needs_its_csrf_token_and_then_updates_the_ad_group(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)
    form = {"adgroup_id": world.adgroup_id, "budget": "130"}

    forged = client.post("/ads/recommendations/budget", data={**form, "csrf_token": "forged"})
    csrf = csrf_of(client.get("/ads/recommendations").text)
    done = client.post(
        "/ads/recommendations/budget", data={**form, "csrf_token": csrf}, follow_redirects=False
    )

    assert forged.status_code == 403
    assert done.status_code == 303
    assert done.headers["location"] == "/ads/recommendations"
    with uow:
        uow.session.expire_all()
        assert uow.session.get_one(AdGroup, world.adgroup_id).budget == 130_000_000


def test_one_click_budget_explains_a_refused_budget(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = delivered_spark_ad(client, uow, clock)
    sign_in(client, world.brand.token)
    csrf = csrf_of(client.get("/ads/recommendations").text)

    response = client.post(
        "/ads/recommendations/budget",
        data={"adgroup_id": world.adgroup_id, "budget": "abc", "csrf_token": csrf},
    )

    assert [r.status_code for r in response.history] == [303]  # POST-redirect-GET
    assert str(response.url).endswith("/ads/recommendations")
    assert 'data-error-code="invalid_parameter"' in response.text
    again = client.get("/ads/recommendations")  # a reload: shown once, nothing sent again
    assert 'data-error-code="invalid_parameter"' not in again.text


def test_sponsorships_page_shows_brand_fee_status_and_paid_reach(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    coach = world.author
    api = "/api/v1/marketplace"
    opt_in = {"sector": "food", "countries": ["FR"], "languages": ["fr"], "asking_fee": 150}
    assert client.put(f"{api}/profile", json=opt_in, headers=coach.bearer).status_code == 200
    invitation = client.post(
        f"{api}/collaborations",
        json={
            "advertiser_id": world.brand.id, "creator_id": coach.id, "fee": 220,
            "duration_days": 60, "item_id": world.post["item_id"],
        },
        headers=world.brand.bearer,
    )  # fmt: skip
    assert invitation.status_code == 201, invitation.text
    accepted = client.post(
        f"{api}/collaborations/{invitation.json()['collaboration_id']}/accept",
        headers=coach.bearer,
    )
    assert accepted.status_code == 200, accepted.text
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    for n in range(3):
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{n % 2}"})
        send_events(client, app_feed, (decision["token"], "impression"))
    sign_in(client, coach.token)

    page = client.get("/studio/sponsorships")

    assert page.status_code == 200, page.text
    assert 'aria-current="page">Sponsorships<' in page.text
    assert "€220.00" in page.text
    assert "Active" in page.text
    assert '<td data-col="Paid reach of the post" class="num" data-post-reach>2</td>' in page.text


def test_sponsorships_page_without_any_says_how_they_come(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.author.token)

    page = client.get("/studio/sponsorships", headers={"Accept-Language": "fr"})

    assert page.status_code == 200, page.text
    assert "Parrainages" in page.text
