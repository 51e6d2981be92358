"""The web app without a browser: what a plain HTTP client gets (fast checks; the browser tests in
tests/browser cover the journeys)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factories.web import csrf_of
from sparkads.accounts import service as accounts
from sparkads.accounts.models import TokenScope
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _creator_token(uow: UnitOfWork, clock: TestClock) -> str:
    creator = accounts.create_creator(uow.session, clock, handle="lea.cooks")
    token = accounts.issue_token(
        uow.session, clock, scope=TokenScope.CREATOR, subject_id=creator.creator_id
    )
    uow.commit()
    return token


def test_home_sends_a_visitor_tosign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


def test_session_cookie_is_http_only_and_same_site_lax(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    token = _creator_token(uow, clock)
    csrf = csrf_of(client.get("/signin").text)

    response = client.post(
        "/signin", data={"token": token, "csrf_token": csrf}, follow_redirects=False
    )

    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("sa_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def test_form_with_a_forged_csrf_token_is_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    token = _creator_token(uow, clock)
    client.get("/signin")

    response = client.post("/signin", data={"token": token, "csrf_token": "forged"})

    assert response.status_code == 403
    assert "sa_session=" not in response.headers.get("set-cookie", "")


def test_wrong_token_is_explained_in_the_page_language(client: TestClient) -> None:
    csrf = csrf_of(client.get("/signin").text)

    response = client.post(
        "/signin", data={"token": "crt_nope", "csrf_token": csrf}, headers={"Accept-Language": "fr"}
    )

    assert response.status_code == 400
    assert 'data-error-code="access_token_invalid"' in response.text
    assert '<html lang="fr">' in response.text


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    response = client.get("/studio", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/studio"


def test_unknown_access_request_page_is_a_page_not_json(client: TestClient) -> None:
    response = client.get("/access/acr_unknown")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-error-code="access_request_not_found"' in response.text


def test_static_assets_are_served_locally(client: TestClient) -> None:
    css = client.get("/static/app.css")

    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert client.get("/static/../pyproject.toml").status_code == 404


def test_sign_in_page_shows_commands_as_code_not_backticks(client: TestClient) -> None:
    for language in ("en", "fr"):
        page = client.get("/signin", headers={"Accept-Language": language}).text
        assert "`" not in page
        assert "<code>sparkads demo</code>" in page
        assert "<code>var/demo-tokens.json</code>" in page
