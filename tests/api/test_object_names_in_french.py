"""Errors about a campaign, an ad group or an ad name it in French with its gender and article
("la campagne existante", "le groupe d'annonces existant", "l'annonce …"); English unchanged."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import (
    Account,
    adgroup_body,
    advertiser,
    campaign_body,
    open_api_get,
    open_api_post,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

FR = {"Accept-Language": "fr"}


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


@pytest.mark.parametrize(
    ("headers", "cause", "solution"),
    [
        ({}, "A create call with this request_id already succeeded (campaign ",
         "Use the existing campaign, or send a new request_id for a new one."),
        (FR, "Un appel de création avec ce request_id a déjà réussi (campagne ",
         "Utilisez la campagne existante, ou envoyez un nouveau request_id pour en créer une autre."),
    ],
)  # fmt: skip
def test_a_campaign_created_twice_with_one_request_id(
    client: TestClient, brand: Account, headers: dict[str, str], cause: str, solution: str
) -> None:
    body = campaign_body(brand, request_id="77")
    assert open_api_post(client, brand, "campaign/create/", **body)["code"] == 0
    again = open_api_post(client, brand, "campaign/create/", headers=headers, **body)
    assert again["code"] == 40050
    error = again["data"]["error"]
    assert error["cause"].startswith(cause), error
    assert error["solution"] == solution


def test_an_ad_group_created_twice_in_french(client: TestClient, brand: Account) -> None:
    campaign = open_api_post(client, brand, "campaign/create/", **campaign_body(brand))
    body = adgroup_body(brand, campaign["data"]["campaign_id"], request_id="78")
    assert open_api_post(client, brand, "adgroup/create/", **body)["code"] == 0
    again = open_api_post(client, brand, "adgroup/create/", headers=FR, **body)
    assert again["data"]["error"]["solution"] == (
        "Utilisez le groupe d'annonces existant, ou envoyez un nouveau request_id pour en créer un autre."
    )


@pytest.mark.parametrize(
    ("headers", "message", "cause"),
    [
        ({}, "ad 404404 does not exist.", "No ad with this id belongs to this ad account."),
        (FR, "L'annonce 404404 n'existe pas.",
         "Aucune annonce avec cet identifiant n'appartient à ce compte publicitaire."),
    ],
)  # fmt: skip
def test_an_ad_that_does_not_exist(
    client: TestClient, brand: Account, headers: dict[str, str], message: str, cause: str
) -> None:
    answer = open_api_post(
        client,
        brand,
        "ad/status/update/",
        headers=headers,
        advertiser_id=brand.id,
        ad_ids=["404404"],
        operation_status="DISABLE",
    )
    assert answer["code"] == 40007, answer
    assert answer["message"].endswith(message), answer["message"]
    assert answer["data"]["error"]["cause"] == cause
    listed = open_api_get(client, brand, "ad/get/", advertiser_id=brand.id)
    assert listed["data"]["page_info"]["total_number"] == 0
