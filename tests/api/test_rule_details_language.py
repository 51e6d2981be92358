"""A refusal's detail, built by a domain rule, is in the language the client asks for (French with
`Accept-Language: fr`, English without), its figures written that language's way; the field keeps
its wire name (TikTok's), and a typed value is echoed as it was sent."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import (
    Account,
    adgroup_body,
    advertiser,
    campaign_body,
    creative,
    open_api_post,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

NNBSP = "\u202f"  # French groups thousands with a narrow no-break space


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


def _adgroup(client: TestClient, brand: Account, lang: str | None, **fields: Any) -> str:
    campaign = open_api_post(
        client, brand, "campaign/create/", **campaign_body(brand, objective_type="REACH")
    )
    body = adgroup_body(
        brand,
        str(campaign["data"]["campaign_id"]),
        promotion_type=None,
        optimization_goal="REACH",
        billing_event="CPM",
        **fields,
    )
    headers = {"Accept-Language": lang} if lang else None
    answer = open_api_post(client, brand, "adgroup/create/", headers=headers, **body)
    assert answer["data"]["error"]["reason"] == "invalid_parameter", answer
    return str(answer["message"])


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (None, "invalid_parameter: Invalid value for bid_price: at most 1,000 for CPM"),
        ("en", "invalid_parameter: Invalid value for bid_price: at most 1,000 for CPM"),
        ("fr", f"invalid_parameter: Valeur invalide pour bid_price : 1{NNBSP}000 au plus pour CPM"),
    ],
)
def test_a_bid_above_the_maximum_is_refused_in_the_clients_language(
    client: TestClient, brand: Account, lang: str | None, message: str
) -> None:
    assert _adgroup(client, brand, lang, bid_price=5000) == message


@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        (None, "336 characters of 0 and 1: 48 half-hours × 7 days, Monday first"),
        ("fr", "336 caractères 0 ou 1 : 48 demi-heures × 7 jours, en commençant par le lundi"),
    ],
)
def test_a_rule_detail_without_figures_is_translated_too(
    client: TestClient, brand: Account, lang: str | None, detail: str
) -> None:
    assert _adgroup(client, brand, lang, bid_price=4, dayparting="1").endswith(detail)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (None, "landing_page_url is not a valid web address: ftp://brand.example.com/x."),
        ("fr", "landing_page_url n'est pas une adresse web valide : ftp://brand.example.com/x."),
    ],
)
def test_a_field_named_by_its_wire_name_and_a_typed_address_as_typed(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str | None, message: str
) -> None:
    world = spark_world(client, uow, clock)
    headers = {"Accept-Language": lang} if lang else None
    ad = creative(
        world.identity_id, world.post["item_id"], landing_page_url="ftp://brand.example.com/x"
    )
    answer = open_api_post(
        client,
        world.brand,
        "ad/create/",
        headers=headers,
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[ad],
    )
    assert answer["message"] == f"landing_page_invalid: {message}"
