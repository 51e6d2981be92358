"""People, roles and sessions (issue 16): an analyst cannot change a budget through the web or
either API; sign-out, expiry, idle time and password changes end web sessions; the cookie is never
an API token; password reset by a one-time link; members limited to some ad accounts."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from factories import Account, business_center, campaign_body, open_api_get, open_api_post
from factories.server import hermetic_env
from factories.web import csrf_of
from sparkads.accounts import people, service
from sparkads.accounts.models import Role, TokenScope
from sparkads.campaigns.models import Campaign
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork

PASSWORD = "correct horse battery"


def _brand_with_campaign(client: TestClient, uow: UnitOfWork, clock: TestClock):  # type: ignore[no-untyped-def]
    bc = business_center(uow, clock)
    adv = service.create_advertiser(
        uow.session, clock, name="Brand FR", currency="EUR", timezone="Europe/Paris", bc_id=bc.id
    )
    uow.commit()
    admin = Account(adv.advertiser_id, bc.token)
    made = open_api_post(client, admin, "campaign/create/", **campaign_body(admin, budget=100))
    assert made["code"] == 0, made
    return bc, adv.advertiser_id, made["data"]["campaign_id"]


def _budget(uow: UnitOfWork, campaign_id: str) -> int:
    uow.session.expire_all()
    return uow.session.get_one(Campaign, campaign_id).budget


def _member(uow: UnitOfWork, clock: TestClock, bc_id: str, role: Role, **kw) -> str:  # type: ignore[no-untyped-def]
    email = f"{role.value}-{len(kw)}@brand.example"
    user = people.create_user(uow.session, clock, email=email, password=PASSWORD)
    people.add_membership(
        uow.session, clock, user=user, scope=TokenScope.BUSINESS_CENTER, subject_id=bc_id,
        role=role, **kw,
    )  # fmt: skip
    uow.commit()
    return email


def _password_sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    client.cookies.clear()
    csrf = csrf_of(client.get("/signin").text)
    return client.post(
        "/signin/password",
        data={"email": email, "password": password, "csrf_token": csrf},
        follow_redirects=False,
    )


def test_an_analyst_cannot_change_a_budget_through_the_web_or_either_api(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc, advertiser_id, campaign_id = _brand_with_campaign(client, uow, clock)
    before = _budget(uow, campaign_id)
    # open API, with an analyst token of the Business Center: reads yes, writes no
    analyst_token = service.issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id,
        label="reporting", role=Role.ANALYST,
    )  # fmt: skip
    uow.commit()
    analyst = Account(advertiser_id, analyst_token)
    listed = open_api_get(client, analyst, "campaign/get/", advertiser_id=advertiser_id)
    assert listed["code"] == 0
    update = open_api_post(
        client, analyst, "campaign/update/",
        advertiser_id=advertiser_id, campaign_id=campaign_id, budget=500,
    )  # fmt: skip
    assert update["data"]["error"]["reason"] == "role_not_allowed"
    # native API: any change is refused with 403
    native = client.post(
        "/api/v1/access-requests",
        headers=analyst.bearer,
        json={"handle": "someone", "bc_id": bc.id},
    )
    assert native.status_code == 403
    assert native.json()["error"]["code"] == "role_not_allowed"
    assert client.get("/api/v1/me", headers=analyst.bearer).status_code == 200
    # web, signed in with a password as an analyst member
    email = _member(uow, clock, bc.id, Role.ANALYST)
    assert _password_sign_in(client, email).status_code == 303
    page = client.get("/ads/campaigns")
    assert page.status_code == 200
    web = client.post(
        f"/ads/campaigns/{campaign_id}/budget",
        data={"budget": "500", "csrf_token": csrf_of(page.text)},
    )
    assert web.status_code == 403
    assert 'data-error-code="role_not_allowed"' in web.text
    assert _budget(uow, campaign_id) == before
    # an operator may
    operator_email = _member(uow, clock, bc.id, Role.OPERATOR, advertiser_ids=())
    assert _password_sign_in(client, operator_email).status_code == 303
    page = client.get("/ads/campaigns")
    done = client.post(
        f"/ads/campaigns/{campaign_id}/budget",
        data={"budget": "500", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text[-3000:]
    assert _budget(uow, campaign_id) == 500_000_000


def test_sign_out_revokes_the_session_and_the_cookie_is_not_the_api_token(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock)
    csrf = csrf_of(client.get("/signin").text)
    client.post("/signin", data={"token": bc.token, "csrf_token": csrf})
    cookie = client.cookies.get("sa_session")
    assert cookie
    assert cookie != bc.token
    assert client.get("/ads", follow_redirects=False).status_code == 200  # in: the first-run page
    # the session is not an API token either
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {cookie}"}).status_code == 401
    )
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/signin").text)})
    client.cookies.set("sa_session", cookie)  # a copy of the cookie kept from before
    again = client.get("/ads", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/signin")


def test_web_sessions_expire_and_end_when_idle(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock)
    email = _member(uow, clock, bc.id, Role.ADMIN)
    assert _password_sign_in(client, email).status_code == 303
    clock.advance(timedelta(hours=11))
    assert client.get("/ads", follow_redirects=False).status_code in (200, 404)  # still in
    clock.advance(timedelta(hours=13))  # idle for longer than 12 hours
    assert client.get("/ads", follow_redirects=False).status_code == 303
    assert _password_sign_in(client, email).status_code == 303
    for _ in range(16):  # used every 11 hours, but 7 days is the most a session lives
        clock.advance(timedelta(hours=11))
        client.get("/ads", follow_redirects=False)
    assert client.get("/ads", follow_redirects=False).status_code == 303


def test_expired_and_revoked_api_tokens_are_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock)
    short = service.issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id,
        label="ci", expires_at=clock.now() + timedelta(hours=1),
    )  # fmt: skip
    uow.commit()
    me = {"Authorization": f"Bearer {short}"}
    assert client.get("/api/v1/me", headers=me).status_code == 200
    clock.advance(timedelta(hours=2))
    client.app.state.context.principals.clear()  # type: ignore[attr-defined]  # (its minute)
    assert client.get("/api/v1/me", headers=me).status_code == 401


def test_password_reset_by_a_one_time_link_ends_every_session(
    settings: Settings, clock: TestClock, uow: UnitOfWork, tmp_path: Path
) -> None:
    from sparkads.api.app import create_app

    outbox = tmp_path / "outbox.txt"
    app = create_app(settings.with_(reset_sender=f"file:{outbox}"), clock)
    with TestClient(app) as client, TestClient(app) as other_browser:
        bc = business_center(uow, clock)
        email = _member(uow, clock, bc.id, Role.ADMIN)
        assert _password_sign_in(other_browser, email).status_code == 303
        csrf = csrf_of(client.get("/password/forgot").text)
        for address in (email, "nobody@brand.example"):
            sent = client.post("/password/forgot", data={"email": address, "csrf_token": csrf})
            assert sent.status_code == 200  # the same answer whether or not the account exists
        [line] = outbox.read_text().splitlines()
        assert line.startswith(email)
        link = line.split()[1]
        token = link.split("token=")[1]
        page = client.get(f"/password/reset?token={token}")
        form = {
            "token": token,
            "password": "a brand new passphrase",
            "csrf_token": csrf_of(page.text),
        }
        assert client.post("/password/reset", data=form, follow_redirects=False).status_code == 303
        reused = client.post("/password/reset", data=form)
        assert 'data-error-code="reset_link_invalid"' in reused.text
        # the other browser's session ended with the old password
        assert other_browser.get("/ads", follow_redirects=False).status_code == 303
        assert _password_sign_in(client, email).status_code == 400
        assert _password_sign_in(client, email, "a brand new passphrase").status_code == 303


def test_a_member_sees_only_the_ad_accounts_given_to_them(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock)
    given, other = (
        service.create_advertiser(
            uow.session, clock, name=name, currency="EUR", timezone="Europe/Paris", bc_id=bc.id
        ).advertiser_id
        for name in ("Given FR", "Other DE")
    )
    uow.commit()
    email = _member(uow, clock, bc.id, Role.OPERATOR, advertiser_ids=(given,))
    assert _password_sign_in(client, email).status_code == 303
    page = client.get("/ads")
    assert "Given FR" in page.text
    assert "Other DE" not in page.text
    client.get(f"/ads/account?advertiser_id={other}")  # ignored: not one of theirs
    assert "Other DE" not in client.get("/ads").text


def test_cli_bootstraps_the_first_admin(database_url: str, client: TestClient, uow, clock) -> None:  # type: ignore[no-untyped-def]
    bc = business_center(uow, clock)
    done = subprocess.run(
        [sys.executable, "-m", "sparkads", "users", "create", "--email", "Admin@Brand.example",
         "--bc-id", bc.id, "--json", "--database-url", database_url],
        capture_output=True, text=True, timeout=120, check=False,
        env={**hermetic_env(), "SPARKADS_NEW_PASSWORD": PASSWORD},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"role": "admin"' in done.stdout
    assert _password_sign_in(client, "admin@brand.example").status_code == 303
    assert _password_sign_in(client, "admin@brand.example", "wrong password!!").status_code == 400


def test_api_tokens_are_named_scoped_expiring_and_revocable_in_the_web_app(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc, advertiser_id, campaign_id = _brand_with_campaign(client, uow, clock)
    email = _member(uow, clock, bc.id, Role.ADMIN)
    assert _password_sign_in(client, email).status_code == 303
    page = client.get("/tokens")
    made = client.post(
        "/tokens",
        data={
            "name": "reporting",
            "role": "analyst",
            "days": "30",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert made.status_code == 200, made.text
    secret = made.text.split("data-token>")[1].split("<")[0]
    reader = Account(advertiser_id, secret)
    assert open_api_get(client, reader, "campaign/get/", advertiser_id=advertiser_id)["code"] == 0
    refused = open_api_post(
        client, reader, "campaign/update/",
        advertiser_id=advertiser_id, campaign_id=campaign_id, budget=500,
    )  # fmt: skip
    assert refused["data"]["error"]["reason"] == "role_not_allowed"
    assert "reporting" in made.text
    assert "analyst" in made.text
    [token_id] = [
        row.split('"')[0] for row in made.text.split('data-token-id="')[1:] if ">reporting<" in row
    ]
    revoked = client.post(
        f"/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_of(made.text)},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    gone = open_api_get(client, reader, "campaign/get/", advertiser_id=advertiser_id)
    assert gone["data"]["error"]["reason"] == "access_token_invalid"
    # an analyst member cannot make tokens
    analyst = _member(uow, clock, bc.id, Role.ANALYST)
    assert _password_sign_in(client, analyst).status_code == 303
    page = client.get("/tokens")
    denied = client.post(
        "/tokens", data={"name": "x", "role": "admin", "csrf_token": csrf_of(page.text)}
    )
    assert denied.status_code == 403


def test_a_creator_signs_in_with_a_password_into_creator_studio(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    row = service.create_creator(uow.session, clock, handle="lea.signs.in")
    user = people.create_user(uow.session, clock, email="lea@example.org", password=PASSWORD)
    people.add_membership(
        uow.session, clock, user=user, scope=TokenScope.CREATOR, subject_id=row.creator_id
    )
    uow.commit()
    response = _password_sign_in(client, "LEA@example.org ")
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).headers["location"] == "/studio"
    assert "@lea.signs.in" in client.get("/studio").text
