from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sparkads.delivery import counters as counters_module
from sparkads.delivery import pacing, tokens
from sparkads.delivery.auction import Stats
from sparkads.delivery.counters import BudgetLine, MemoryCounters
from sparkads.delivery.pacing import PacingInput

PARIS = ZoneInfo("Europe/Paris")


def test_traffic_curve_covers_the_day() -> None:
    assert sum(pacing.HOURLY_TRAFFIC) == pytest.approx(1.0)
    assert pacing.day_fraction(datetime(2026, 1, 1, 0, 0, tzinfo=PARIS)) == 0.0
    assert pacing.day_fraction(datetime(2026, 1, 1, 23, 59, 59, tzinfo=PARIS)) == pytest.approx(
        1.0, abs=1e-3
    )
    hours = [pacing.day_fraction(datetime(2026, 1, 1, h, tzinfo=PARIS)) for h in range(24)]
    assert hours == sorted(hours)


def test_gate_allows_spend_only_up_to_the_curve_plus_slack() -> None:
    budget = 100_000_000
    assert pacing.may_spend(0, budget, 0.0, 1_000, hour_share=0.016)
    assert not pacing.may_spend(30_000_000, budget, 0.25, 1_000, hour_share=0.04)
    assert pacing.may_spend(26_000_000, budget, 0.25, 1_000, hour_share=0.04)
    assert not pacing.may_spend(budget, budget, 1.0, 1_000, hour_share=0.03)


def test_slack_shrinks_at_the_end_of_the_day_and_stays_small_at_its_start() -> None:
    budget = 100_000_000
    assert not pacing.may_spend(99_900_000, budget, 0.98, 1_000, hour_share=0.03)
    # at 00:00 the slack is at most half of the first hour's share of the budget
    assert not pacing.may_spend(900_000, budget, 0.0, 1_000, hour_share=0.016)
    assert pacing.may_spend(700_000, budget, 0.0, 1_000, hour_share=0.016)


def test_one_event_is_always_allowed_as_slack() -> None:
    assert pacing.may_spend(0, 1_000_000, 0.0, 500_000, hour_share=0.0)


