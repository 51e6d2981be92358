"""The web's one place for errors (web/routing.py): a form route marked `shows_errors_on` shows an
error raised by its body on its own page, with no try/except of its own; an error raised before
the body runs (the CSRF check, a dependency) is the route class's: the error page here (no Referer),
back to the form's page with the problem flashed when the browser says where it came from
(tests/web/test_web_post_redirect_get.py)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from factories import operator
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_an_error_of_the_form_is_shown_on_the_form_page_in_the_readers_language(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, operator(uow, clock).token)
    client.cookies.set("sa_lang", "fr")
    fields = {"kind": "blocked_domain", "value": "not a domain"}

    shown = client.post(
        "/review/rules", data={"csrf_token": csrf_of(client.get("/review").text), **fields}
    )

    assert shown.status_code == 400
    assert 'id="rules"' in shown.text  # the queue with its rules form, not the error page
    assert 'data-error-code="policy_rule_invalid"' in shown.text
    assert "Cette règle n'est pas valide" in html.unescape(shown.text)


def test_an_error_before_the_body_runs_gets_the_error_page(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, operator(uow, clock).token)

    refused = client.post("/review/rules", data={"csrf_token": "stale", "kind": "x", "value": "y"})

    assert refused.status_code == 403
    assert "This form has expired." in refused.text
    assert 'id="rules"' not in refused.text
