"""GET /api/v1/me: who the token speaks for, the account's fields by scope (exact bodies)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factories import advertiser, business_center, creator, operator
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_me_names_the_account_of_each_scope(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    group = business_center(uow, clock, name="Maison Group")
    brand = advertiser(uow, clock, bc_id=group.id, name="Maison FR")
    maker = creator(uow, clock, handle="lea")
    staff = operator(uow, clock)

    def me(token: dict[str, str]) -> object:
        answer = client.get("/api/v1/me", headers=token)
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert me(maker.bearer) == {
        "scope": "creator",
        "account": {
            "creator_id": maker.id,
            "handle": "lea",
            "display_name": "Lea",
            "followers": 12_000,
        },
    }
    assert me(brand.bearer) == {
        "scope": "advertiser",
        "account": {
            "advertiser_id": brand.id,
            "name": "Maison FR",
            "currency": "EUR",
            "timezone": "Europe/Paris",
            "bc_id": group.id,
        },
    }
    assert me(group.bearer) == {
        "scope": "business_center",
        "account": {"bc_id": group.id, "name": "Maison Group"},
    }
    assert me(staff.bearer) == {"scope": "operator", "account": {"operator_id": "op1"}}
    # the keys in the order the answer has always given them
    assert list(client.get("/api/v1/me", headers=brand.bearer).json()["account"]) == [
        "advertiser_id",
        "name",
        "currency",
        "timezone",
        "bc_id",
    ]
