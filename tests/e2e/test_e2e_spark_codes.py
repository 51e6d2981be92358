"""Spark codes through a real server: a creator authorizes a post, an advertiser applies the code
(R9, R10), the code expires with the test clock or is revoked, and ad accounts stay apart."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e


def _rfc3339(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_spark_code_journey_puts_post_in_library_when_advertiser_applies_it(
    accounts, make_creator, make_advertiser
):
    creator, advertiser = accounts(make_creator, make_advertiser)
    post = creator.publish(
        caption="Sunrise blend: our morning coffee ritual", duration=12, visibility="PUBLIC"
    )
    issued = creator.enable_authorization(post["item_id"], duration_days=30)
    auth_code = issued["auth_code"]

    applied = advertiser.apply_code(auth_code)
    assert applied["code"] == 0, applied
    assert applied["message"] == "OK"

    info = advertiser.video_info(auth_code)
    assert info["code"] == 0, info
    data = info["data"]
    assert data["item_info"]["item_id"] == post["item_id"]
    assert data["item_info"]["text"] == "Sunrise blend: our morning coffee ritual"
    assert data["user_info"]["identity_type"] == "AUTH_CODE"
    assert data["user_info"]["identity_id"]
    window = _rfc3339(data["auth_info"]["auth_end_time"]) - _rfc3339(
        data["auth_info"]["auth_start_time"]
    )
    assert window == timedelta(days=30)
    assert data["auth_info"]["ad_auth_status"] == "AUTHORIZED"

    matching = advertiser.get("/tt_video/list/", keyword="sunrise", item_types=["VIDEO"])
    assert matching["code"] == 0, matching
    assert [p["item_info"]["item_id"] for p in matching["data"]["list"]] == [post["item_id"]]
    assert matching["data"]["page_info"]["total_number"] == 1

    other = advertiser.get("/tt_video/list/", keyword="volcano", item_types=["VIDEO"])
    assert other["code"] == 0, other
    assert other["data"]["list"] == []
    assert other["data"]["page_info"]["total_number"] == 0


def test_spark_code_shows_expired_when_test_clock_passes_its_end(applied_code, advance_clock):
    advance_clock(days=31)

    info = applied_code.advertiser.video_info(applied_code.auth_code)

    assert info["code"] == 0, info
    assert info["data"]["auth_info"]["ad_auth_status"] == "EXPIRED"


def test_spark_code_is_refused_as_expired_when_applied_after_its_end(applied_code, advance_clock):
    advance_clock(days=31)

    again = applied_code.advertiser.apply_code(applied_code.auth_code)

    assert again["code"] == 40110, again
    assert again["message"].startswith("auth_code_expired"), again


def test_spark_code_shows_revoked_when_creator_revokes_it(applied_code):
    revoked = applied_code.creator.revoke(applied_code.auth_code)
    assert revoked["status"] == "REVOKED"

    info = applied_code.advertiser.video_info(applied_code.auth_code)

    assert info["code"] == 0, info
    assert info["data"]["auth_info"]["ad_auth_status"] == "REVOKED"


def test_spark_code_is_refused_as_revoked_when_applied_after_revocation(applied_code):
    applied_code.creator.revoke(applied_code.auth_code)

    again = applied_code.advertiser.apply_code(applied_code.auth_code)

    assert again["code"] == 40110, again
    assert again["message"].startswith("auth_code_revoked"), again
    assert again["data"]["error"]["reason"] == "auth_code_revoked"


def test_open_api_answers_no_permission_when_token_is_another_advertisers(
    applied_code, make_advertiser
):
    intruder = make_advertiser()
    intruder.advertiser_id = applied_code.advertiser.advertiser_id  # A's id, B's token

    listed = intruder.get("/tt_video/list/")
    info = intruder.video_info(applied_code.auth_code)
    applied = intruder.apply_code(applied_code.auth_code)

    assert listed["code"] == 40001, listed
    assert info["code"] == 40001, info
    assert applied["code"] == 40001, applied
    assert listed["data"].get("list") is None


def test_tt_video_list_is_empty_when_only_another_advertiser_applied_a_code(
    applied_code, make_advertiser
):
    other = make_advertiser()

    listed = other.get("/tt_video/list/")

    assert listed["code"] == 0, listed
    assert listed["data"]["list"] == []
    assert listed["data"]["page_info"]["total_number"] == 0
