"""Through a real server: a report whose end date is before its start date says so (not "the
period must be 1 to 365 days"), and ad/create's warnings are in the request's language with only
the documented keys (code, message, cause, solution), in English and in French."""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytestmark = pytest.mark.e2e

FRANCE = "3017382"
REVERSED = {
    "en": "the end date 2026-03-01 is before the start date 2026-03-10: swap them",
    "fr": "la date de fin 2026-03-01 est antérieure à la date de début 2026-03-10 : inversez-les",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_report_with_reversed_dates_says_the_end_is_before_the_start(
    make_advertiser: Callable[..., object], lang: str
) -> None:
    brand = make_advertiser()
    answer = brand.get(  # type: ignore[attr-defined]
        "/report/integrated/get/", lang=lang, report_type="BASIC",
        data_level="AUCTION_ADVERTISER", dimensions=["advertiser_id"], metrics=["impressions"],
        start_date="2026-03-10", end_date="2026-03-01",
    )  # fmt: skip

    assert answer["data"]["error"]["reason"] == "invalid_parameter", answer
    assert REVERSED[lang] in answer["message"]
    assert "365" not in answer["message"]
    too_long = brand.get(  # type: ignore[attr-defined]
        "/report/integrated/get/", lang=lang, report_type="BASIC",
        data_level="AUCTION_ADVERTISER", dimensions=["advertiser_id", "stat_time_day"],
        metrics=["impressions"], start_date="2026-01-01", end_date="2026-03-01",
    )  # fmt: skip
    assert ("at most 30 days" if lang == "en" else "au plus 30 jours") in too_long["message"]


@pytest.mark.parametrize(("lang", "words"), [("en", "9 to 15 seconds"), ("fr", "9 à 15 secondes")])
def test_ad_create_warnings_are_in_the_request_language_without_a_fr_key(
    make_creator: Callable[[], object], make_advertiser: Callable[..., object],
    lang: str, words: str,
) -> None:  # fmt: skip
    creator, brand = make_creator(), make_advertiser()
    post = creator.publish(caption="A long one", duration=40)  # type: ignore[attr-defined]
    code = creator.enable_authorization(post["item_id"])["auth_code"]  # type: ignore[attr-defined]
    assert brand.apply_code(code)["code"] == 0  # type: ignore[attr-defined]
    identity = brand.video_info(code)["data"]["user_info"]["identity_id"]  # type: ignore[attr-defined]
    campaign = brand.post(  # type: ignore[attr-defined]
        "/campaign/create/", campaign_name="Long", objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY", budget=50,
    )["data"]["campaign_id"]  # fmt: skip
    group = brand.post(  # type: ignore[attr-defined]
        "/adgroup/create/", campaign_id=campaign, adgroup_name="Long", promotion_type="WEBSITE",
        location_ids=[FRANCE], budget_mode="BUDGET_MODE_DAY", budget=20,
        schedule_type="SCHEDULE_FROM_NOW", optimization_goal="CLICK", billing_event="CPC",
        bid_price=1,
    )["data"]["adgroup_id"]  # fmt: skip

    created = brand.post(  # type: ignore[attr-defined]
        "/ad/create/", lang=lang, adgroup_id=group,
        creatives=[{"ad_name": "Long", "identity_type": "AUTH_CODE", "identity_id": identity,
                    "tiktok_item_id": post["item_id"], "ad_format": "SINGLE_VIDEO",
                    "call_to_action": "LEARN_MORE",
                    "landing_page_url": "https://brand.example.com/"}],
    )  # fmt: skip

    assert created["code"] == 0, created
    [creative] = created["data"]["creatives"]
    warnings = {w["code"]: w for w in creative["warnings"]}
    for each in warnings.values():
        assert set(each) == {"code", "message", "cause", "solution"}, each
    warning = warnings["duration_outside_best_practice"]
    assert words in " ".join(warning.values()), warning
