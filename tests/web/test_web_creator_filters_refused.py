"""A bad creator-search filter: the error alone (no "no creator matches" under it), the filter's
field marked (aria-invalid, its problem next to it), what was typed kept (EN and FR); the amounts
are text fields, so a browser sends "abc" as typed rather than dropping it."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import advertiser
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.mark.parametrize(("lang", "none_found"), [("en", "No creator matches"), ("fr", "Aucun")])
@pytest.mark.parametrize(
    ("field", "typed", "other"), [("max_fee", "-5", "budget"), ("budget", "abc", "max_fee")]
)
def test_a_bad_filter_shows_the_error_alone_its_field_marked_and_kept(
    client: TestClient, uow: UnitOfWork, clock: TestClock,
    lang: str, none_found: str, field: str, typed: str, other: str,
) -> None:  # fmt: skip
    sign_in(client, advertiser(uow, clock).token)
    client.cookies.set("sa_lang", lang)

    page = client.get("/ads/creators", params={field: typed, other: "300"})

    assert page.status_code == 400
    text = html.unescape(page.text)
    assert 'data-error-code="invalid_parameter"' in page.text
    assert none_found not in text
    assert "data-creators" not in page.text
    marked = re.search(rf'<input id="{field}"[^>]*>', page.text)
    assert marked is not None
    assert f'value="{typed}"' in marked.group(0)
    assert 'aria-invalid="true"' in marked.group(0)
    assert f'aria-describedby="{field}-problem' in marked.group(0)
    assert re.search(rf'<span id="{field}-problem" class="field-problem">[^<]+</span>', page.text)
    kept = re.search(rf'<input id="{other}"[^>]*>', page.text)
    assert kept is not None
    assert 'value="300"' in kept.group(0)
    assert "aria-invalid" not in kept.group(0)
    assert 'type="text"' in marked.group(0)


def test_good_filters_still_list_or_say_none_matches(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, advertiser(uow, clock).token)
    page = client.get("/ads/creators", params={"max_fee": "5", "budget": "100"})
    assert page.status_code == 200
    assert "No creator matches these filters" in page.text
    assert "aria-invalid" not in page.text
