"""A value a form cannot take is explained in the page's language: the field by its label, the
detail from the catalogue (never a validator's English), and a form's solution, not the API's
"/docs lists every parameter"; the API keeps its own texts. (A policy rule's detail in French:
test_web_refused_forms_keep_values.py.)"""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from factories import advertiser, creator, spark_world
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

API_ONLY = ("/docs", "does not match what this endpoint", "ne correspond pas à ce qu'accepte")


def _problem(page: str) -> str:
    assert 'data-error-code="invalid_parameter"' in page
    box = page.split('class="error-box"', 1)[1].split("</div>", 1)[0]
    text = html.unescape(box)
    assert not [words for words in API_ONLY if words in text], text
    return text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Invalid value for Expires after (days, empty: never): a whole number from 1 to 3,650",
                "Correct Expires after (days, empty: never) and send the form again."]),
        ("fr", ["Valeur invalide pour Expire après (jours, vide : jamais) : un nombre entier de 1 à 3\u202f650",
                "Corrigez Expire après (jours, vide : jamais) et renvoyez le formulaire."]),
    ],
)  # fmt: skip
def test_a_token_expiry_that_is_not_a_number(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: list[str]
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/tokens").text
    refused = client.post(
        "/tokens", data={"csrf_token": csrf_of(page), "name": "ci", "days": "abc"}
    )
    assert refused.status_code == 400
    text = _problem(refused.text)
    for words in expected:
        assert words in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Invalid value for Maximum fee (EUR): “xyz” is not a number"),
        ("fr", "Valeur invalide pour Rémunération maximale (EUR) : « xyz » n'est pas un nombre"),
    ],
)
def test_a_creator_search_fee_that_is_not_a_number(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: str
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/ads/creators", params={"max_fee": "xyz"})
    assert page.status_code == 400
    assert expected in _problem(page.text)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "“xx-notalang” is not a language code such as fr or en-GB (8 characters at most)"),
        (
            "fr",
            "« xx-notalang » n'est pas un code de langue comme fr ou en-GB (8 caractères au plus)",
        ),
    ],
)
def test_a_marketplace_language_too_long(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: str
) -> None:
    sign_in(client, creator(uow, clock).token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/studio/marketplace").text
    refused = client.post(
        "/studio/marketplace/profile",
        data={"csrf_token": csrf_of(page), "sector": "food", "countries": ["FR"],
              "languages": "fr, xx-notalang", "asking_fee": "100"},
    )  # fmt: skip
    assert refused.status_code == 400
    text = _problem(refused.text)
    assert expected in text
    assert "String should have" not in text
    assert "languages.1" not in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Invalid value for Budget: “abc” is not a number",
                "Correct Budget and send the form again."]),
        ("fr", ["Valeur invalide pour Budget : « abc » n'est pas un nombre",
                "Corrigez Budget et renvoyez le formulaire."]),
    ],
)  # fmt: skip
def test_a_campaign_budget_that_is_not_a_number(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: list[str]
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/ads/campaigns").text
    refused = client.post(
        f"/ads/campaigns/{world.campaign_id}/budget",
        data={"csrf_token": csrf_of(page), "budget": "abc"},
    )
    text = _problem(refused.text)
    for words in expected:
        assert words in text


def test_the_api_keeps_its_own_texts(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    coach = creator(uow, clock)
    profile = {"sector": "food", "countries": ["FR"], "languages": ["xx-notalang"],
               "asking_fee": 150}  # fmt: skip
    answer = client.put("/api/v1/marketplace/profile", json=profile, headers=coach.bearer)
    assert answer.status_code == 400
    assert "/docs lists every parameter" in answer.text
