"""A Business Center's first sign-in before any ad account exists: one clear page (no "You are
signed in" beside a "No ad account yet" error, no raw shell backticks), the nav limited to it; an
admin opens the first ad account there (through services.accounts, in the audit log as theirs),
someone else reads how an operator attaches one."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import business_center
from factories.web import csrf_of, sign_in
from sparkads.accounts.models import Advertiser, Role, TokenScope
from sparkads.clock import TestClock
from sparkads.db.audit import AuditEntry
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.services.accounts import create_person


def _ad_accounts(uow: UnitOfWork, bc_id: str) -> list[Advertiser]:
    uow.session.expire_all()
    return list(uow.session.scalars(select(Advertiser).where(Advertiser.bc_id == bc_id)).all())


def _open(client: TestClient, page: str, name: str, currency: str, zone: str) -> httpx.Response:
    """Send the first-run form, as a browser would."""
    return client.post(
        "/ads/first-account",
        data={"csrf_token": csrf_of(page), "name": name, "currency": currency, "timezone": zone},
    )


def _nav(page: str) -> list[str]:
    nav = re.search(r'<ul class="nav">(.*?)</ul>', page, re.S)
    assert nav is not None
    return re.findall(r'<a href="([^"]+)"', nav.group(1))


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Open your first ad account"), ("fr", "Ouvrez votre premier compte publicitaire")],
)
def test_an_admin_s_first_sign_in_opens_the_first_ad_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, title: str
) -> None:
    bc = business_center(uow, clock, name="Agency One")
    sign_in(client, bc.token)
    client.cookies.set("sa_lang", lang)

    page = client.get("/ads/campaigns")

    assert [r.headers["location"] for r in page.history] == ["/ads"]
    text = html.unescape(page.text)
    assert f"<h1>{title}</h1>" in text
    assert 'class="error-box"' not in page.text
    assert 'class="flash success"' not in page.text
    assert "`" not in text
    assert _nav(page.text) == ["/ads", "/ads/business-center"]

    refused = _open(client, page.text, " ", "USD", "America/New_York")
    assert refused.status_code == 400
    assert re.search(r'<input id="name"[^>]*aria-invalid="true"', refused.text)
    assert re.search(r'<option value="America/New_York" selected>', refused.text)
    assert _ad_accounts(uow, bc.id) == []

    opened = _open(client, page.text, "Agency FR", "USD", "America/New_York")

    assert opened.status_code == 200
    assert "Agency FR" in html.unescape(opened.text)
    assert "/ads/campaigns" in _nav(opened.text)
    [row] = _ad_accounts(uow, bc.id)
    assert (row.name, row.currency, row.timezone) == ("Agency FR", "USD", "America/New_York")
    [entry] = uow.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "advertiser", AuditEntry.entity_id == row.advertiser_id
        )
    ).all()
    assert (entry.action, entry.surface, entry.actor_id) == ("create", "web", bc.id)
    assert client.get("/ads/first-account").history  # sent on: there is an ad account now


def test_an_analyst_reads_how_an_operator_attaches_one(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock, name="Agency Two")
    create_person(
        lambda: uow, clock, email="ana@agency.example", password="correct horse battery",
        scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id, role=Role.ANALYST,
    )  # fmt: skip
    client.cookies.clear()
    signin = client.get("/signin").text
    client.post(
        "/signin/password",
        data={"csrf_token": csrf_of(signin), "email": "ana@agency.example",
              "password": "correct horse battery"},
    )  # fmt: skip

    page = client.get("/ads")

    text = html.unescape(page.text)
    assert page.url.path == "/ads"
    assert f"sparkads advertisers create --bc-id {bc.id}" in text
    assert '<form method="post" action="/ads/first-account">' not in page.text
    assert "`" not in text
    refused = _open(client, page.text, "Mine", "EUR", "Europe/Paris")
    assert refused.status_code == 403
    assert _ad_accounts(uow, bc.id) == []
