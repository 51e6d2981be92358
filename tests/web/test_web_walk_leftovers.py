"""What a newcomer's walk through the pages left over, each through a plain HTTP client in English
and French: one heading per page section, dates in the reader's language, the feed preview's
batch refusals translated, wizard refusals naming the field's label, and the console's counter
saying since when it counts."""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from fastapi.testclient import TestClient

from factories import (
    FRANCE,
    SparkWorld,
    advance,
    ask,
    create_ad,
    feed,
    flush_traffic,
    operator,
    spark_world,
)
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

FR = {"Accept-Language": "fr"}


def _headings(page: str) -> list[tuple[str, str]]:
    """(level, text) of each h1–h3 of a page, tags inside stripped."""
    found = re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", page, flags=re.S)
    return [(level, re.sub(r"<[^>]+>", "", text).strip()) for level, text in found]


def _signed_in_brand_with_an_ad(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> SparkWorld:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    sign_in(client, world.brand.token)
    return world


def test_the_campaigns_page_names_its_campaigns_once(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    _signed_in_brand_with_an_ad(client, uow, clock)
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


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _cells(page: str, tag: str, attribute: str) -> list[str]:
    """The text of each `tag` element carrying `attribute`, tags inside stripped."""
    found = re.findall(rf"<{tag}[^>]*{attribute}[^>]*>(.*?)</{tag}>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", " ", text)) for text in found]


def test_the_dashboard_s_days_are_written_in_the_reader_s_language(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)

    french = client.get("/ads?days=7", headers=FR).text
    english = client.get("/ads?days=7").text

    days = re.findall(r'<tr data-day="([0-9-]+)"><td>([^<]*)</td>', french)
    assert len(days) == 7
    for iso, shown in days:
        assert html.unescape(shown) == format_date(date.fromisoformat(iso), "medium", locale="fr")
    first = re.search(r'<tr data-day="([0-9-]+)"><td>([^<]*)</td>', english)
    assert first is not None
    assert first.group(2) == format_date(date.fromisoformat(first.group(1)), "medium", locale="en")


def test_history_values_that_are_moments_are_written_in_the_reader_s_language(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, days=7)  # a short code: the ad carries a warning
    made = create_ad(client, world)
    assert made["code"] == 0, made
    sign_in(client, world.brand.token)

    group = client.get(f"/ads/history/adgroup/{world.adgroup_id}", headers=FR).text
    ad = client.get(f"/ads/history/ad/{made['data']['ad_ids'][0]}", headers=FR).text
    english = client.get(f"/ads/history/adgroup/{world.adgroup_id}").text

    created = _cells(group, "tr", 'data-field="create_time"')
    assert len(created) == 1
    assert not ISO_DAY.search(created[0]), created
    assert re.search(r"\d{1,2} [a-zéû]+\.? \d{4}", created[0]), created  # "5 déc. 2026, 14:01:01"
    # the ad's stored warnings (JSON) say their moments in words; its name stays as typed
    after = " ".join(_cells(ad, "td", "data-after"))
    assert re.search(r"prend fin le \d{1,2} [a-zéû]+\.? \d{4}, \d{2}:\d{2}:\d{2} UTC", after)
    assert not ISO_MOMENT.search(after)
    assert not ISO_MOMENT.search(" ".join(_cells(english, "td", "data-after")))


def _feed(client: TestClient, uow: UnitOfWork, clock: TestClock) -> tuple[str, str, str]:
    """A brand with a live Spark ad on the feed preview: (a decision token, the page's CSRF token,
    the ad's post)."""
    world = _signed_in_brand_with_an_ad(client, uow, clock)
    page = client.get("/feed?country=FR&age=27&viewer=walk-viewer").text
    token = re.search(r'data-sparkads-token="([^"]+)"', page)
    csrf = re.search(r'data-sparkads-csrf="([^"]+)"', page)
    assert token is not None
    assert csrf is not None
    return token.group(1), csrf.group(1), str(world.post["item_id"])


