"""Accounts behind their application services (issue 18): signing in with a pasted token keeps
what the token was limited to, and only an admin revokes, only its own account's named tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import business_center
from factories.web import csrf_of, sign_in
from sparkads.accounts.models import AccessToken, Advertiser, Role, TokenScope
from sparkads.accounts.principal import Principal
from sparkads.accounts.tokens import is_demo
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.services import accounts, oauth

PASSWORD = "correct horse battery"


@pytest.fixture
def units(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = make_engine(database_url)
    yield UnitOfWorkFactory(engine)
    engine.dispose()


def _brand(units: UnitOfWorkFactory, uow: UnitOfWork, clock: TestClock) -> tuple[str, str, str]:
    """A Business Center with two ad accounts, and its admin limited to the first."""
    bc = business_center(uow, clock)
    given, _other = (
        accounts.create_advertiser(
            units, clock, name=name, currency="EUR", timezone="Europe/Paris", bc_id=bc.id
        ).account.advertiser_id
        for name in ("Given FR", "Other DE")
    )
    person = accounts.create_person(
        units, clock, email="limited@brand.example", password=PASSWORD,
        scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id, advertiser_ids=(given,),
    )  # fmt: skip
    return bc.id, given, person.user.user_id


def _admin(bc_id: str, user_id: str | None, role: Role = Role.ADMIN) -> Principal:
    return Principal(TokenScope.BUSINESS_CENTER, bc_id, "web", role, user_id=user_id)


def test_a_limited_members_token_signs_in_to_their_ad_accounts_only(
    client: TestClient, units: UnitOfWorkFactory, uow: UnitOfWork, clock: TestClock
) -> None:
    bc_id, _, user_id = _brand(units, uow, clock)
    token = accounts.create_api_token(
        units, clock, _admin(bc_id, user_id), name="mine", role=Role.ADMIN
    )
    sign_in(client, token)
    page = client.get("/ads")
    assert "Given FR" in page.text
    assert "Other DE" not in page.text


def test_an_apps_token_opens_no_web_session(
    client: TestClient, units: UnitOfWorkFactory, uow: UnitOfWork, clock: TestClock
) -> None:
    _, given, user_id = _brand(units, uow, clock)
    app = oauth.register(units, clock, name="Reporting", redirect_uris=["https://app.example/cb"])
    sent_to = oauth.approve(
        units, clock, app_id=app.app_id, redirect_uri="https://app.example/cb",
        user_id=user_id, advertiser_ids=[given], state="s",
    )  # fmt: skip
    code = sent_to.split("auth_code=")[1].split("&")[0]
    grant = oauth.access_token(units, clock, app_id=app.app_id, secret=app.secret, auth_code=code)
    client.cookies.clear()
    csrf = csrf_of(client.get("/signin").text)
    refused = client.post("/signin", data={"token": grant.access_token, "csrf_token": csrf})
    assert refused.status_code == 400
    assert "an app acts on its approved ad accounts only" in refused.text
    assert client.get("/ads", follow_redirects=False).status_code == 303  # not signed in


def test_only_an_admin_revokes_and_only_its_own_accounts_named_tokens(
    units: UnitOfWorkFactory, uow: UnitOfWork, clock: TestClock
) -> None:
    bc_id, _, user_id = _brand(units, uow, clock)
    other_bc = business_center(uow, clock, name="Other Group")
    theirs = accounts.api_tokens(units, _admin(other_bc.id, None)).tokens[0].token_id
    mine = accounts.create_api_token(
        units, clock, _admin(bc_id, user_id), name="mine", role=Role.ANALYST
    )
    [row] = [t for t in accounts.api_tokens(units, _admin(bc_id, None)).tokens if t.label == "mine"]
    for principal, token_id, code in (
        (_admin(bc_id, user_id, Role.ANALYST), row.token_id, "role_not_allowed"),
        (_admin(bc_id, user_id), theirs, "no_permission"),
        (_admin(bc_id, user_id), "no-such-token", "no_permission"),
    ):
        with pytest.raises(SparkadsError) as refused:
            accounts.revoke_api_token(units, clock, principal, token_id)
        assert refused.value.code == code
    with pytest.raises(SparkadsError) as analyst:
        accounts.create_api_token(units, clock, _admin(bc_id, None, Role.ANALYST), name="x",
                                  role=Role.ADMIN)  # fmt: skip
    assert analyst.value.code == "role_not_allowed"
    assert mine.startswith("bc_")
    accounts.revoke_api_token(units, clock, _admin(bc_id, user_id), row.token_id)
    assert "mine" not in [t.label for t in accounts.api_tokens(units, _admin(bc_id, None)).tokens]
    assert accounts.api_tokens(units, _admin(other_bc.id, None)).tokens[0].token_id == theirs


def test_a_limited_admin_manages_only_the_tokens_it_made(
    units: UnitOfWorkFactory, uow: UnitOfWork, clock: TestClock
) -> None:
    """A member limited to some ad accounts neither sees nor revokes the Business Center's other
    tokens, which may reach every ad account."""
    bc_id, given, user_id = _brand(units, uow, clock)
    limited = Principal(
        TokenScope.BUSINESS_CENTER, bc_id, "web", Role.ADMIN,
        advertisers=frozenset({given}), user_id=user_id,
    )  # fmt: skip
    whole = [t.token_id for t in accounts.api_tokens(units, _admin(bc_id, None)).tokens]
    assert whole  # the Business Center's own first token, unrestricted
    assert accounts.api_tokens(units, limited).tokens == []
    for token_id in whole:
        with pytest.raises(SparkadsError) as refused:
            accounts.revoke_api_token(units, clock, limited, token_id)
        assert refused.value.code == "no_permission"
    accounts.create_api_token(units, clock, limited, name="mine", role=Role.ANALYST)
    [mine] = accounts.api_tokens(units, limited).tokens
    assert mine.label == "mine"
    accounts.revoke_api_token(units, clock, limited, mine.token_id)
    assert accounts.api_tokens(units, limited).tokens == []
    assert [t.token_id for t in accounts.api_tokens(units, _admin(bc_id, None)).tokens] == whole


def test_an_account_opens_with_a_token_or_none_and_as_a_demo_account_or_not(
    units: UnitOfWorkFactory, clock: TestClock
) -> None:
    plain = accounts.create_creator(units, clock, handle="lea.plain", followers=12)
    quiet = accounts.create_creator(
        units, clock, accounts.Opening(token=False, demo=True), handle="lea.quiet"
    )
    assert plain.token.startswith("crt_")
    assert plain.account.followers == 12
    assert quiet.token == ""
    with units() as unit:
        named = {row.subject_id for row in unit.session.scalars(select(AccessToken))}
        assert named == {plain.account.creator_id}
        for created, demo in ((plain, False), (quiet, True)):
            subject_id = created.account.creator_id
            assert is_demo(unit.session, scope=TokenScope.CREATOR, subject_id=subject_id) is demo
    with pytest.raises(SparkadsError) as taken:
        accounts.create_creator(units, clock, handle="lea.quiet")
    assert taken.value.code == "handle_taken"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"currency": "XYZ"}, "currency"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_an_account_with_a_bad_name_currency_or_time_zone_is_refused_and_not_written(
    units: UnitOfWorkFactory, clock: TestClock, fields: dict[str, str], field: str
) -> None:
    given = {"name": "Brand", "currency": "eur", "timezone": "Europe/Paris"} | fields
    for create in (accounts.create_business_center, accounts.create_advertiser):
        with pytest.raises(SparkadsError) as refused:
            create(units, clock, accounts.Opening(token=False), **given)
        assert (refused.value.code, refused.value.params["field"]) == ("invalid_parameter", field)
    bc = accounts.create_business_center(units, clock, name=" Brand ", currency="eur").account
    assert (bc.name, bc.currency, bc.timezone) == ("Brand", "EUR", "Europe/Paris")
    with units() as unit:
        assert unit.session.scalars(select(Advertiser)).all() == []
