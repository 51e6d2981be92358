"""bc/partner/add/: a Business Center shares ad accounts with a partner Business Center, whose
token then acts on exactly those, and only the owner's admins can share."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factories import Account, business_center, campaign_body, open_api_get, open_api_post
from sparkads.accounts import service
from sparkads.accounts.models import Role, TokenScope
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_a_partner_business_center_acts_on_the_shared_ad_accounts_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    owner = business_center(uow, clock, name="Brand Group")
    agency = business_center(uow, clock, name="Agency")
    shared, kept = (
        service.create_advertiser(
            uow.session, clock, name=name, currency="EUR", timezone="Europe/Paris", bc_id=owner.id
        ).advertiser_id
        for name in ("Shared", "Kept")
    )
    uow.commit()
    as_agency = Account(shared, agency.token)
    before = open_api_get(client, as_agency, "campaign/get/", advertiser_id=shared)
    assert before["code"] == 40001

    added = open_api_post(
        client, Account(shared, owner.token), "bc/partner/add/", bc_id=owner.id,
        partner_id=agency.id, asset_type="ADVERTISER", asset_ids=[shared],
        advertiser_role="OPERATOR",
    )  # fmt: skip

    assert added["code"] == 0, added
    assert open_api_get(client, as_agency, "campaign/get/", advertiser_id=shared)["code"] == 0
    made = open_api_post(
        client, as_agency, "campaign/create/", **campaign_body(as_agency, budget=100)
    )
    assert made["code"] == 0, made
    other = open_api_get(client, Account(kept, agency.token), "campaign/get/", advertiser_id=kept)
    assert other["code"] == 40001  # not shared


def test_only_the_owners_admin_shares_its_own_ad_accounts_with_another_business_center(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    owner = business_center(uow, clock, name="Brand Group")
    agency = business_center(uow, clock, name="Agency")
    shared = service.create_advertiser(
        uow.session, clock, name="Shared", currency="EUR", timezone="Europe/Paris", bc_id=owner.id
    ).advertiser_id
    theirs = service.create_advertiser(
        uow.session, clock, name="Theirs", currency="EUR", timezone="Europe/Paris", bc_id=agency.id
    ).advertiser_id
    operator = service.issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=owner.id,
        role=Role.OPERATOR,
    )  # fmt: skip
    uow.commit()
    admin = Account(shared, owner.token)
    base = {"bc_id": owner.id, "partner_id": agency.id, "asset_type": "ADVERTISER"}

    def add(who: Account, **fields: object) -> dict[str, object]:
        body = {**base, "asset_ids": [shared], "advertiser_role": "ADMIN", **fields}
        return open_api_post(client, who, "bc/partner/add/", **body)

    assert add(Account(shared, operator))["code"] == 40001  # an operator cannot share
    assert add(admin, asset_ids=[theirs])["code"] == 40001  # not its ad account
    assert add(admin, partner_id=owner.id)["code"] == 40002  # itself
    assert add(admin, partner_id="7000000000000000001")["code"] == 40002
    assert add(admin, advertiser_role="ANALYST")["code"] == 40002
    assert add(admin, asset_type="CATALOG")["code"] == 40002
    as_agency = Account(shared, agency.token)
    assert open_api_get(client, as_agency, "campaign/get/", advertiser_id=shared)["code"] == 40001
    assert add(admin)["code"] == 0
    assert add(admin)["code"] == 0  # again: no duplicate, still one share
    assert open_api_get(client, as_agency, "campaign/get/", advertiser_id=shared)["code"] == 0
