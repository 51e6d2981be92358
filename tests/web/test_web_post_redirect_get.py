"""POST-redirect-GET: every web form that succeeds answers a 303 to a page of its own, so the address
bar never keeps a form's URL (reloading or switching language re-sends nothing). Secrets shown once
(a new Spark code, a new token) cross the redirect in a short-lived cookie and are shown once."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import func, select

from factories import advertiser, creator, publish
from factories.web import csrf_of, sign_in
from sparkads.authorizations.models import SparkCode
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

CODE = re.compile(r'<code id="new-code">([^<]+)</code>')


def _codes(uow: UnitOfWork, item_id: str) -> int:
    uow.session.expire_all()
    query = select(func.count()).select_from(SparkCode).where(SparkCode.item_id == item_id)
    return int(uow.session.scalar(query) or 0)


def _ask_for_code(
    client: TestClient, uow: UnitOfWork, clock: TestClock, duration_days: str
) -> tuple[dict[str, Any], httpx.Response]:
    """A creator signed in on one of their posts asks for a Spark code of `duration_days`, with
    no Referer: the post and the (unfollowed) answer."""
    lea = creator(uow, clock, handle="lea.cooks")
    post = publish(client, lea)
    sign_in(client, lea.token)
    page = client.get(f"/studio/posts/{post['item_id']}")
    answer = client.post(
        f"/studio/posts/{post['item_id']}/authorizations",
        data={"csrf_token": csrf_of(page.text), "duration_days": duration_days},
        follow_redirects=False,
    )
    return post, answer


def test_a_generated_spark_code_is_shown_once_after_a_redirect_and_a_reload_mints_none(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    post, made = _ask_for_code(client, uow, clock, "30")
    assert made.status_code == 303
    assert made.headers["location"] == f"/studio/posts/{post['item_id']}"
    shown = client.get(made.headers["location"])
    assert shown.status_code == 200
    [code] = CODE.findall(shown.text)
    assert len(code) >= 16
    assert _codes(uow, post["item_id"]) == 1

    again = client.get(f"/studio/posts/{post['item_id']}")  # a reload, or a language switch
    assert CODE.findall(again.text) == []  # shown once
    assert _codes(uow, post["item_id"]) == 1
    french = client.get(f"/lang/fr?next=/studio/posts/{post['item_id']}")
    assert french.status_code == 200
    assert "route_not_found" not in french.text


def test_a_code_left_for_one_post_is_not_shown_on_another(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    first, second = publish(client, lea), publish(client, lea, caption="Galette")
    sign_in(client, lea.token)
    page = client.get(f"/studio/posts/{first['item_id']}")
    client.post(
        f"/studio/posts/{first['item_id']}/authorizations",
        data={"csrf_token": csrf_of(page.text), "duration_days": "7"},
        follow_redirects=False,
    )
    assert CODE.findall(client.get(f"/studio/posts/{second['item_id']}").text) == []
    assert len(CODE.findall(client.get(f"/studio/posts/{first['item_id']}").text)) == 1


def test_a_refused_duration_comes_back_to_the_post_page_with_its_explanation(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    post, refused = _ask_for_code(client, uow, clock, "12")
    assert refused.status_code == 303  # POST-redirect-GET, refusals too
    assert refused.headers["location"] == f"/studio/posts/{post['item_id']}"
    client.cookies.set("sa_lang", "fr")
    shown = client.get(refused.headers["location"]).text
    assert 'data-error-code="invalid_authorization_duration"' in shown  # in the reader's language
    assert '<html lang="fr">' in shown
    assert (
        'data-error-code="invalid_authorization_duration"'
        not in client.get(refused.headers["location"]).text
    )  # shown once: a reload sends nothing and shows the page
    assert _codes(uow, post["item_id"]) == 0


@pytest.mark.parametrize(
    ("language", "solution"),
    [("en", "Make the post public before sharing the code"),
     ("fr", "Rendez la publication publique avant de partager le code")],
)  # fmt: skip
def test_a_creator_warned_about_a_private_post_is_told_what_to_do_not_to_ask_the_creator(
    client: TestClient, uow: UnitOfWork, clock: TestClock, language: str, solution: str
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    post = publish(client, lea, visibility="PRIVATE")
    sign_in(client, lea.token)
    client.cookies.set("sa_lang", language)
    page = client.get(f"/studio/posts/{post['item_id']}")

    shown = client.post(
        f"/studio/posts/{post['item_id']}/authorizations",
        data={"csrf_token": csrf_of(page.text), "duration_days": "30"},
    ).text

    assert 'data-warning-code="not_public_video"' in shown
    assert str(escape(solution)) in shown
    assert "Ask the creator" not in shown
    assert "Demandez au créateur" not in shown


def test_any_refused_form_goes_back_to_its_page_with_the_problem_in_the_readers_language(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    client.get("/tokens")
    forged = {"csrf_token": "forged"}  # refused by the form check itself (a dependency)
    back = client.post("/tokens/nope/revoke", data=forged, follow_redirects=False,
                       headers={"Referer": "http://testserver/tokens"})  # fmt: skip
    assert back.status_code == 303
    assert back.headers["location"] == "/tokens"
    client.cookies.set("sa_lang", "fr")
    shown = client.get("/tokens").text
    assert "Ce formulaire a expiré." in html.unescape(shown)
    assert 'class="error-box"' in shown

    csrf = csrf_of(client.get("/tokens").text)
    unknown = client.post("/tokens/nope/revoke", data={"csrf_token": csrf}, follow_redirects=False)
    assert unknown.headers["location"] == "/tokens"
    assert 'data-error-code="no_permission"' in client.get("/tokens").text

    alone = client.post("/tokens/nope/revoke", data=forged)  # no page to go back to: explained here
    assert alone.status_code == 403
    assert 'class="error-box"' in alone.text


def test_a_duration_that_is_not_a_number_goes_back_to_the_post_page_without_a_referer(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    # no Referer: the route names its page (shows_errors_on(back_to(...)))
    post, refused = _ask_for_code(client, uow, clock, "thirty")
    assert refused.status_code == 303
    assert refused.headers["location"] == f"/studio/posts/{post['item_id']}"
    shown = client.get(refused.headers["location"]).text
    assert 'data-error-code="invalid_authorization_duration"' in shown
    assert _codes(uow, post["item_id"]) == 0


def test_the_spark_codes_page_lists_a_generated_code_with_its_revoke_form(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    post, answer = _ask_for_code(client, uow, clock, "30")
    assert answer.status_code == 303
    listed = client.get("/studio/codes")
    assert listed.status_code == 200
    assert "No code yet" not in listed.text
    assert '<div class="table-wrap">\n<table>' in listed.text
    assert f'href="/studio/posts/{post["item_id"]}"' in listed.text
    assert "30 days" in listed.text
    assert '<input type="hidden" name="next" value="/studio/codes">' in listed.text


def test_the_spark_codes_page_of_a_creator_with_no_code_says_how_to_get_one(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, creator(uow, clock).token)
    empty = client.get("/studio/codes")
    assert empty.status_code == 200
    assert "No code yet: open a post and turn on ad authorization." in empty.text
    assert "<table>" not in empty.text
