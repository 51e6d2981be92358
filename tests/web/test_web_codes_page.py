"""Creator Studio → Spark codes: the page says there is none yet, then lists each code generated
with its state and a way to revoke it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factories import creator, publish
from factories.web import csrf_of, sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_the_codes_page_is_empty_then_lists_a_generated_code(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    post = publish(client, lea)
    sign_in(client, lea.token)
    empty = client.get("/studio/codes")
    assert empty.status_code == 200
    assert "No code yet: open a post and turn on ad authorization." in empty.text
    assert "<table>" not in empty.text
    page = client.get(f"/studio/posts/{post['item_id']}")
    client.post(
        f"/studio/posts/{post['item_id']}/authorizations",
        data={"csrf_token": csrf_of(page.text), "duration_days": "30"},
    )
    listed = client.get("/studio/codes")
    assert listed.status_code == 200
    assert "No code yet" not in listed.text
    assert '<div class="table-wrap">\n<table>' in listed.text
    assert "30 days" in listed.text
    assert 'action="/studio/authorizations/' in listed.text