def test_the_feed_preview_s_batch_refusals_and_reasons_are_in_french(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    token, csrf, item_id = _feed(client, uow, clock)
    headers = {"X-CSRF-Token": csrf, **FR}

    def refused(events: object) -> str:
        answer = client.post("/feed/batch", headers=headers, json={"events": events})
        assert answer.status_code == 400, answer.text
        return html.unescape(answer.text)

    assert "une liste de 1 à 100 événements" in refused([])
    assert "un jeton de décision" in refused([{"token": "", "type": "like"}])
    assert "l'une des valeurs impression" in refused([{"token": token, "type": "nap"}])
    naive = refused([{"token": token, "type": "like", "occurred_at": "2026-11-02T10:00:00"}])
    assert "une heure ISO 8601 avec son fuseau horaire" in naive
    english = client.post("/feed/batch", headers={"X-CSRF-Token": csrf}, json={"events": []})
    assert "a list of 1 to 100 events" in html.unescape(english.text)

    # a refused event's reason, in words: on the page without JavaScript, and for the script
    form = {"csrf_token": csrf, "token": token + "x", "item_id": item_id, "type": "like"}
    said = client.post("/feed/events", data=form, headers={"Accept": "application/json", **FR})
    assert said.json()["message"] == "Refusé : le jeton de décision a été modifié"
    messages = re.findall(r"data-messages='([^']*)'", client.get("/feed", headers=FR).text)[0]
    assert json.loads(html.unescape(messages))["reason:token_expired"] == (
        "le jeton de décision a expiré"
    )


WIZARD_STEP = re.compile(r"^/ads/campaigns/new/([0-9a-f]{16})/(\w+)$")


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert found is not None, name
    return found.group(1)


def _step(client: TestClient, address: str, fields: dict[str, str]) -> str:
    """Send the wizard step at `address`; the address the 303 leads to."""
    page = client.get(address).text
    data = {"csrf_token": csrf_of(page), "step": _hidden(page, "step"), "key": _hidden(page, "key")}
    answer = client.post("/ads/campaigns/new", data=data | fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert WIZARD_STEP.match(answer.headers["location"]), answer.headers["location"]
    return str(answer.headers["location"])


def _refused_details(
    client: TestClient, uow: UnitOfWork, clock: TestClock, fields: dict[str, str], lang: str = ""
) -> str:
    """A traffic campaign's wizard up to its details step, sent with `fields` and refused there
    (by a reader of `lang` all along, when given): the step's address."""
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    if lang:
        client.cookies.set("sa_lang", lang)
    address = _step(client, "/ads/campaigns/new", {"objective": "TRAFFIC", "go": "next"})
    post = re.search(r'name="post" value="([^"]+:[^"]+:[^"]+)"', client.get(address).text)
    assert post is not None
    address = _step(client, address, {"post": post.group(1), "go": "next"})
    details = {"promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
               "landing_page_url": "https://brand.example.com/", "location_ids": FRANCE,
               "budget": "60", "go": "next"}  # fmt: skip
    assert _step(client, address, details | fields) == address  # refused: stays on the step
    return address


def _error_box(page: str) -> str:
    return html.unescape(page).split('class="error-box"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize(
    ("fields", "english", "french"),
    [
        ({"budget": "1.1234567"}, "Invalid value for Budget:", "Valeur invalide pour Budget :"),
        ({"bid_type": "BID_TYPE_CUSTOM", "bid": "0.0000001"},
         "Invalid value for Bid:", "Valeur invalide pour Enchère :"),
        ({"bid_type": "BID_TYPE_CUSTOM", "bid": "1000000"},
         "Invalid value for Bid: at most 100 for CPC",
         "Valeur invalide pour Enchère : 100 au plus pour CPC"),
        ({"budget_mode": "BUDGET_MODE_TOTAL", "budget": ""},
         "Invalid value for Budget:", "Valeur invalide pour Budget :"),
        ({"landing_page_url": "not a url"},
         "Invalid value for Link: not a web address people can open (not a url)",
         "Valeur invalide pour Lien : pas une adresse web que l'on peut ouvrir (not a url)"),
        ({"landing_page_url": ""},
         "Invalid value for Link: required when the ad group promotes a website",
         "Valeur invalide pour Lien : obligatoire quand le groupe d'annonces promeut un site web"),
    ],
    ids=["budget-decimals", "bid-decimals", "bid-above-the-maximum", "lifetime-without-budget",
         "link-not-an-address", "link-missing"],
)  # fmt: skip
def test_wizard_refusals_name_the_field_by_its_label(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    fields: dict[str, str],
    english: str,
    french: str,
) -> None:
    address = _refused_details(client, uow, clock, fields)

    for lang, expected in (("en", english), ("fr", french)):
        box = _error_box(client.get(address, headers={"Accept-Language": lang}).text)
        assert expected in box, box
        for code in ("budget", "bid_price", "conversion_bid_price", "bid ", "landing_page_url"):
            assert f"for {code}" not in box
            assert f"pour {code}" not in box
            assert not box.lstrip(">").lstrip().startswith(code)


def test_a_wizard_used_in_french_refuses_a_bid_above_the_maximum_all_in_french(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bid = {"bid_type": "BID_TYPE_CUSTOM", "bid": "500"}
    address = _refused_details(client, uow, clock, bid, lang="fr")

    box = _error_box(client.get(address).text)
    assert "<h2>Valeur invalide pour Enchère : 100 au plus pour CPC</h2>" in box, box
    assert "at most" not in box
    assert "Corrigez Enchère et renvoyez le formulaire." in box


def _feed_requests(page: str, feed_id: str) -> str:
    row = page.split(f'data-feed="{feed_id}"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td[^>]*class="num"[^>]*>([^<]*)</td>', row)
    assert cells, row
    return html.unescape(cells[-1])


def test_the_console_says_its_feeds_requests_are_the_period_s(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    for n in range(12):
        ask(client, app_feed, {"viewer_id": f"walk-{n}", "country": "FR", "age": 30})
    flush_traffic(client)
    sign_in(client, operator(uow, clock).token)

    english = client.get("/console?days=7").text
    french = html.unescape(client.get("/console?days=7", headers=FR).text)

    assert '<th scope="col" class="num">Requests in this period</th>' in english
    assert "Requêtes sur la période</th>" in french
    assert "each feed's requests in the traffic log since" in html.unescape(english)
    assert "les requêtes de chaque fil dans le journal du trafic depuis le" in french
    assert _feed_requests(english, app_feed.id) == "12"
    first_day = (clock.now() - timedelta(days=6)).date()  # the period's first day, not today
    assert f"since {format_date(first_day, format='long', locale='en')}" in html.unescape(english)
    # what the label says: the period's, not the server's lifetime (same process, 8 days later)
    advance(client, days=8)
    sign_in(client, operator(uow, clock).token)
    assert _feed_requests(client.get("/console?days=7").text, app_feed.id) == "0"
    assert _feed_requests(client.get("/console?days=30").text, app_feed.id) == "12"
