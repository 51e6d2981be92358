"""Revoking, on the tokens page, the API token one's web session was opened with: the row says so
before (and so does the confirmation), in English and French; once revoked, the session ends (and
every other session opened with that token) and the reader lands on the sign-in page told why.
Other tokens, and sessions opened with them, are untouched."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import Account, advertiser
from factories.web import csrf_of, sign_in
from sparkads.accounts import service
from sparkads.accounts.models import AccessToken, TokenScope
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.services import sign_in as sessions
from sparkads.services.units import Units

WORDS = {
    "en": (
        "You are signed in with this token: revoking it signs you out.",
        "This is the token of your current session: revoking it signs you out, and programs using"
        " it stop working. Revoke it?",
        "Revoke this token? Programs using it stop working.",
        "You are signed out: the token you signed in with is revoked. Sign in with another token.",
    ),
    "fr": (
        "Vous êtes connecté avec ce jeton : le révoquer vous déconnecte.",
        "C'est le jeton de votre session actuelle : le révoquer vous déconnecte, et les programmes"
        " qui l'utilisent cessent de fonctionner. Le révoquer ?",
        "Révoquer ce jeton ? Les programmes qui l'utilisent cessent de fonctionner.",
        "Vous êtes déconnecté : le jeton avec lequel vous vous êtes connecté est révoqué."
        " Connectez-vous avec un autre jeton.",
    ),
}


def _row(page: str, token_id: str) -> str:
    found = re.search(rf'<tr data-token-id="{token_id}"[^>]*>(.*?)</tr>', page, flags=re.S)
    assert found is not None, token_id
    return html.unescape(found.group(0))


def _with_another_token(uow: UnitOfWork, clock: TestClock) -> tuple[Account, str]:
    """An ad account (its first token) and a second token of the same account, named "ci"."""
    brand = advertiser(uow, clock)
    other = service.issue_token(
        uow.session, clock, scope=TokenScope.ADVERTISER, subject_id=brand.id, label="ci"
    )
    uow.commit()
    return brand, other


def _token_id(units: Units, clock: TestClock, secret: str) -> str:
    return sessions.principal_of(units, clock.now(), secret).token_id


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_session_s_token_is_marked_and_revoking_it_signs_out_saying_why(
    lang: str, client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, other = _with_another_token(uow, clock)
    units = client.app.state.context.uow  # type: ignore[attr-defined]
    own_id, other_id = _token_id(units, clock, brand.token), _token_id(units, clock, other)
    warning, confirm_own, confirm_other, signed_out = WORDS[lang]
    sign_in(client, brand.token)
    client.cookies.set("sa_lang", lang)

    page = client.get("/tokens").text
    own, kept = _row(page, own_id), _row(page, other_id)
    assert "data-session-token" in own
    assert warning in own
    assert f'data-confirm="{confirm_own}"' in own
    assert "data-session-token" not in kept
    assert warning not in kept
    assert f'data-confirm="{confirm_other}"' in kept

    revoked = client.post(
        f"/tokens/{own_id}/revoke", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert (revoked.status_code, revoked.headers["location"]) == (303, "/signin")
    landed = client.get("/signin")
    assert signed_out in html.unescape(landed.text)
    assert "sa_session" not in client.cookies
    again = client.get("/tokens", follow_redirects=False)  # signed out: the page asks to sign in
    assert again.headers["location"].startswith("/signin")
    assert signed_out not in html.unescape(client.get("/signin").text)  # said once

    uow.session.expire_all()
    assert uow.session.get_one(AccessToken, own_id).revoked_at is not None
    assert uow.session.get_one(AccessToken, other_id).revoked_at is None  # others unchanged
    sign_in(client, other)  # and still open the web app
    assert client.get("/tokens").status_code == 200


def test_revoking_another_token_keeps_the_session(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, other = _with_another_token(uow, clock)
    other_id = _token_id(client.app.state.context.uow, clock, other)  # type: ignore[attr-defined]
    sign_in(client, brand.token)

    page = client.get("/tokens").text
    revoked = client.post(f"/tokens/{other_id}/revoke", data={"csrf_token": csrf_of(page)})

    assert (revoked.status_code, revoked.url.path) == (200, "/tokens")
    assert "The token is revoked." in revoked.text
    assert f'data-token-id="{other_id}"' not in revoked.text
    assert "data-session-token" in revoked.text  # still signed in with the first one


def test_a_revoked_token_ends_every_session_opened_with_it_and_no_other(
    database_url: str, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, other = _with_another_token(uow, clock)
    engine = make_engine(database_url)
    units = UnitOfWorkFactory(engine)
    own_id = _token_id(units, clock, brand.token)

    def opened(token: str) -> str:
        return sessions.with_token(units, clock, token, refused=lambda: None)

    first, second, kept = opened(brand.token), opened(brand.token), opened(other)
    found = sessions.signed_in(units, clock.now(), first)
    assert found is not None
    assert found.opened_with == own_id

    with units() as unit:
        service.revoke_token(unit.session, clock, own_id)
        unit.commit()

    assert sessions.signed_in(units, clock.now(), first) is None
    assert sessions.signed_in(units, clock.now(), second) is None
    assert sessions.signed_in(units, clock.now(), kept) is not None
    engine.dispose()
