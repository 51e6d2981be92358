"""Developer apps, TikTok's way (issue 15): an operator registers an app, a person approves ad
accounts on /portal/auth, the app trades the single-use auth_code for a token scoped to them
(oauth2/access_token/), lists them (oauth2/advertiser/get/), and gives the token back
(oauth2/revoke_token/); Ads Manager lists and revokes app tokens."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, business_center, campaign_body, open_api_get, open_api_post
from factories.server import hermetic_env
from factories.web import csrf_of, sign_in
from sparkads.accounts import people, service
from sparkads.accounts.models import AccessToken, AuthCode, Role, TokenScope, User
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

PASSWORD = "correct horse battery"
REDIRECT = "https://tools.agency.example/tiktok/callback"


def _world(client: TestClient, uow: UnitOfWork, clock: TestClock) -> dict[str, Any]:
    """A Business Center with two ad accounts, another one elsewhere, an admin who signs in with
    a password, an operator token, and an app registered through the operator API."""
    bc = business_center(uow, clock)
    first = service.create_advertiser(
        uow.session, clock, name="Brand FR", currency="EUR", timezone="Europe/Paris", bc_id=bc.id
    )
    second = service.create_advertiser(
        uow.session, clock, name="Brand DE", currency="EUR", timezone="Europe/Berlin", bc_id=bc.id
    )
    other = business_center(uow, clock, name="Other Group")
    elsewhere = service.create_advertiser(
        uow.session, clock, name="Other", currency="EUR", timezone="Europe/Paris", bc_id=other.id
    )
    user = people.create_user(uow.session, clock, email="admin@brand.example", password=PASSWORD)
    people.add_membership(
        uow.session, clock, user=user, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id,
        role=Role.ADMIN,
    )  # fmt: skip
    operator = service.issue_token(uow.session, clock, scope=TokenScope.OPERATOR, subject_id="ops")
    uow.commit()
    made = client.post(
        "/api/v1/operator/apps",
        json={"name": "Agency Reports", "redirect_uris": [REDIRECT, "http://127.0.0.1:9/cb"]},
        headers={"Authorization": f"Bearer {operator}"},
    )
    assert made.status_code == 201, made.text
    app = made.json()
    return {
        "bc": bc,
        "first": first.advertiser_id,
        "second": second.advertiser_id,
        "elsewhere": elsewhere.advertiser_id,
        "app_id": app["app_id"],
        "secret": app["secret"],
        "operator": operator,
    }


def _password_sign_in(client: TestClient, email: str = "admin@brand.example") -> None:
    client.cookies.clear()
    csrf = csrf_of(client.get("/signin").text)
    response = client.post(
        "/signin/password",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _approve(
    client: TestClient, app_id: str, advertisers: list[str], *, redirect_uri: str = REDIRECT,
    state: str = "s-42", decision: str = "approve",
) -> Any:  # fmt: skip
    page = client.get(
        "/portal/auth", params={"app_id": app_id, "redirect_uri": redirect_uri, "state": state}
    )
    assert page.status_code == 200, page.text
    form = [("csrf_token", csrf_of(page.text)), ("app_id", app_id)]
    form += [("redirect_uri", redirect_uri), ("state", state), ("decision", decision)]
    form += [("advertiser_id", a) for a in advertisers]
    return client.post(
        "/portal/auth",
        content="&".join(f"{k}={v}" for k, v in form).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )


def _code_from(response: Any) -> str:
    assert response.status_code == 303, response.text
    target = urlsplit(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == REDIRECT
    query = parse_qs(target.query)
    assert query["state"] == ["s-42"]
    assert query["code"] == query["auth_code"]
    return query["auth_code"][0]


def _exchange(client: TestClient, app_id: str, secret: str, code: str) -> dict[str, Any]:
    response = client.post(
        "/open_api/v1.3/oauth2/access_token/",
        json={"app_id": app_id, "secret": secret, "auth_code": code},
    )
    assert response.status_code == 200
    return dict(response.json())


def test_an_approved_app_gets_a_token_for_exactly_the_approved_ad_accounts(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    _password_sign_in(client)
    page = client.get("/portal/auth", params={"app_id": world["app_id"], "state": "s"})
    assert "Agency Reports" in page.text
    assert "Brand FR" in page.text
    assert "Brand DE" in page.text
    assert "Other" not in page.text.replace("Other Group", "")  # ad accounts of others: no
    # the approval may leave for the app's registered origin, and only that one
    assert (
        "form-action 'self' https://tools.agency.example" in page.headers["content-security-policy"]
    )
    code = _code_from(_approve(client, world["app_id"], [world["first"]]))

    answer = _exchange(client, world["app_id"], world["secret"], code)

    assert answer["code"] == 0, answer
    data = answer["data"]
    assert data["advertiser_ids"] == [world["first"]]
    assert data["scope"] == [1, 2, 3, 4]
    app = Account(world["first"], data["access_token"])
    listed = open_api_get(
        client, app, "oauth2/advertiser/get/", app_id=world["app_id"], secret=world["secret"]
    )
    assert listed["code"] == 0
    assert listed["data"]["list"] == [
        {"advertiser_id": world["first"], "advertiser_name": "Brand FR"}
    ]
    made = open_api_post(client, app, "campaign/create/", **campaign_body(app, budget=100))
    assert made["code"] == 0, made
    other = Account(world["second"], data["access_token"])
    refused = open_api_get(client, other, "campaign/get/", advertiser_id=world["second"])
    assert refused["code"] == 40001  # not approved, although the person may manage it
    # with another app's credentials, or a wrong secret, oauth2/advertiser/get refuses
    wrong = open_api_get(
        client, app, "oauth2/advertiser/get/", app_id=world["app_id"], secret="not-it"
    )
    assert wrong["code"] == 40101
    assert wrong["data"]["error"]["reason"] == "app_credentials_invalid"


def test_an_auth_code_works_once_for_its_app_and_expires(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    _password_sign_in(client)
    code = _code_from(_approve(client, world["app_id"], [world["first"]]))
    assert _exchange(client, world["app_id"], "wrong", code)["code"] == 40101
    assert _exchange(client, "7000000000000000001", world["secret"], code)["code"] == 40101

    assert _exchange(client, world["app_id"], world["secret"], code)["code"] == 0
    replay = _exchange(client, world["app_id"], world["secret"], code)
    assert replay["code"] == 40110
    assert replay["data"]["error"]["reason"] == "oauth_code_invalid"
    assert "10 minutes" in replay["data"]["error"]["cause"]

    late = _code_from(_approve(client, world["app_id"], [world["first"]]))
    clock.advance(timedelta(minutes=10, seconds=1))
    assert _exchange(client, world["app_id"], world["secret"], late)["code"] == 40110
    assert _exchange(client, world["app_id"], world["secret"], "made-up")["code"] == 40110
    missing = client.post(
        "/open_api/v1.3/oauth2/access_token/", json={"app_id": world["app_id"], "secret": "x"}
    ).json()
    assert missing["code"] == 40002
    assert "auth_code" in missing["message"]
    # codes are stored only as digests
    uow.session.expire_all()
    stored = [row.code_hash for row in uow.session.scalars(select(AuthCode))]
    assert len(stored) == 2
    assert code not in stored
    assert late not in stored


def test_revoke_token_stops_the_token_and_only_its_app_may_revoke_it(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    _password_sign_in(client)
    code = _code_from(_approve(client, world["app_id"], [world["first"], world["second"]]))
    token = _exchange(client, world["app_id"], world["secret"], code)["data"]["access_token"]
    app = Account(world["first"], token)
    assert open_api_get(client, app, "campaign/get/", advertiser_id=world["first"])["code"] == 0
    bc_token = Account(world["first"], world["bc"].token)
    not_its_own = client.post(
        "/open_api/v1.3/oauth2/revoke_token/",
        json={"app_id": world["app_id"], "secret": world["secret"], "access_token": bc_token.token},
    ).json()
    assert not_its_own["code"] == 40105  # a token the app did not obtain
    bad_secret = client.post(
        "/open_api/v1.3/oauth2/revoke_token/",
        json={"app_id": world["app_id"], "secret": "nope", "access_token": token},
    ).json()
    assert bad_secret["code"] == 40101

    revoked = client.post(
        "/open_api/v1.3/oauth2/revoke_token/",
        json={"app_id": world["app_id"], "secret": world["secret"], "access_token": token},
    ).json()

    assert revoked["code"] == 0, revoked
    after = open_api_get(client, app, "campaign/get/", advertiser_id=world["first"])
    assert after["code"] == 40105
    assert (
        open_api_get(client, bc_token, "campaign/get/", advertiser_id=world["first"])["code"] == 0
    )


def test_ads_manager_lists_app_tokens_and_revokes_them(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    _password_sign_in(client)
    code = _code_from(_approve(client, world["app_id"], [world["second"]]))
    token = _exchange(client, world["app_id"], world["secret"], code)["data"]["access_token"]
    page = client.get("/tokens")
    assert f'data-app-id="{world["app_id"]}"' in page.text
    assert "Agency Reports" in page.text
    assert world["second"] in page.text
    uow.session.expire_all()
    row = uow.session.scalar(select(AccessToken).where(AccessToken.app_id == world["app_id"]))
    assert row is not None
    assert row.token_hash != token

    response = client.post(
        f"/tokens/{row.token_id}/revoke",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert f'data-app-id="{world["app_id"]}"' not in client.get("/tokens").text
    app = Account(world["second"], token)
    assert (
        open_api_get(client, app, "campaign/get/", advertiser_id=world["second"])["code"] == 40105
    )


def test_the_authorization_page_never_sends_anyone_elsewhere(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    # nobody signed in: the sign-in page first, then back here
    first = client.get("/portal/auth", params={"app_id": world["app_id"]}, follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"].startswith("/signin?next=")
    _password_sign_in(client)
    foreign = client.get(
        "/portal/auth",
        params={"app_id": world["app_id"], "redirect_uri": "https://evil.example/cb"},
    )
    assert foreign.status_code == 400
    assert 'data-error-code="redirect_uri_not_registered"' in foreign.text
    unknown = client.get("/portal/auth", params={"app_id": "7000000000000000001"})
    assert unknown.status_code == 400
    assert "app_id" in unknown.text
    # cancelling goes back to the app with error=access_denied and its state
    denied = _approve(client, world["app_id"], [], decision="deny")
    assert denied.status_code == 303
    query = parse_qs(urlsplit(denied.headers["location"]).query)
    assert query == {"error": ["access_denied"], "state": ["s-42"]}
    # nothing chosen, or accounts of two Business Centers, or another's: the page again, no code
    empty = _approve(client, world["app_id"], [])
    assert empty.status_code == 400
    assert 'data-error-code="invalid_parameter"' in empty.text
    theirs = _approve(client, world["app_id"], [world["elsewhere"]])
    assert theirs.status_code == 400
    assert 'data-error-code="no_permission"' in theirs.text
    uow.session.expire_all()
    assert list(uow.session.scalars(select(AuthCode))) == []


def test_accounts_of_two_business_centers_are_approved_separately(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    user = uow.session.scalar(select(User).where(User.email == "admin@brand.example"))
    assert user is not None
    other_bc = service.get_advertiser(uow.session, world["elsewhere"]).bc_id
    assert other_bc is not None
    people.add_membership(
        uow.session, clock, user=user,
        scope=TokenScope.BUSINESS_CENTER, subject_id=other_bc, role=Role.OPERATOR,
    )  # fmt: skip
    uow.commit()
    _password_sign_in(client)

    both = _approve(client, world["app_id"], [world["first"], world["elsewhere"]])

    assert both.status_code == 400
    assert 'data-error-code="oauth_one_business_center"' in both.text
    code = _code_from(_approve(client, world["app_id"], [world["elsewhere"]]))
    answer = _exchange(client, world["app_id"], world["secret"], code)
    assert answer["data"]["advertiser_ids"] == [world["elsewhere"]]


def test_an_analyst_hands_on_only_reading_and_a_token_session_cannot_authorize(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    analyst = people.create_user(
        uow.session, clock, email="reader@brand.example", password=PASSWORD
    )
    people.add_membership(
        uow.session, clock, user=analyst, scope=TokenScope.BUSINESS_CENTER,
        subject_id=world["bc"].id, role=Role.ANALYST,
    )  # fmt: skip
    uow.commit()
    _password_sign_in(client, "reader@brand.example")
    code = _code_from(_approve(client, world["app_id"], [world["first"]]))
    answer = _exchange(client, world["app_id"], world["secret"], code)
    assert answer["data"]["scope"] == [1, 4]
    app = Account(world["first"], answer["data"]["access_token"])
    assert open_api_get(client, app, "campaign/get/", advertiser_id=world["first"])["code"] == 0
    write = open_api_post(client, app, "campaign/create/", **campaign_body(app, budget=100))
    assert write["data"]["error"]["reason"] == "role_not_allowed"
    # a web session opened with a pasted token belongs to no person: it cannot hand anything on
    sign_in(client, world["bc"].token)
    page = client.get("/portal/auth", params={"app_id": world["app_id"]})
    assert page.status_code == 403
    assert 'data-error-code="oauth_person_required"' in page.text


def test_apps_keep_only_a_digest_of_their_secret_and_disabling_revokes_their_tokens(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock)
    operator = {"Authorization": f"Bearer {world['operator']}"}
    listed = client.get("/api/v1/operator/apps", headers=operator).json()
    assert [a["app_id"] for a in listed] == [world["app_id"]]
    assert listed[0]["secret"] is None
    bad = client.post(
        "/api/v1/operator/apps",
        json={"name": "Leaky", "redirect_uris": ["http://agency.example/cb"]},
        headers=operator,
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_parameter"
    not_operator = client.get(
        "/api/v1/operator/apps", headers=Account("", world["bc"].token).bearer
    )
    assert not_operator.status_code == 403
    _password_sign_in(client)
    code = _code_from(_approve(client, world["app_id"], [world["first"]]))
    token = _exchange(client, world["app_id"], world["secret"], code)["data"]["access_token"]

    off = client.post(f"/api/v1/operator/apps/{world['app_id']}/disable", headers=operator)

    assert off.json() == {"app_id": world["app_id"], "tokens_revoked": 1}
    app = Account(world["first"], token)
    assert open_api_get(client, app, "campaign/get/", advertiser_id=world["first"])["code"] == 40105
    assert client.get("/portal/auth", params={"app_id": world["app_id"]}).status_code == 400


def test_the_cli_registers_an_app_whose_secret_works_once_shown(
    client: TestClient, uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    world = _world(client, uow, clock)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sparkads", "apps", *args, "--database-url", database_url],
            capture_output=True, text=True, timeout=120, check=False, env=hermetic_env(),
        )  # fmt: skip

    made = cli("create", "--name", "Warehouse sync", "--redirect-uri", REDIRECT, "--json")
    assert made.returncode == 0, made.stderr
    app = json.loads(made.stdout)
    assert app["redirect_uris"] == [REDIRECT]
    assert app["authorization_url"] == f"/portal/auth?app_id={app['app_id']}"
    listed = client.get(
        "/api/v1/operator/apps", headers={"Authorization": f"Bearer {world['operator']}"}
    )
    assert app["secret"] not in listed.text
    assert {a["name"] for a in listed.json()} == {"Agency Reports", "Warehouse sync"}
    _password_sign_in(client)
    code = _code_from(_approve(client, app["app_id"], [world["first"]]))
    assert _exchange(client, app["app_id"], app["secret"], code)["code"] == 0
    off = cli("disable", app["app_id"], "--json")
    assert json.loads(off.stdout) == {"app_id": app["app_id"], "tokens_revoked": 1}


def test_an_app_token_cannot_administer_the_business_center(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """An app acts on the ad accounts a person approved: it may not share another of the Business
    Center's accounts with a partner it controls, nor list the Business Center's assets."""
    world = _world(client, uow, clock)
    _password_sign_in(client)
    code = _code_from(_approve(client, world["app_id"], [world["first"]]))
    token = _exchange(client, world["app_id"], world["secret"], code)["data"]["access_token"]
    app = Account(world["first"], token)
    partner = business_center(uow, clock, name="Partner of the app")
    uow.commit()
    shared = open_api_post(
        client, app, "bc/partner/add/", bc_id=world["bc"].id, partner_id=partner.id,
        asset_type="ADVERTISER", asset_ids=[world["second"]], advertiser_role="ADMIN",
    )  # fmt: skip
    assert shared["code"] == 40001, shared
    listed = open_api_get(
        client, app, "bc/asset/get/", bc_id=world["bc"].id, asset_type="ADVERTISER"
    )
    assert listed["code"] == 40001, listed
    # and the unapproved account stays out of reach
    other = Account(world["second"], token)
    assert open_api_get(client, other, "campaign/get/", advertiser_id=world["second"])["code"] == (
        40001
    )
