"""Throttles on sign-in, code authorize and tt_video/info (issue 16): failures per account and per
address, in process or shared by several processes through Redis."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factories import advertiser, open_api_get, open_api_post, spark_world
from factories.redis_server import throwaway_redis
from factories.web import csrf_of
from sparkads.api.throttles import Rule, Throttles
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import SparkadsError

TIGHT = {"sign-in": Rule(per_account=2, per_address=3, minutes=15), "code": Rule(3, 5, 10)}


@pytest.fixture
def tight(client: TestClient) -> Throttles:
    throttles = Throttles(rules=TIGHT)
    client.app.state.context.throttles = throttles  # type: ignore[attr-defined]
    return throttles


def test_tt_video_info_guesses_are_throttled_per_account_then_per_address(
    client: TestClient, uow: UnitOfWork, clock: TestClock, tight: Throttles
) -> None:
    world = spark_world(client, uow, clock)
    guess = {"advertiser_id": world.brand.id, "auth_code": "#ABCDEFGHJKLMNPQRSTUVWXYZ2345"}
    answers = [open_api_get(client, world.brand, "tt_video/info/", **guess) for _ in range(4)]
    assert [a["code"] != 0 for a in answers[:3]] == [True] * 3
    assert answers[3]["data"]["error"]["reason"] == "too_many_attempts"
    # the right code is refused too while the account is throttled (no oracle)...
    right = open_api_get(
        client, world.brand, "tt_video/info/", advertiser_id=world.brand.id, auth_code=world.code
    )
    assert right["data"]["error"]["reason"] == "too_many_attempts"
    # ...and authorize shares the bucket; another account from the same address has 2 more tries
    other = advertiser(uow, clock, name="Other")
    for expected in ("auth_code_format_error", "auth_code_format_error", "too_many_attempts"):
        answer = open_api_post(
            client, other, "tt_video/authorize/", advertiser_id=other.id, auth_code="bad"
        )
        assert answer["data"]["error"]["reason"] == expected, answer


def test_valid_codes_never_count(
    client: TestClient, uow: UnitOfWork, clock: TestClock, tight: Throttles
) -> None:
    world = spark_world(client, uow, clock)
    for _ in range(6):
        answer = open_api_get(
            client,
            world.brand,
            "tt_video/info/",
            advertiser_id=world.brand.id,
            auth_code=world.code,
        )
        assert answer["code"] == 0, answer


def test_failed_sign_ins_are_throttled_per_address(client: TestClient, tight: Throttles) -> None:
    statuses = []
    for _ in range(4):
        csrf = csrf_of(client.get("/signin").text)
        response = client.post("/signin", data={"token": "adv_wrong", "csrf_token": csrf})
        statuses.append((response.status_code, "too_many_attempts" in response.text))
    assert statuses[:3] == [(400, False)] * 3
    assert statuses[3][1]  # the fourth try is refused before the token is even looked up


def test_redis_shares_the_failures_between_processes(tmp_path: Path) -> None:
    with throwaway_redis(tmp_path) as url:
        one, two = Throttles(url, TIGHT), Throttles(url, TIGHT)
        one.fail("code", account="adv1", address="10.0.0.1")
        two.fail("code", account="adv1", address="10.0.0.2")
        one.fail("code", account="adv1", address="10.0.0.3")
        with pytest.raises(SparkadsError) as refused:
            two.check("code", account="adv1", address="10.0.0.4")
        assert refused.value.code == "too_many_attempts"
        assert int(refused.value.params["retry_after"]) > 0
        two.check("code", account="adv2", address="10.0.0.4")  # other accounts are not affected


def test_too_many_reset_requests_come_back_to_the_form_page_explained(
    client: TestClient, tight: Throttles
) -> None:
    """POST-redirect-GET for a refusal too: the form's page says why, in the reader's language."""
    answers = []
    for _ in range(3):
        csrf = csrf_of(client.get("/password/forgot").text)
        form = {"email": "lea@brand.example", "csrf_token": csrf}
        answers.append(client.post("/password/forgot", data=form, follow_redirects=False))
    assert [a.headers["location"] for a in answers] == ["/signin", "/signin", "/password/forgot"]
    client.cookies.set("sa_lang", "fr")
    shown = client.get("/password/forgot").text
    assert 'data-error-code="too_many_attempts"' in shown
    assert '<html lang="fr">' in shown
