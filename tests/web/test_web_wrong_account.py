"""A page of another kind of account says which token it needs in words a reader reads: the
kinds of token are named and translated, with their article ("an advertiser token", "un jeton
d'annonceur"), never the scope's identifier."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from factories import operator, spark_world
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.mark.parametrize(
    ("language", "studio", "console"),
    [
        (
            "en",
            "This call needs a creator token, not an advertiser token.",
            "This call needs an operator token, not an advertiser token.",
        ),
        (
            "fr",
            "Cet appel nécessite un jeton de créateur, pas un jeton d'annonceur.",
            "Cet appel nécessite un jeton d'opérateur, pas un jeton d'annonceur.",
        ),
    ],
)
def test_an_advertiser_on_the_studio_or_the_console_reads_which_token_it_needs(
    client: TestClient, uow: UnitOfWork, clock: TestClock, language: str, studio: str, console: str
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", language)

    csrf = csrf_of(client.get("/ads").text)
    # the studio's pages send an advertiser to /ads (test_web_history_words); its forms refuse
    revoke = client.post("/studio/authorizations/1/revoke", data={"csrf_token": csrf})
    for refused, expected in ((revoke, studio), (client.get("/console"), console)):
        assert refused.status_code == 403
        text = html.unescape(refused.text)
        assert expected in text
        assert " a advertiser" not in text
        assert "jeton advertiser" not in text


def test_an_operator_in_the_ad_manager_is_told_both_kinds_of_ad_account_token(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, operator(uow, clock).token)
    client.cookies.set("sa_lang", "fr")
    csrf = csrf_of(client.get("/console").text)

    # the Ads Manager's pages send an operator to /console (test_web_sent_home); its forms refuse
    sent = client.post(
        "/ads/campaigns/1/status", data={"csrf_token": csrf, "operation_status": "DISABLE"}
    )
    refused = html.unescape(sent.text)

    assert (
        "Cet appel nécessite un jeton d'annonceur ou un jeton de Business Center, "
        "pas un jeton d'opérateur." in refused
    )
