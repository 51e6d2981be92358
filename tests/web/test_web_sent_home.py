"""Each kind of session on each area of the web app: a page (GET) of an area that is not the
reader's (the Ads Manager, the studio) sends them to their own home with a 303, operators (to the
console) and reviewers (to the review queue) included; a form sent there with the wrong session is
still refused with wrong_token_scope."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute, APIRouter
from fastapi.testclient import TestClient

from factories import advertiser, business_center, creator, operator
from factories.web import csrf_of, sign_in
from sparkads import web
from sparkads.accounts.models import Role
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

HOME = {
    "creator": "/studio",
    "advertiser": "/ads",
    "business_center": "/ads",
    "operator": "/console",
    "reviewer": "/review",
}
# a form of each area, and a field it needs
FORMS = {
    "/ads": ("/ads/campaigns/1/status", {"operation_status": "DISABLE"}),
    "/studio": ("/studio/authorizations/1/revoke", {}),
}


def _routes() -> Iterator[APIRoute]:
    """The routes of every module of the web app."""
    for module in pkgutil.iter_modules(web.__path__):
        found = getattr(importlib.import_module(f"{web.__name__}.{module.name}"), "router", None)
        if isinstance(found, APIRouter):
            yield from (route for route in found.routes if isinstance(route, APIRoute))


def _pages(area: str) -> list[str]:
    """Every page (GET) of an area, its path parameters filled in."""
    paths = {
        re.sub(r"\{[^}]+\}", "1", route.path)
        for route in _routes()
        if "GET" in route.methods and (route.path == area or route.path.startswith(f"{area}/"))
    }
    return sorted(paths)


def _token(role: str, uow: UnitOfWork, clock: TestClock) -> str:
    if role == "creator":
        return creator(uow, clock).token
    if role == "advertiser":
        return advertiser(uow, clock).token
    if role == "business_center":
        bc = business_center(uow, clock)
        advertiser(uow, clock, bc_id=bc.id)  # an ad account to work on
        return bc.token
    return operator(uow, clock, Role.REVIEWER if role == "reviewer" else Role.ADMIN).token


def test_every_page_of_both_areas_is_found() -> None:
    """The areas' pages the tests below open (so a renamed area cannot empty them)."""
    assert {"/ads", "/ads/campaigns", "/ads/reports", "/ads/history.csv"} <= set(_pages("/ads"))
    assert {"/studio", "/studio/codes", "/studio/sponsorships"} <= set(_pages("/studio"))


@pytest.mark.parametrize("area", sorted(FORMS))
@pytest.mark.parametrize("role", sorted(HOME))
def test_a_page_of_another_area_sends_the_reader_home_and_its_forms_stay_refused(
    role: str, area: str, client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, _token(role, uow, clock))
    home = HOME[role]
    if home == area:  # the reader's own area opens
        assert client.get(area, follow_redirects=False).status_code == 200
        return

    for page in _pages(area):
        answer = client.get(page, follow_redirects=False)
        assert answer.status_code == 303, (page, answer.text)
        landed = client.get(page)  # /ads/account goes to /ads first, then home
        assert (landed.status_code, landed.url.path) == (200, home), page
        assert "wrong_token_scope" not in landed.text

    form, fields = FORMS[area]
    csrf = csrf_of(client.get(home).text)
    refused = client.post(form, data={"csrf_token": csrf, **fields})
    # refused: on an error page, or on the page the form goes back to (explained there)
    assert refused.url.path in (form, home)
    assert refused.status_code == (403 if refused.url.path == form else 200)
    assert 'data-error-code="wrong_token_scope"' in refused.text
