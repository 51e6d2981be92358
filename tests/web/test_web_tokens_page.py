"""The tokens page's form refuses what it cannot read with a 400 and its reason, not a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import advertiser
from factories.web import csrf_of, sign_in
from sparkads.accounts.models import AccessToken
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.mark.parametrize("days", ["²", "٣", "１"])  # digits to str.isdigit(), not to int()
def test_an_expiry_in_other_digits_is_refused_and_no_token_is_made(
    client: TestClient, uow: UnitOfWork, clock: TestClock, days: str
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    csrf = csrf_of(client.get("/tokens").text)
    before = uow.session.scalar(select(func.count()).select_from(AccessToken))

    answer = client.post(
        "/tokens", data={"csrf_token": csrf, "name": "ci", "role": "analyst", "days": days}
    )

    assert answer.status_code == 400
    assert 'data-error-code="invalid_parameter"' in answer.text
    uow.session.rollback()
    assert uow.session.scalar(select(func.count()).select_from(AccessToken)) == before
