"""A request pydantic refuses is explained in the reader's language (sparkads/validation.py): the
complaint by its error type, in French from the catalogue, in English byte for byte pydantic's;
the field by its wire name. The open API's envelope and the native API's body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import advertiser
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

OPEN_API = "/open_api/v1.3"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Invalid value for page_size: Input should be less than or equal to 1000"),
        ("fr", "Valeur invalide pour page_size : La valeur doit être inférieure ou égale à 1000"),
    ],
)
def test_open_api_page_size_too_large(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: str
) -> None:
    brand = advertiser(uow, clock)
    answer = client.get(
        f"{OPEN_API}/campaign/get/",
        params={"advertiser_id": brand.id, "page_size": "5000"},
        headers={**brand.access, "Accept-Language": lang},
    )
    envelope = answer.json()
    assert envelope["code"] == 40002, envelope
    assert envelope["message"] == f"invalid_parameter: {expected}", envelope["message"]


@pytest.mark.parametrize(
    ("lang", "expected", "not_expected"),
    [
        ("en", "Invalid value for bid: Extra inputs are not permitted", "n'est pas"),
        ("fr", "Valeur invalide pour bid : Ce champ n'est pas accepté ici", "Extra inputs"),
    ],
)
def test_native_api_unknown_field(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    lang: str,
    expected: str,
    not_expected: str,
) -> None:
    brand = advertiser(uow, clock)
    answer = client.post(
        "/api/v1/forecasts",
        headers={**brand.bearer, "Accept-Language": lang},
        json={"advertiser_id": brand.id, "budget": 10.0, "targeting": {}, "bid": 1},
    )
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["message"] == expected
    assert not_expected not in answer.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Input should be 'ENABLE', 'DISABLE' or 'DELETE'"),
        ("fr", "La valeur doit être 'ENABLE', 'DISABLE' ou 'DELETE'"),
    ],
)
def test_a_list_of_allowed_values_ends_with_the_languages_or(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, expected: str
) -> None:
    brand = advertiser(uow, clock)
    answer = client.post(
        f"{OPEN_API}/campaign/status/update/",
        headers={**brand.access, "Accept-Language": lang},
        json={"advertiser_id": brand.id, "campaign_ids": ["1"], "operation_status": "PAUSE"},
    )
    envelope = answer.json()
    assert envelope["code"] == 40002, envelope
    assert envelope["message"].endswith(
        f"operation_status{' :' if lang == 'fr' else ':'} {expected}"
    )
