"""The flash cookie (sa_flash) that carries a refused form's problem across its redirect: a value
altered by hand never breaks a page (bad entries are dropped), a long typed value never makes a
cookie a browser would refuse, and a parameter that is itself a text (a LocalText) is shown in the
language of the reader of the page, not in English."""

from __future__ import annotations

import base64
import html
import json
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from factories import advertiser
from factories.web import csrf_of, sign_in
from sparkads.accounts.models import TokenScope
from sparkads.accounts.principal import Principal
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.services import campaign_drafts
from sparkads.web.problems import explain
from sparkads.web.session import FLASH_COOKIE, Web


def _cookie(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


GOOD = {"m": "", "k": "error", "e": "no_permission", "p": {"what": "advertiser 42"}}


@pytest.mark.parametrize(
    "tampered",
    [
        [{"m": "", "e": "invalid_parameter", "p": {"code": "x"}}],
        5,
        {"m": "x"},
        [{"m": "%(y)d", "p": {}}],
        [{"m": "%(y)d", "p": {"z": 1}}],
        [{"m": "%s %s", "p": {"z": 1}}],
        [{"m": "", "e": "auth_code_format_error", "p": {"detail": {"$text": "{a}"}}}],
        [{"m": "", "e": "auth_code_format_error", "p": {"detail": {"$text": "{0:d}"}}}],
        [[[[[[[[[[]]]]]]]]]],
    ],
)
def test_a_flash_cookie_altered_by_hand_is_dropped_and_the_page_opens(
    client: TestClient, uow: UnitOfWork, clock: TestClock, tampered: object
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    entries = tampered if isinstance(tampered, list) else [tampered]
    for value in (tampered, [*entries, GOOD]):
        client.cookies.set(FLASH_COOKIE, _cookie(value))
        page = client.get("/tokens")
        assert page.status_code == 200, page.text[:300]
    assert 'data-error-code="no_permission"' in page.text  # the good one is still shown
    client.cookies.set(FLASH_COOKIE, "[[[" * 2_000)
    assert client.get("/tokens").status_code == 200


def test_a_long_typed_value_leaves_a_cookie_a_browser_keeps(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    csrf = csrf_of(client.get("/ads/campaigns").text)
    refused = client.post(
        "/ads/campaigns/123/budget",
        data={"csrf_token": csrf, "budget": "9" * 60_000},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    set_cookie = refused.headers["set-cookie"]
    assert FLASH_COOKIE in set_cookie
    assert len(set_cookie) < 4_000
    shown = client.get(refused.headers["location"]).text
    assert 'data-error-code="invalid_parameter"' in shown


def _web(cookie: str, lang: str) -> Web:
    request = Request({"type": "http", "method": "GET", "path": "/", "query_string": b"",
                       "headers": [(b"cookie", f"{FLASH_COOKIE}={cookie}".encode())]})  # fmt: skip
    return Web(request, None, lang, None, "seed")  # type: ignore[arg-type]


def test_a_text_parameter_of_a_flashed_problem_is_shown_in_the_readers_language() -> None:
    sender = _web("", "en")
    detail = LocalText(N_("a Spark code starts with {prefix}"), {"prefix": "SPK"})
    sender.flash_problem(SparkadsError("auth_code_format_error", detail=detail))
    sent = sender.redirect("/library")
    cookie = sent.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    reader = _web(cookie, "fr")
    [shown] = [reader._shown(flash) for flash in reader._incoming_flashes()]
    assert shown is not None
    assert "un code Spark commence par SPK" in html.unescape(json.dumps(shown["error"]))


def test_a_text_parameter_of_a_drafts_problem_is_shown_in_the_readers_language(
    uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    """The wizard keeps a step's problem in its draft (services.campaign_drafts) the same way."""
    brand = advertiser(uow, clock)
    engine = make_engine(database_url)
    principal = Principal(TokenScope.ADVERTISER, brand.id, "token-1")
    detail = LocalText(N_("a Spark code starts with {prefix}"), {"prefix": "SPK"})
    problem = SparkadsError("auth_code_format_error", detail=detail, amount=Decimal("12.5"))
    campaign_drafts.save(
        UnitOfWorkFactory(engine), clock, principal, advertiser_id=brand.id, draft_id="d1",
        state={}, problem=("details", problem),
    )  # fmt: skip
    draft = campaign_drafts.load(
        UnitOfWorkFactory(engine), principal, advertiser_id=brand.id, draft_id="d1"
    )
    engine.dispose()
    assert draft is not None
    assert draft.problem is not None
    shown = explain(draft.problem, "fr")
    assert "un code Spark commence par SPK" in shown["cause"] + shown["message"]
