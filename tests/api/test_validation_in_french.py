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


STATUS = {"campaign_ids": ["1"], "operation_status": "PAUSE"}


@pytest.mark.parametrize(
    ("lang", "path", "params", "body", "expected"),
    [
        ("en", "campaign/get/", {"page_size": "5000"}, None,
         "Invalid value for page_size: Input should be less than or equal to 1000"),
        ("fr", "campaign/get/", {"page_size": "5000"}, None,
         "Valeur invalide pour page_size : La valeur doit être inférieure ou égale à 1000"),
        ("en", "campaign/status/update/", None, STATUS,
         "Invalid value for operation_status: Input should be 'ENABLE', 'DISABLE' or 'DELETE'"),
        ("fr", "campaign/status/update/", None, STATUS,
         "Valeur invalide pour operation_status : La valeur doit être 'ENABLE', 'DISABLE' ou 'DELETE'"),
    ],
)  # fmt: skip
def test_open_api_refusals_in_the_readers_language(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    lang: str,
    path: str,
    params: dict[str, str] | None,
    body: dict[str, object] | None,
    expected: str,
) -> None:
    """A page size over the limit, and a value outside a list (its "or" in the reader's words)."""
    brand = advertiser(uow, clock)
    answer = client.request(
        "GET" if body is None else "POST",
        f"{OPEN_API}/{path}",
        params={"advertiser_id": brand.id, **(params or {})},
        json=None if body is None else {"advertiser_id": brand.id, **body},
        headers={**brand.access, "Accept-Language": lang},
    )
    envelope = answer.json()
    assert envelope["code"] == 40002, envelope
    assert envelope["message"] == f"invalid_parameter: {expected}"


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
