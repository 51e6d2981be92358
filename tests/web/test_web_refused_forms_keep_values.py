"""A refused form comes back with what was typed: a refused budget on the campaigns page names
its campaign or ad group and keeps the typed value in that row's field (EN and FR)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import advertiser, operator, spark_world
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _field(page: str, object_id: str) -> str:
    found = re.search(rf'id="budget-{object_id}"[^>]*value="([^"]*)"', page)
    assert found, f"no budget field for {object_id}"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("lang", "campaign_about", "adgroup_about"),
    [
        ("en", "Budget of the campaign Spring launch", "Budget of the ad group FR foodies"),
        ("fr", "Budget de la campagne Spring launch", "Budget du groupe d'annonces FR foodies"),
    ],
)
@pytest.mark.parametrize("typed", ["1", "abc"])
def test_a_refused_budget_names_its_row_and_keeps_the_typed_value(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    lang: str,
    campaign_about: str,
    adgroup_about: str,
    typed: str,
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", lang)
    for level, object_id, about in (
        ("campaigns", world.campaign_id, campaign_about),
        ("adgroups", world.adgroup_id, adgroup_about),
    ):
        before = client.get("/ads/campaigns").text
        saved = _field(before, object_id)
        refused = client.post(
            f"/ads/{level}/{object_id}/budget",
            data={"csrf_token": csrf_of(before), "budget": typed},
        )
        assert [r.status_code for r in refused.history] == [303]
        page = html.unescape(refused.text)
        assert 'class="error-box"' in page
        assert f'<p class="small about">{about}</p>' in page
        assert _field(refused.text, object_id) == typed
        again = client.get("/ads/campaigns").text  # a reload: the saved value, no problem
        assert _field(again, object_id) == saved
        assert about not in html.unescape(again)


def test_another_accounts_campaign_is_not_named(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, advertiser(uow, clock).token)  # another brand: not its campaign
    page = client.get("/ads/campaigns").text
    refused = client.post(
        f"/ads/campaigns/{world.campaign_id}/budget",
        data={"csrf_token": csrf_of(page), "budget": "1"},
    )
    assert [r.status_code for r in refused.history] == [303]
    assert 'class="error-box"' in refused.text
    assert "Spring launch" not in refused.text
    assert 'class="small about"' not in refused.text


def _value_of(page: str, field_id: str) -> str:
    found = re.search(rf'<input id="{field_id}"[^>]*value="([^"]*)"', page)
    assert found, f"no value in {field_id}"
    return html.unescape(found.group(1))


def _selected(page: str, select_id: str) -> str:
    options = page.split(f'<select id="{select_id}"', 1)[1].split("</select>", 1)[0]
    found = re.findall(r'<option value="([^"]*)" selected', options)
    assert len(found) == 1, found
    return found[0]


def test_a_refused_token_keeps_its_name_role_and_days(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    page = client.get("/tokens").text
    assert (_value_of(page, "token-days"), _selected(page, "token-role")) == ("90", "analyst")
    refused = client.post(
        "/tokens",
        data={"csrf_token": csrf_of(page), "name": "CI <nightly>", "role": "operator",
              "days": "abc"},
    )  # fmt: skip
    assert refused.status_code == 400
    assert 'data-error-code="invalid_parameter"' in refused.text
    assert _value_of(refused.text, "token-name") == "CI <nightly>"
    assert _value_of(refused.text, "token-days") == "abc"
    assert _selected(refused.text, "token-role") == "operator"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "This policy rule is not valid: 'abc' is not a number of seconds."),
        ("fr", "Cette règle n'est pas valide : 'abc' n'est pas un nombre de secondes."),
    ],
)
def test_a_refused_review_rule_keeps_its_kind_and_value_and_says_why_in_words(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: str
) -> None:
    sign_in(client, operator(uow, clock).token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/review").text
    refused = client.post(
        "/review/rules",
        data={"csrf_token": csrf_of(page), "kind": "min_duration", "value": "abc"},
    )
    assert refused.status_code == 400
    assert 'data-error-code="policy_rule_invalid"' in refused.text
    assert _selected(refused.text, "rule-kind") == "min_duration"
    assert _value_of(refused.text, "rule-value") == "abc"
    assert expected in html.unescape(refused.text)  # the detail in the page's language
