"""The five R15 errors, each produced by its real cause through a real server, explained (message,
cause, solution) in English and in French following Accept-Language."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# What a user reads first, per language, after the symbolic code (R15).
HEADLINES = {
    "video_unavailable": (
        "The post is no longer available.",
        "La publication n'est plus disponible.",
    ),
    "auth_code_expired": (
        "The authorization code has expired.",
        "Le code d'autorisation a expiré.",
    ),
    "not_public_video": (
        "The post is not public.",
        "La publication n'est pas publique.",
    ),
    "carousel_duet_not_supported": (
        "Carousel duets cannot be used as Spark ads.",
        "Les duos en carrousel ne peuvent pas être utilisés comme Spark Ads.",
    ),
    "auth_code_format_error": (
        "The authorization code is not in the right format.",
        "Le code d'autorisation n'est pas au bon format.",
    ),
}
TIKTOK_CODES = {
    "video_unavailable": 40002,
    "auth_code_expired": 40110,
    "not_public_video": 40002,
    "carousel_duet_not_supported": 40002,
    "auth_code_format_error": 40002,
}
IMAGES = [
    {"url": "https://cdn.example.com/look-1.jpg"},
    {"url": "https://cdn.example.com/look-2.jpg"},
]


def _deleted_post(creator, advance_clock):
    post = creator.publish(caption="Soon gone")
    code = creator.enable_authorization(post["item_id"])["auth_code"]
    creator.delete_post(post["item_id"])
    return code


def _expired_code(creator, advance_clock):
    post = creator.publish(caption="One week only")
    code = creator.enable_authorization(post["item_id"], duration_days=7)["auth_code"]
    advance_clock(days=8)
    return code


def _private_post(creator, advance_clock):
    post = creator.publish(caption="Just for me", visibility="PRIVATE")
    issued = creator.enable_authorization(post["item_id"])
    assert [w["code"] for w in issued["warnings"]] == ["not_public_video"]
    return issued["auth_code"]


def _carousel_duet(creator, advance_clock):
    original = creator.publish(caption="Spring looks", item_type="CAROUSEL", images=IMAGES)
    duet = creator.publish(
        caption="Duet with my spring looks",
        item_type="CAROUSEL",
        format="CAROUSEL_DUET",
        original_item_id=original["item_id"],
        images=IMAGES,
    )
    issued = creator.enable_authorization(duet["item_id"])
    assert [w["code"] for w in issued["warnings"]] == ["carousel_duet_not_supported"]
    return issued["auth_code"]


def _mistyped_code(creator, advance_clock):
    post = creator.publish(caption="Typo incoming")
    code = creator.enable_authorization(post["item_id"])["auth_code"]
    position = 10  # inside the random part, guarded by the check character
    replacement = next(ch for ch in CODE_ALPHABET if ch != code[position])
    return code[:position] + replacement + code[position + 1 :]


CAUSES = {
    "video_unavailable": _deleted_post,
    "auth_code_expired": _expired_code,
    "not_public_video": _private_post,
    "carousel_duet_not_supported": _carousel_duet,
    "auth_code_format_error": _mistyped_code,
}


@pytest.fixture(scope="module", params=sorted(CAUSES))
def refusal(request, accounts, make_creator, make_advertiser, advance_clock):
    """(reason, English envelope, French envelope) for a code refused for its real cause."""
    reason = request.param
    creator, advertiser = accounts(make_creator, make_advertiser)
    code = CAUSES[reason](creator, advance_clock)
    return reason, advertiser.apply_code(code, lang="en"), advertiser.apply_code(code, lang="fr")


def test_authorize_refuses_code_with_its_r15_error_in_english_when_asked(refusal):
    reason, english, _ = refusal

    assert english["code"] == TIKTOK_CODES[reason], english
    assert english["message"] == f"{reason}: {HEADLINES[reason][0]}"
    error = english["data"]["error"]
    assert error["reason"] == reason
    assert error["cause"]
    assert error["solution"]


def test_authorize_refuses_code_with_its_r15_error_in_french_when_asked(refusal):
    reason, english, french = refusal

    assert french["code"] == TIKTOK_CODES[reason], french
    assert french["message"] == f"{reason}: {HEADLINES[reason][1]}"
    error = french["data"]["error"]
    assert error["reason"] == reason
    assert error["cause"]
    assert error["solution"]
    assert error["cause"] != english["data"]["error"]["cause"]
    assert error["solution"] != english["data"]["error"]["solution"]


def _words(text: str) -> set[str]:
    """Words of four letters or more, leaving out dates, numbers and API identifiers."""
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)} - {
        "spark",
        "tiktok",
        "code",
        "format",
    }


def test_authorize_refusal_cause_has_no_english_words_when_asked_in_french(refusal):
    reason, english, french = refusal

    shared = _words(english["data"]["error"]["cause"]) & _words(french["data"]["error"]["cause"])

    assert shared == set(), f"{reason}: English left in the French cause: {sorted(shared)}"
