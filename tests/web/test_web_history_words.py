"""The History page in words: who made a change (the ad account by its name, the person signed
in, the role of their token), each field by the label the other pages use and status values by
their words, in English and French, the codes kept in a `title`. A creator opening an Ads Manager
page is sent to the studio, an advertiser opening the studio to the Ads Manager."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import advertiser, creator, spark_world
from factories.web import csrf_of, sign_in
from sparkads.accounts.models import Advertiser, Role
from sparkads.accounts.people import create_user
from sparkads.clock import TestClock
from sparkads.db.audit import Actor
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.web.history_words import Who, role_words

FR = {"Accept-Language": "fr"}
PASSWORD = "correct horse battery staple"


def _row(page: str, field: str) -> list[str]:
    """The cells' texts (tags dropped, spaces squeezed) of the first row changing `field`."""
    row = re.search(rf'<tr [^>]*data-field="{field}">(.*?)</tr>', page, flags=re.S)
    assert row is not None, field
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]


def test_who_fields_and_values_are_in_words_in_english_and_french(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    csrf = csrf_of(client.get("/ads/campaigns").text)
    paused = client.post(
        f"/ads/campaigns/{world.campaign_id}/status",
        data={"csrf_token": csrf, "operation_status": "DISABLE"},
        follow_redirects=False,
    )
    assert paused.status_code == 303, paused.text
    with uow:
        name = uow.session.get_one(Advertiser, world.brand.id).name
    address = f"/ads/history/campaign/{world.campaign_id}"
    english, french = client.get(address).text, client.get(address, headers=FR).text

    _, who, change, field, before, after = _row(english, "operation_status")
    assert (change, field, before, after) == ("Changed", "Status", "Active", "Paused")
    assert who.startswith(f"Ad account {name} ")
    assert f"advertiser:{world.brand.id}" not in who
    assert f'title="advertiser:{world.brand.id}' in english  # the code, on hover
    assert _row(english, "budget_mode")[-3:] == ["Budget type", "—", "Daily budget"]
    assert _row(english, "objective_type")[-1] == "Traffic"

    _, who, change, field, before, after = _row(french, "operation_status")
    assert (change, field, before, after) == ("Modifié", "Statut", "Actif", "En pause")
    assert who.startswith(f"Compte publicitaire {name} ")
    assert _row(french, "budget_mode")[-3:] == ["Type de budget", "—", "Budget quotidien"]
    assert _row(french, "campaign_name")[-3] == "Nom de la campagne"
    assert 'title="operation_status"' in french
    assert "BUDGET_MODE_DAY" not in re.sub(r'title="[^"]*"', "", french)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Operator", "CLI (alice)", "CLI", "System", "Feed app 7"]),
        ("fr", ["Opérateur", "CLI (alice)", "CLI", "Système", "Application de fil 7"]),
    ],
)
def test_the_operator_the_command_line_and_the_system_in_words(
    lang: str, words: list[str], uow: UnitOfWork, clock: TestClock
) -> None:
    actors = [
        Actor("open_api", "operator", "9001"),
        Actor("cli", subject_id="alice"),
        Actor("cli"),
        Actor("system"),
        Actor("api", "feed", "7"),
    ]
    with uow:
        who = Who(uow.session, lang)
        assert [who.account(actor) for actor in actors] == words
        assert who.account(Actor("api", "unknown", "7")) == "unknown:7"  # no words: its code
        assert who.person(actors[0]) is None
        person = create_user(uow.session, clock, email="ana@example.com", password=PASSWORD)
        uow.session.flush()
        signed_in = Actor("web", "advertiser", "1", user_id=person.user_id)
        assert who.person(signed_in) == "ana@example.com"  # a person by their email


@pytest.mark.parametrize(
    ("side", "page", "home"),
    [
        *(("creator", page, "/studio") for page in (
            "/ads", "/ads/campaigns", "/ads/reports", "/ads/creators?max_fee=abc",
            "/ads/campaigns/new", "/ads/business-center",
        )),
        *(("advertiser", page, "/ads") for page in (
            "/studio", "/studio/codes", "/studio/sponsorships",
        )),
    ],
)  # fmt: skip
def test_a_page_of_the_other_side_sends_the_reader_to_their_home(
    side: str, page: str, home: str, client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """A creator on the Ads Manager goes to /studio, an advertiser on the studio to /ads."""
    sign_in(client, (creator if side == "creator" else advertiser)(uow, clock).token)

    answer = client.get(page, follow_redirects=False)

    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == home
    assert client.get(home).status_code == 200


def test_a_form_sent_with_the_other_side_s_session_is_refused_and_lands_in_the_studio(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, creator(uow, clock).token)
    csrf = csrf_of(client.get("/studio").text)

    answer = client.post(
        "/ads/campaigns/1/status", data={"csrf_token": csrf, "operation_status": "DISABLE"}
    )

    assert answer.status_code == 200
    assert answer.url.path == "/studio"
    assert 'data-error-code="wrong_token_scope"' in answer.text  # the refusal, explained there


def _role(page: str) -> tuple[str, str]:
    """The role in the Who cell of the first change: its words and its code (on hover)."""
    found = re.search(r'<span data-role title="([^"]*)">([^<]*)</span>', page)
    assert found is not None
    return html.unescape(found.group(2)), found.group(1)


def test_the_role_a_change_was_made_with_is_in_words_its_code_on_hover(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)  # an admin's token
    csrf = csrf_of(client.get("/ads/campaigns").text)
    client.post(
        f"/ads/campaigns/{world.campaign_id}/status",
        data={"csrf_token": csrf, "operation_status": "DISABLE"},
    )
    address = f"/ads/history/campaign/{world.campaign_id}"
    english, french = client.get(address).text, client.get(address, headers=FR).text

    assert _role(english) == ("Administrator", "admin")
    assert _role(french) == ("Administrateur", "admin")
    assert " · admin<" not in english  # the code itself only in the title


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Administrator", "Operator", "Analyst", "Reviewer"]),
        ("fr", ["Administrateur", "Opérateur", "Analyste", "Examinateur"]),
    ],
)
def test_every_role_has_words(lang: str, words: list[str]) -> None:
    assert [role_words(role.value, lang) for role in Role] == words
    assert role_words("auditor", lang) == "auditor"  # no words: its code


def test_the_tokens_page_says_roles_in_words(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    for lang, admin, analyst in (
        ("en", "Administrator", "Analyst"),
        ("fr", "Administrateur", "Analyste"),
    ):
        page = client.get("/tokens", headers={"Accept-Language": lang}).text
        assert f'<option value="analyst" selected>{analyst}</option>' in page
        assert f">{admin}</option>" in page
        assert '<option value="admin">admin</option>' not in page
