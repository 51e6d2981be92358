"""Each R15 error, produced by its real cause, with cause and solution in English and French."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from factories import Account, advance, advertiser, authorize_post, creator, open_api_post, publish
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

Cause = Callable[[TestClient, Account], str]


def _deleted(client: TestClient, who: Account) -> str:
    post = publish(client, who)
    code = authorize_post(client, who, post["item_id"])["auth_code"]
    assert client.delete(f"/api/v1/posts/{post['item_id']}", headers=who.bearer).status_code == 204
    return str(code)


def _expired(client: TestClient, who: Account) -> str:
    post = publish(client, who)
    code = authorize_post(client, who, post["item_id"], days=7)["auth_code"]
    advance(client, days=7)
    return str(code)


def _private(client: TestClient, who: Account) -> str:
    post = publish(client, who, visibility="PRIVATE")
    created = authorize_post(client, who, post["item_id"])
    assert [w["code"] for w in created["warnings"]] == ["not_public_video"]
    return str(created["auth_code"])


def _carousel_duet(client: TestClient, who: Account) -> str:
    original = publish(client, who, item_type="CAROUSEL")
    duet = publish(
        client,
        who,
        item_type="CAROUSEL",
        format="CAROUSEL_DUET",
        original_item_id=original["item_id"],
    )
    return str(authorize_post(client, who, duet["item_id"])["auth_code"])


def _garbled(client: TestClient, who: Account) -> str:
    post = publish(client, who)
    code = str(authorize_post(client, who, post["item_id"])["auth_code"])
    wrong = "0" if code[10] != "0" else "1"
    return code[:10] + wrong + code[11:]


CASES: dict[str, Cause] = {
    "video_unavailable": _deleted,
    "auth_code_expired": _expired,
    "not_public_video": _private,
    "carousel_duet_not_supported": _carousel_duet,
    "auth_code_format_error": _garbled,
}

FRENCH_START = {
    "video_unavailable": "La publication n'est plus disponible",
    "auth_code_expired": "Le code d'autorisation a expiré",
    "not_public_video": "La publication n'est pas publique",
    "carousel_duet_not_supported": "Les duos en carrousel",
    "auth_code_format_error": "Le code d'autorisation n'est pas au bon format",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("reason", list(CASES))
def test_r15_error_from_its_real_cause(
    client: TestClient, uow: UnitOfWork, clock: TestClock, reason: str, lang: str
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock)
    code = CASES[reason](client, who)
    answer = open_api_post(
        client,
        brand,
        "tt_video/authorize/",
        advertiser_id=brand.id,
        auth_code=code,
        headers={"Accept-Language": lang},
    )
    assert answer["code"] in (40002, 40110)
    assert answer["message"].startswith(f"{reason}: ")
    error = answer["data"]["error"]
    assert error["reason"] == reason
    assert error["cause"]
    assert error["solution"]
    if lang == "fr":
        assert answer["message"].removeprefix(f"{reason}: ").startswith(FRENCH_START[reason])


def test_taken_down_post_is_unavailable(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    from factories import operator

    who, brand, op = creator(uow, clock), advertiser(uow, clock), operator(uow, clock)
    post = publish(client, who)
    code = authorize_post(client, who, post["item_id"])["auth_code"]
    taken = client.post(
        f"/api/v1/operator/posts/{post['item_id']}/takedown",
        json={"reason": "counterfeit goods"},
        headers=op.bearer,
    )
    assert taken.json()["status"] == "TAKEN_DOWN"
    answer = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
    )
    assert answer["data"]["error"]["reason"] == "video_unavailable"


def test_creator_cannot_take_down_posts(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who = creator(uow, clock)
    post = publish(client, who)
    response = client.post(
        f"/api/v1/operator/posts/{post['item_id']}/takedown",
        json={"reason": "x"},
        headers=who.bearer,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "wrong_token_scope"


def test_story_is_not_supported(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock)
    story = publish(client, who, format="STORY")
    code = authorize_post(client, who, story["item_id"])["auth_code"]
    answer = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
    )
    assert answer["data"]["error"]["reason"] == "story_not_supported"


def test_ads_only_private_post_can_be_sponsored(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock)
    post = publish(client, who, visibility="PRIVATE", ads_only=True)
    created = authorize_post(client, who, post["item_id"])
    assert created["warnings"] == []
    answer = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=created["auth_code"]
    )
    assert answer["code"] == 0


def test_code_on_deleted_post_cannot_be_issued(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who = creator(uow, clock)
    post = publish(client, who)
    client.delete(f"/api/v1/posts/{post['item_id']}", headers=who.bearer)
    response = client.post(
        f"/api/v1/posts/{post['item_id']}/authorizations",
        json={"duration_days": 30},
        headers=who.bearer,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "video_unavailable"


class TestDuetsAndStitches:
    def _world(
        self, client: TestClient, uow: UnitOfWork, clock: TestClock, fmt: str
    ) -> tuple[Account, dict, str, str]:
        first, second, brand = creator(uow, clock), creator(uow, clock), advertiser(uow, clock)
        original = publish(client, first, caption="original dance")
        remix = publish(client, second, format=fmt, original_item_id=original["item_id"])
        return (
            brand,
            remix,
            authorize_post(client, second, remix["item_id"])["auth_code"],
            authorize_post(client, first, original["item_id"])["auth_code"],
        )

    @pytest.mark.parametrize("fmt", ["DUET", "STITCH"])
    def test_needs_the_original_posts_code(
        self, client: TestClient, uow: UnitOfWork, clock: TestClock, fmt: str
    ) -> None:
        brand, _, code, _ = self._world(client, uow, clock, fmt)
        answer = open_api_post(
            client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
        )
        assert answer["data"]["error"]["reason"] == "original_post_auth_required"

    @pytest.mark.parametrize("fmt", ["DUET", "STITCH"])
    def test_with_the_original_code_is_accepted(
        self, client: TestClient, uow: UnitOfWork, clock: TestClock, fmt: str
    ) -> None:
        brand, remix, code, original_code = self._world(client, uow, clock, fmt)
        answer = open_api_post(
            client,
            brand,
            "tt_video/authorize/",
            advertiser_id=brand.id,
            auth_code=code,
            original_post_auth_code=original_code,
        )
        assert answer["code"] == 0
        from factories import open_api_get

        info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
        key = "duet_original_item_id" if fmt == "DUET" else "stitch_original_item_id"
        assert info["data"]["item_info"][key] == remix["original_item_id"]

    def test_with_another_posts_code_is_a_mismatch(
        self, client: TestClient, uow: UnitOfWork, clock: TestClock
    ) -> None:
        brand, _, code, _ = self._world(client, uow, clock, "DUET")
        stranger = creator(uow, clock)
        unrelated = publish(client, stranger)
        other_code = authorize_post(client, stranger, unrelated["item_id"])["auth_code"]
        answer = open_api_post(
            client,
            brand,
            "tt_video/authorize/",
            advertiser_id=brand.id,
            auth_code=code,
            original_post_auth_code=other_code,
        )
        assert answer["data"]["error"]["reason"] == "original_post_mismatch"
