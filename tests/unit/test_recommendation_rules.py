"""Recommendation rules, one test each: a Spark code's end before the schedule is told apart
(already over, a longer code possible, already the longest), "Better post available" only when a
library post is truly better compared like with like, and one card per object and kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sparkads.authorizations.models import SparkCode
from sparkads.campaigns.models import Ad
from sparkads.reporting.recommendation_texts import quoted
from sparkads.reporting.recommendations import (
    Recommendation,
    _authorization,
    better_post,
    deduplicated,
)

NOW = datetime(2027, 2, 3, 12, tzinfo=UTC)
AD = Ad(ad_id="ad-1", ad_name="Spring crêpes")


def _code(days: int, ends_in: timedelta) -> SparkCode:
    ends = NOW + ends_in
    return SparkCode(duration_days=days, starts_at=ends - timedelta(days=days), ends_at=ends)


def test_an_expired_code_is_called_ended_not_ending_early() -> None:
    item = _authorization(AD, _code(30, -timedelta(days=2)), NOW)
    assert item is not None

    assert item.kind == "authorization_expired"
    assert "ended on February 1, 2027" in item.message
    assert "no longer delivers" in item.message
    assert "1 février 2027" in item.message_fr
    assert "2027-02-01T" not in item.message  # a date people read, not a raw timestamp


def test_a_365_day_code_is_not_told_to_get_a_longer_code() -> None:
    assert _authorization(AD, _code(365, timedelta(days=200)), NOW) is None  # nothing to do yet
    item = _authorization(AD, _code(365, timedelta(days=20)), NOW)
    assert item is not None

    assert item.kind == "authorization_renewal"
    assert "longer code" not in item.message
    assert "new code" in item.message
    assert "plus long" not in item.message_fr


def test_a_shorter_code_ending_before_the_schedule_is_told_to_get_a_longer_one() -> None:
    item = _authorization(AD, _code(30, timedelta(days=5)), NOW)
    assert item is not None

    assert item.kind == "authorization_expiring"
    assert "longer code (60 or 365 days)" in item.message
    assert item.evidence == {"ends_at": "2027-02-08", "code_days": 30}


def _post(
    item_id: str, organic: float, ctr: float | None = None, sector: str = "food"
) -> dict[str, Any]:
    return {"item_id": item_id, "organic": organic, "ctr": ctr, "score": organic, "sector": sector}


def test_better_post_only_when_truly_better() -> None:
    running = _post("running", 0.04)
    assert better_post(running, [running, _post("a", 0.05)]) is None  # 1.25×: not enough
    assert better_post(running, [running, _post("b", 0.07, ctr=0.02)]) == _post("b", 0.07, 0.02)


def test_a_post_that_ran_is_not_better_for_its_click_rate_bonus_alone() -> None:
    # the old rule compared the candidate's score with its CTR bonus against the running post's
    # score without one: nearly every post that had run looked "better"
    running = _post("running", 0.04, ctr=0.03)
    assert better_post(running, [_post("c", 0.045, ctr=0.05)]) is None
    assert better_post(running, [_post("d", 0.09, ctr=0.01)]) is None  # clicks less when it ran
    assert better_post(running, [_post("e", 0.09, ctr=0.04)]) is not None


def test_a_post_of_another_sector_is_no_replacement() -> None:
    running = _post("running", 0.04, sector="beauty")
    assert better_post(running, [_post("fit", 0.13, sector="fitness")]) is None
    assert better_post(running, [_post("glow", 0.13, sector="beauty")]) is not None


def test_the_running_post_is_never_suggested_in_its_own_place() -> None:
    running = _post("running", 0.001)
    assert better_post(running, [_post("running", 0.5)]) is None


def test_one_card_per_object_and_kind() -> None:
    def card(kind: str, object_id: str = "ag-1") -> Recommendation:
        return Recommendation("adgroup", object_id, "Group", kind, "en", "fr")

    items = [card("audience_too_broad"), card("audience_too_broad"), card("budget_limited"),
             card("audience_too_broad", "ag-2")]  # fmt: skip

    kept = deduplicated(items)

    assert [(k.object_id, k.kind) for k in kept] == [
        ("ag-1", "audience_too_broad"), ("ag-1", "budget_limited"), ("ag-2", "audience_too_broad")
    ]  # fmt: skip


def test_ends_early_asks_only_for_a_longer_validity_than_the_current_one() -> None:
    asked = {}
    for days in (7, 30, 60):
        item = _authorization(AD, _code(days, timedelta(days=5)), NOW)
        assert item is not None
        assert item.kind == "authorization_expiring"
        asked[days] = (item.message, item.message_fr)

    assert "longer code (30, 60 or 365 days)" in asked[7][0]
    assert "code plus long (30, 60 ou 365 jours)" in asked[7][1]
    assert "longer code (60 or 365 days)" in asked[30][0]
    assert "longer code (365 days)" in asked[60][0]  # never "60 or 365" for a 60-day code
    assert "code plus long (365 jours)" in asked[60][1]


def test_a_caption_is_quoted_short_in_each_language() -> None:
    long = "Crêpes " * 20
    assert quoted("Crêpes in 12 s", "en") == "“Crêpes in 12 s”"
    assert quoted("Crêpes in 12 s", "fr") == "« Crêpes in 12 s »"
    assert len(quoted(long, "en")) == 62
    assert quoted(long, "en").endswith("…”")