def _run_day(budget: int, full_rate: float) -> tuple[list[float], int]:
    """The control law alone on a synthetic day: traffic arrives along `HOURLY_TRAFFIC`, and at
    probability p the ad group spends `full_rate` × p per share of the day's traffic, in events
    of 1,000 micros billed as whole events, with the gate as the engine applies it. Returns the
    spend per hour and the total."""
    throttle, spent, owed = pacing.Throttle(), 0, 0.0
    hourly = [0.0] * 24
    step = pacing.CONTROL_INTERVAL / 4
    now = 0.0
    while now < 86_400.0:
        hour = int(now // 3_600)
        fraction = pacing._CUMULATIVE[hour] + pacing.HOURLY_TRAFFIC[hour] * (now % 3_600) / 3_600
        share = pacing.HOURLY_TRAFFIC[hour] * step / 3_600
        open_ = pacing.may_spend(spent, budget, fraction, 1_000, pacing.HOURLY_TRAFFIC[hour])
        if pacing.due(throttle, now):
            throttle = pacing.control(
                throttle, PacingInput(now, spent, budget, fraction, 1_000, not open_)
            )
        if open_:
            owed += full_rate * throttle.probability * share
            events = min(int(owed // 1_000), max(0, (budget - spent) // 1_000 + 1))
            owed -= events * 1_000
            spent += events * 1_000
            hourly[hour] += events * 1_000
        now += step
    return hourly, spent


def test_throttle_converges_to_the_plan_on_the_traffic_curve() -> None:
    budget = 10_000_000  # 10,000 events; traffic could buy three times as many
    hourly, spent = _run_day(budget, 3.0 * budget)
    assert spent >= 0.99 * budget
    plan = [budget * share for share in pacing.HOURLY_TRAFFIC]
    off = [abs(h - p) / p for h, p in zip(hourly, plan, strict=True)]
    assert max(off[2:]) < 0.05  # from a cold start: the first two hours learn the rate


def test_throttle_learns_the_rate_and_holds_back() -> None:
    throttle = pacing.Throttle()
    throttle = pacing.control(throttle, PacingInput(0.0, 0, 1_000_000, 0.0, 1_000, False))
    assert throttle.probability == 1.0
    # a tenth of the day's traffic at probability 1 bought half the budget: hold back to ~1/5
    throttle = pacing.control(throttle, PacingInput(60.0, 500_000, 1_000_000, 0.1, 1_000, False))
    assert throttle.probability == pytest.approx(0.5 / 0.9 / 5.0)
    assert not pacing.due(throttle, 61.0)
    assert pacing.due(throttle, 60.0 + pacing.CONTROL_INTERVAL)


def test_throttle_counts_the_traffic_only_while_the_gate_was_open() -> None:
    """An update is due as soon as the gate opens or closes, so an interval is open or closed
    throughout: its traffic counts if it was open, its spend always (clicks and conversions
    billed while the gate is closed come from impressions let through while it was open)."""
    throttle = pacing.control(
        pacing.Throttle(), PacingInput(0.0, 0, 10_000_000, 0.0, 100_000, False)
    )
    closing = pacing.control(throttle, PacingInput(60.0, 500_000, 10_000_000, 0.1, 100_000, True))
    assert (closing.spend, closing.reach, closing.gated) == (500_000, pytest.approx(0.1), True)
    assert pacing.due(closing, 61.0, gated=False)
    assert not pacing.due(closing, 61.0, gated=True)
    reopened = pacing.control(closing, PacingInput(61.0, 600_000, 10_000_000, 0.12, 100_000, False))
    assert (reopened.spend, reopened.reach) == (600_000, pytest.approx(0.1))


def test_the_rate_follows_what_wins_cost_now_calibrated_by_what_was_billed() -> None:
    """With wins counted (`served`: wins, their expected cost), the rate is the expected cost of
    the latest wins over the traffic they were won in, times billed ÷ expected: a price that
    falls (a competitor gone) shows in the next interval, not after twenty billed events."""
    budget, price = 10_000_000, 100_000
    start = pacing.control(pacing.Throttle(), PacingInput(0.0, 0, budget, 0.0, price, False))
    # 0.1 of the day's traffic: 100 wins expected to cost 1,000,000; 1,200,000 billed
    first = pacing.control(
        start, PacingInput(60.0, 1_200_000, budget, 0.1, price, False, 1.0), (100, 1e6)
    )
    rate = pacing._rate(first.spend, first.reach, first.foreseen, first.recent)
    assert rate == pytest.approx(1.2 * 1e6 / 0.1)
    # the next 0.1: 100 wins at a quarter of the price; nothing billed yet
    cheap = pacing.control(
        first, PacingInput(120.0, 1_200_000, budget, 0.2, price, False, 1.0), (200, 1.25e6)
    )
    recent = cheap.recent
    assert recent is not None
    assert recent.wins == pacing.RECENT_WINS  # both halves kept, in proportion
    assert recent.cost / recent.reach == pytest.approx(1.25e6 / (0.1 + first.probability * 0.1))
    now = pacing._rate(cheap.spend, cheap.reach, cheap.foreseen, cheap.recent)
    assert now == pytest.approx(1.2e6 / 1.25e6 * recent.cost / recent.reach)
    assert now < 0.6 * rate
    assert cheap.probability > first.probability


def test_click_groups_are_kept_far_above_need_only_in_hours_of_countable_events() -> None:
    budget, price = 40_000_000, 150_000
    assert pacing.boost(budget, 0.05, price) == pacing.BOOST  # 13 clicks planned
    assert pacing.boost(budget, 0.006, price) == pacing.FEW_BOOST  # 1.6 clicks
    assert pacing.boost(budget, 0.05, 1_000) == 1.0  # 2,000 events: the wide gate


def test_throttle_keeps_what_it_learnt_over_a_new_day() -> None:
    throttle = pacing.control(pacing.Throttle(), PacingInput(0.0, 0, 1_000_000, 0.9, 1_000, False))
    throttle = pacing.control(throttle, PacingInput(60.0, 200_000, 1_000_000, 0.95, 1_000, False))
    after = pacing.control(throttle, PacingInput(120.0, 0, 1_000_000, 0.0, 1_000, False))
    assert (after.spend, after.reach) == (throttle.spend, throttle.reach)
    assert after.probability == pytest.approx(1_000_000 / (200_000 / 0.05))


@given(st.integers(1, 8), st.floats(1.0, 20.0))
def test_throttle_does_not_overshoot_a_budget_of_a_few_events(
    budget_events: int, abundance: float
) -> None:
    budget = budget_events * 1_000
    hourly, spent = _run_day(budget, abundance * budget)
    assert spent <= budget + 1_000
    assert sum(hourly) == spent


def test_throttle_never_drops_below_its_floor() -> None:
    throttle = pacing.control(pacing.Throttle(), PacingInput(0.0, 0, 1_000, 0.0, 1_000, False))
    throttle = pacing.control(throttle, PacingInput(60.0, 2_000, 1_000, 0.01, 1_000, False))
    assert throttle.probability == pacing.MIN_PROBABILITY


CLAIMS = tokens.Claims(
    decision_id="x",
    viewer_id="viewer-1",
    ad_id="ad-1",
    adgroup_id="ag-1",
    campaign_id="camp-1",
    advertiser_id="adv-1",
    item_id="item-1",
    billing="CPC",
    goal="CLICK",
    price=5,
    issued_at=40.0,
    expires_at=100.0,
)
# Signed by the engine before the token became a dataclass (commit 769a98a, key id k7, secret
# b"v1-secret-" * 4): tokens already issued must still verify, as version 1.
ISSUED_V1 = (
    "k7.eyJkIjoiMThjMGExYjJjM2Q0ZTVmNjA3MTgyOTNhNGIiLCJ2Ijoidmlld2VyLTEiLCJhIjoiYWQtMSIsImciOiJhZy0x"
    "IiwiYyI6ImNhbXAtMSIsImFkdiI6ImFkdi0xIiwiaSI6Iml0ZW0tMSIsImIiOiJDUEMiLCJnb2FsIjoiQ0xJQ0siLCJwIjox"
    "NTAwLCJ0IjoxNzY0OTc5MjAwLjEyNSwiZXhwIjoxNzY1MDY1NjAwLjEyNSwiY28iOiJGUiIsImFnIjoiQUdFXzI1XzM0Iiwi"
    "Z2UiOiJGRU1BTEUiLCJmIjoiZmVlZC0xIiwicGYiOiJBTkRST0lEIiwicmUiOiJJREYifQ.WNE86GXjWvYQtHEAOK3KhBwofBw"
)


def test_tokens_round_trip_and_refuse_tampering_and_expiry() -> None:
    secret = b"k" * 32
    token = tokens.sign(CLAIMS, secret)
    assert tokens.verify(token, secret, 50.0) == CLAIMS
    kid, body, mac = token.split(".")
    forged = tokens.sign(CLAIMS._replace(price=1), b"other" * 8).split(".")[1]
    for bad, reason in (
        (f"{kid}.{forged}.{mac}", "token_tampered"),
        (f"{kid}.{body}.{mac[:-2]}xx", "token_tampered"),
        (f"k9.{body}.{mac}", "token_tampered"),  # a key id the key set does not have
        (f"{body}.{mac}", "token_malformed"),
        ("garbage", "token_malformed"),
    ):
        with pytest.raises(tokens.TokenError) as error:
            tokens.verify(bad, secret, 50.0)
        assert error.value.reason == reason
    with pytest.raises(tokens.TokenError, match="token_expired"):
        tokens.verify(token, secret, 101.0)


def test_a_token_issued_before_the_codec_verifies_as_version_1() -> None:
    claims = tokens.verify(ISSUED_V1, {"k7": b"v1-secret-" * 4}, 1_764_979_300.0)
    assert claims == tokens.Claims(
        decision_id="18c0a1b2c3d4e5f60718293a4b",
        viewer_id="viewer-1",
        ad_id="ad-1",
        adgroup_id="ag-1",
        campaign_id="camp-1",
        advertiser_id="adv-1",
        item_id="item-1",
        billing="CPC",
        goal="CLICK",
        price=1500,
        issued_at=1_764_979_200.125,
        expires_at=1_765_065_600.125,
        country="FR",
        age_group="AGE_25_34",
        gender="FEMALE",
        feed_id="feed-1",
        platform="ANDROID",
        region="IDF",
    )
    # the codec writes the same bytes back: same key order, same values, same MAC
    assert tokens.sign(claims, b"v1-secret-" * 4, "k7") == ISSUED_V1
    assert list(tokens.encode(claims)) == list(tokens.V1_KEYS.values())


@given(st.binary(max_size=200), st.binary(max_size=600))
def test_the_mac_from_precomputed_pads_is_hmac_sha256(secret: bytes, message: bytes) -> None:
    assert tokens._mac(secret, message) == hmac.digest(secret, message, "sha256")


def test_payloads_of_another_version_or_missing_fields_are_refused_as_malformed() -> None:
    secret = b"k" * 32
    payload = tokens.encode(CLAIMS)
    for bad in (
        {**payload, "_v": 2},  # a version this code does not know
        {k: v for k, v in payload.items() if k != "g"},  # no ad group
        {**payload, "p": "five"},  # not a price
    ):
        with pytest.raises(tokens.TokenError, match="token_malformed"):
            tokens.verify(tokens.sign_payload(bad, secret), secret, 50.0)
    assert tokens.verify(tokens.sign_payload({**payload, "_v": 1}, secret), secret, 50.0) == CLAIMS


def test_tokens_signed_with_an_older_key_still_verify_after_a_rotation() -> None:
    old, new = b"o" * 32, b"n" * 32
    before = tokens.sign(CLAIMS, old, "kold")
    after = tokens.sign(CLAIMS._replace(decision_id="y"), new, "knew")
    keyset = {"kold": old, "knew": new}
    assert tokens.verify(before, keyset, 50.0).decision_id == "x"
    assert tokens.verify(after, keyset, 50.0).decision_id == "y"
    relabelled = "knew." + before.split(".", 1)[1]  # the key id is under the MAC too
    with pytest.raises(tokens.TokenError, match="token_tampered"):
        tokens.verify(relabelled, keyset, 50.0)
    with pytest.raises(tokens.TokenError, match="token_tampered"):
        tokens.verify(before, {"knew": new}, 50.0)  # once the old key is dropped


MakeCounters = Callable[[], MemoryCounters]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.integers(1, 50), st.integers(1, 5_000), st.integers(1, 400))
def test_budget_is_never_overspent_by_more_than_one_event(
    make_counters: MakeCounters, budget_events: int, price: int, attempts: int
) -> None:
    counters = make_counters()
    budget = budget_events * price + price // 2
    lines = [BudgetLine("ag:g:day", budget), BudgetLine("cp:c:day", None)]
    for _ in range(attempts):
        counters.try_bill(lines, price)
    assert counters.spent("ag:g:day") < budget + price


def test_concurrent_billing_respects_the_budget(make_counters: MakeCounters) -> None:
    counters = make_counters()
    lines = [BudgetLine("ag:g:day", 1_000_000)]
    billed = []

    def worker() -> None:
        billed.extend(1 for _ in range(2_000) if counters.try_bill(lines, 777))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counters.spent("ag:g:day") == len(billed) * 777
    assert 1_000_000 <= counters.spent("ag:g:day") < 1_000_000 + 777


def test_reasons_counted_in_bulk_add_to_those_counted_one_by_one(
    make_counters: MakeCounters,
) -> None:
    counters = make_counters()
    rows = counters.reason_rows(["g0", "g1", "g2"])
    counters.count_reasons(rows[[0, 2]], "outbid")
    counters.count_reasons(rows[[0]], "outbid")
    counters.count_reason("g0", "outbid")
    counters.count_reason("g0", "cap")
    assert counters.reasons("g0") == {"outbid": 3, "cap": 1}
    assert counters.reasons("g1") == {}
    assert counters.reasons("g2") == {"outbid": 1}
    assert counters.reason_rows(["g2", "g3"]).tolist() == [2, 3]  # a row is kept for good


def test_statistics_table_follows_events_and_loaded_history(make_counters: MakeCounters) -> None:
    counters = make_counters()
    [early] = counters.ad_stat_rows(["a0"])
    counters.load_stats({"a1": Stats(impressions=10, clicks=2)})
    for n in range(200):  # the table grows under registered rows
        counters.add_ad_stat(f"x{n}", "impressions")
    counters.add_ad_stat("a0", "clicks", 3)
    [late] = counters.ad_stat_rows(["a1"])
    table = counters.stats_table()
    assert table[early].tolist() == [0, 3, 0, 0, 0]
    assert table[late].tolist() == [10, 2, 0, 0, 0]


def test_statistics_changes_are_reported_until_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counters_module, "KEEP_CHANGES", 2)
    counters = MemoryCounters()
    [a0, a1] = counters.ad_stat_rows(["a0", "a1"])
    version, everything = counters.stat_changes(-1)
    assert everything is None  # a new reader starts from the whole table
    counters.add_ad_stat("a1", "clicks")
    counters.add_ad_stat("a0", "impressions")
    version, changed = counters.stat_changes(version)
    assert changed is not None
    assert changed.tolist() == [a1, a0]
    _, none_yet = counters.stat_changes(version)
    assert none_yet is not None
    assert none_yet.tolist() == []
    for _ in range(5):
        counters.add_ad_stat("a0", "clicks")
    assert counters.stat_changes(version)[1] is None  # too far behind: read everything again


def test_billing_is_refused_when_any_line_is_full(make_counters: MakeCounters) -> None:
    counters = make_counters()
    lines = [BudgetLine("ag:g:2026-01-01", 1_000), BudgetLine("cp:c:2026-01-01", 500)]
    assert counters.try_bill(lines, 400)
    assert counters.try_bill(lines, 400)  # the campaign had room (400 < 500): one event over
    assert not counters.try_bill(lines, 1)
    assert (counters.spent("ag:g:2026-01-01"), counters.spent("cp:c:2026-01-01")) == (800, 800)


def test_refund_gives_the_room_back(make_counters: MakeCounters) -> None:
    counters = make_counters()
    lines = [BudgetLine("ag:g:2026-01-01", 500), BudgetLine("agl:g", None)]
    assert counters.try_bill(lines, 500)
    assert not counters.try_bill(lines, 1)
    counters.refund(lines, 500)
    assert counters.spent("agl:g") == 0
    assert counters.try_bill(lines, 1)


def test_exposures_count_within_the_window_only(make_counters: MakeCounters) -> None:
    counters = make_counters()
    for at in (100.0, 100.0, 200.0, 300.0):  # two exposures may share an instant
        counters.record_exposure("v", "g", at, keep=1_000.0)
    assert counters.exposures("v", "g", since=100.0) == 4
    assert counters.exposures("v", "g", since=150.0) == 2
    assert counters.exposures("v", "other", since=0.0) == 0
    counters.record_exposure("v", "g", 1_250.0, keep=1_000.0)  # forgets what is older than 250
    assert counters.exposures("v", "g", since=0.0) == 2


def test_warm_up_raises_spend_and_never_lowers_it(make_counters: MakeCounters) -> None:
    counters = make_counters()
    counters.try_bill([BudgetLine("ag:g:2026-01-01", None)], 700)
    counters.raise_spent({"ag:g:2026-01-01": 500, "agl:g": 900})
    assert counters.spent("ag:g:2026-01-01") == 700
    assert counters.spent("agl:g") == 900


def test_warm_up_loads_exposures(make_counters: MakeCounters) -> None:
    counters = make_counters()
    counters.load_exposures([("v", "g", [10.0, 20.0]), ("w", "g", [30.0])], keep=100.0)
    assert counters.exposures("v", "g", since=0.0) == 2
    assert counters.exposures("w", "g", since=25.0) == 1


def test_an_hour_of_few_events_is_tight() -> None:
    budget = 50_000_000
    assert pacing.tight(budget, 0.05, 10_000)  # 2.5 EUR planned: 250 events
    assert not pacing.tight(budget, 0.05, 8_000)  # 312 events


def test_the_narrow_gate_lets_spend_run_ahead_by_a_few_events_only() -> None:
    budget, fraction, hour = 50_000_000, 0.5, 0.05
    # 200,000 ahead of the curve: within the wide slack (1 % of the budget), not the narrow one
    # (5 % of the hour's plan: 125,000)
    assert pacing.may_spend(25_200_000, budget, fraction, 30_000, hour)
    assert not pacing.may_spend(25_200_000, budget, fraction, 30_000, hour, narrow=True)
    assert pacing.may_spend(25_100_000, budget, fraction, 30_000, hour, narrow=True)


def test_the_narrow_gate_always_lets_one_event_through() -> None:
    budget = 50_000_000
    assert pacing.may_spend(25_400_000, budget, 0.5, 500_000, 0.05, narrow=True)
    assert not pacing.may_spend(25_600_000, budget, 0.5, 500_000, 0.05, narrow=True)


def test_a_narrowly_gated_group_is_kept_above_need() -> None:
    start = pacing.control(pacing.Throttle(), PacingInput(0.0, 0, 100_000, 0.0, 1_000, False))
    wide = pacing.control(start, PacingInput(60.0, 50_000, 100_000, 0.1, 1_000, False))
    narrow = pacing.control(
        start, PacingInput(60.0, 50_000, 100_000, 0.1, 1_000, False, pacing.BOOST)
    )
    # a tenth of the traffic at probability 1 bought 50,000: 500,000 per share of the day; the
    # 50,000 left over the 0.9 to come need 55,556 per share
    assert wide.probability == pytest.approx(50_000 / 0.9 / 500_000)
    assert narrow.probability == pytest.approx(pacing.BOOST * wide.probability)


def test_the_horizon_is_counted_in_the_price_paid() -> None:
    """The measured rate keeps `HORIZON_EVENTS` events of evidence at the price paid: a cheap
    event's horizon forgets old spend sooner than a dear one's."""
    start = pacing.control(pacing.Throttle(), PacingInput(0.0, 0, 10_000_000, 0.0, 1_000, False))
    cheap = pacing.control(start, PacingInput(60.0, 100_000, 10_000_000, 0.1, 1_000, False))
    dear = pacing.control(start, PacingInput(60.0, 100_000, 10_000_000, 0.1, 100_000, False))
    assert cheap.spend == pacing.HORIZON_EVENTS * 1_000
    assert cheap.reach == pytest.approx(0.1 * 20_000 / 100_000)
    assert (dear.spend, dear.reach) == (100_000, pytest.approx(0.1))


def test_counters_pace_a_click_group_on_the_wins_they_counted(make_counters: MakeCounters) -> None:
    """`pace_served` counts each win and its expected cost, and the next update measures the
    rate on them: 200 wins expected to cost 50 each in a tenth of the day, 10,000 billed (so the
    first probability is 40,000 left over 0.9 of the day ÷ 100,000 a day); then 100 wins at a
    quarter of that price in the next tenth, nothing billed: the latest 100 wins cost 6,250 over
    0.05 + 0.1 × p₁ of the day, times 10,000 billed ÷ 11,250 expected. Billed spend over the
    traffic alone (the law without wins counted) would give 10,000 ÷ (0.1 + 0.1 × p₁)."""
    counters = make_counters()
    counters.control_pacing("g", PacingInput(0.0, 0, 50_000, 0.0, 1_000, False, 1.0))
    for _ in range(200):
        counters.pace_served("g", 50.0)
    counters.control_pacing("g", PacingInput(30.0, 10_000, 50_000, 0.1, 1_000, False, 1.0))
    assert counters.pacing_probability("g") == 1.0  # not due yet: the gate did not change
    counters.control_pacing("g", PacingInput(60.0, 10_000, 50_000, 0.1, 1_000, False, 1.0))
    first = counters.pacing_probability("g")
    assert first == pytest.approx(40_000 / 0.9 / 100_000)
    for _ in range(100):
        counters.pace_served("g", 12.5)
    counters.control_pacing("g", PacingInput(120.0, 10_000, 50_000, 0.2, 1_000, False, 1.0))
    rate = 10_000 / 11_250 * 6_250 / (0.05 + 0.1 * first)
    assert counters.pacing_probability("g") == pytest.approx(40_000 / 0.8 / rate)
    assert counters.pacing_probability("g") > 1.1 * 40_000 / 0.8 / (10_000 / (0.1 + 0.1 * first))


def test_billed_counts_what_billing_added_and_in_how_many_events(
    make_counters: MakeCounters,
) -> None:
    counters = make_counters()
    counters.raise_spent({"ag:g:day": 5_000_000})  # loaded at start: its events are unknown
    lines = [BudgetLine("ag:g:day", 5_100_000), BudgetLine("cp:c:day", None)]
    assert counters.billed("ag:g:day") == (0, 0)
    assert counters.try_bill(lines, 30_000)
    assert counters.try_bill(lines, 50_000)
    assert counters.try_bill(lines, 40_000)
    assert not counters.try_bill(lines, 20_000)  # no room left: refused, not counted
    counters.refund(lines, 40_000)
    assert counters.billed("ag:g:day") == (80_000, 2)
    assert counters.billed("cp:c:day") == (80_000, 2)
    assert counters.spent("ag:g:day") == 5_080_000
