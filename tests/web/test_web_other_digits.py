"""Query values in digits that `str.isdigit()` accepts and `int()` refuses ("²") are read as no
number, never a 500 (pages keep their defaults)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import advertiser
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.mark.parametrize(
    "path", ["/ads?days=²", "/ads/reports?days=²", "/feed?country=FR&age=²&viewer=v-digits"]
)
def test_a_superscript_digit_is_no_number(
    client: TestClient, uow: UnitOfWork, clock: TestClock, path: str
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    assert client.get(path).status_code == 200
