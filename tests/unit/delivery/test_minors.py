"""The age rules in the engine (campaigns/minors.py): no sponsored post under 13, and minors of the
EEA, the UK and Switzerland only ad groups without profiling, counted as such in the diagnosis."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories.delivery import group, snapshot
from sparkads.campaigns.minors import PROFILING_FREE_COUNTRIES, minor_warnings, uses_profiling
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import Decision, Eligible, EngineConfig, decide, reasons_report
from sparkads.delivery.model import Snapshot, Viewer
from sparkads.delivery.targeting import Geography, TargetingIndex, bits, matches

FRANCE, UNITED_STATES = "3017382", "6252001"
CONFIG = EngineConfig(secret=b"s" * 32)
NOON = 1_767_265_200.0  # 2026-01-01 12:00 Paris
EVERYWHERE = {"location_ids": [FRANCE, UNITED_STATES]}
BY_INTEREST = {**EVERYWHERE, "interest_category_ids": ["101"]}
AGE_ONLY = {**EVERYWHERE, "age_groups": ["AGE_13_17", "AGE_18_24"]}


def _decide(
    snap: Snapshot, viewer: Viewer, counters: MemoryCounters, config: EngineConfig = CONFIG
) -> list[Decision]:
    return decide(viewer, 1, snap, counters, NOON, random.Random(1), config)


@pytest.mark.parametrize("age", [0, 5, 12])
def test_under_13_no_sponsored_post_and_no_request_counted(geo: Geography, age: int) -> None:
    snap = snapshot([group(0), group(1)], [EVERYWHERE, AGE_ONLY], geo)
    counters, eligible = MemoryCounters(), Eligible()
    kid = Viewer("kid", "US", age=age, interests=("101",))

    got = decide(kid, 2, snap, counters, NOON, random.Random(1), CONFIG, eligible=eligible)

    assert got == []
    assert eligible == [0, 0, []]  # the traffic log sees a request no ad group accepted
    assert counters.request_count() == 0  # not an ad request: diagnoses are not diluted
    assert counters.reasons("g0") == {}
    assert snap.index.candidates(kid) == 0


def test_13_is_the_minimum_age(geo: Geography) -> None:
    snap = snapshot([group(0)], [EVERYWHERE], geo)
    [won] = _decide(snap, Viewer("teen", "US", age=13), MemoryCounters())
    assert won.group.adgroup_id == "g0"


def test_minor_in_france_sees_the_age_only_group_not_the_interest_one(geo: Geography) -> None:
    snap = snapshot([group(0, bid=9_000_000), group(1)], [BY_INTEREST, AGE_ONLY], geo)
    counters = MemoryCounters()
    minor = Viewer("m", "FR", age=13, interests=("101",))

    [won] = _decide(snap, minor, counters)

    assert won.group.adgroup_id == "g1"  # the higher bid of g0 profiles: withheld
    assert counters.reasons("g0") == {"minor_profiling": 1}
    assert reasons_report(counters, "g0") == {"minor_profiling": 1, "targeting": 0}
    assert counters.reasons("g1") == {"served": 1}


def test_minor_alone_with_an_interest_group_gets_nothing(geo: Geography) -> None:
    snap = snapshot([group(0)], [BY_INTEREST], geo)
    counters = MemoryCounters()
    assert _decide(snap, Viewer("m", "FR", age=15, interests=("101",)), counters) == []
    assert counters.reasons("g0") == {"minor_profiling": 1}


def test_minor_outside_europe_and_adult_in_france_still_see_interest_ads(geo: Geography) -> None:
    snap = snapshot([group(0)], [BY_INTEREST], geo)
    for viewer in (
        Viewer("us15", "US", age=15, interests=("101",)),
        Viewer("fr18", "FR", age=18, interests=("101",)),
        Viewer("fr?", "FR", interests=("101",)),  # no age sent: an adult's rules
    ):
        [won] = _decide(snap, viewer, MemoryCounters())
        assert won.group.adgroup_id == "g0"


@pytest.mark.parametrize(
    ("extra", "profiles"),
    [
        ({"interest_category_ids": ["101"]}, True),
        (
            {
                "actions": [
                    {
                        "action_scene": "VIDEO_RELATED",
                        "action_period": 30,
                        "video_user_actions": ["LIKED"],
                        "action_category_ids": ["101"],
                    }
                ]
            },
            True,
        ),
        ({"audience_ids": ["aud"]}, True),
        ({"excluded_audience_ids": ["aud"]}, True),
        ({"age_groups": ["AGE_13_17"], "gender": "GENDER_FEMALE"}, False),
        ({"languages": ["fr"], "operating_systems": ["IOS"], "network_types": ["WIFI"]}, False),
        ({"device_price_ranges": [0, 1000], "min_ios_version": "14.0"}, False),
    ],
)
def test_what_counts_as_profiling(geo: Geography, extra: dict[str, Any], profiles: bool) -> None:
    targeting = {"location_ids": [FRANCE], **extra}
    assert uses_profiling(targeting) is profiles
    index = TargetingIndex.build([{"location_ids": [FRANCE]}, targeting], geo)
    assert set(bits(index.profiling)) == ({1} if profiles else set())


@pytest.mark.parametrize("many", [1, 10_000])  # on NumPy rows, then one by one
def test_withheld_groups_are_counted_the_same_both_ways(geo: Geography, many: int) -> None:
    groups = [group(i) for i in range(60)]
    targetings = [BY_INTEREST if i % 3 else AGE_ONLY for i in range(60)]
    snap = snapshot(groups, targetings, geo)
    counters = MemoryCounters()
    config = EngineConfig(secret=CONFIG.secret, columns_from=many)

    _decide(snap, Viewer("m", "FR", age=16, interests=("101",)), counters, config)

    withheld = {g.adgroup_id for g in groups if g.index % 3}
    for g in groups:
        reasons = counters.reasons(g.adgroup_id)
        assert ("minor_profiling" in reasons) is (g.adgroup_id in withheld)
        assert sum(reasons.values()) == 1


profiling_targetings = st.fixed_dictionaries(
    {
        "location_ids": st.lists(
            st.sampled_from([FRANCE, UNITED_STATES]), min_size=1, max_size=2, unique=True
        ),
        "age_groups": st.lists(st.sampled_from(["AGE_13_17", "AGE_18_24"]), max_size=1),
        "interest_category_ids": st.lists(st.sampled_from(["101", "103"]), max_size=1),
        "audience_ids": st.lists(st.just("aud"), max_size=1),
        "excluded_audience_ids": st.lists(st.just("other"), max_size=1),
    }
)
young_viewers = st.builds(
    Viewer,
    viewer_id=st.just("v"),
    country=st.sampled_from(["FR", "US", "GB", "CH"]),
    age=st.sampled_from([None, 5, 12, 13, 15, 17, 18, 30]),
    interests=st.lists(st.sampled_from(["101", "103"]), max_size=2).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(profiling_targetings, min_size=1, max_size=8), young_viewers, st.booleans())
def test_index_agrees_with_direct_evaluation_for_minors(
    geo: Geography, specs: list[dict[str, Any]], viewer: Viewer, member: bool
) -> None:
    audiences = frozenset({"aud"}) if member else frozenset()
    index = TargetingIndex.build(specs, geo)
    withheld: list[int] = []
    found = index.candidates(viewer, audiences, withheld)
    expected = {i for i, spec in enumerate(specs) if matches(spec, viewer, geo, audiences)}
    assert set(bits(found)) == expected
    shielded = viewer.age is not None and 13 <= viewer.age < 18
    shielded = shielded and viewer.country in PROFILING_FREE_COUNTRIES
    if withheld:
        assert shielded
        assert not withheld[0] & found
        assert all(uses_profiling(specs[i]) for i in bits(withheld[0]))


def _country(location_id: str) -> str | None:
    return {FRANCE: "FR", UNITED_STATES: "US"}.get(location_id)


@pytest.mark.parametrize(
    ("targeting", "warned"),
    [
        (BY_INTEREST, True),  # every age (none ticked), France among the places
        ({**BY_INTEREST, "age_groups": ["AGE_13_17", "AGE_25_34"]}, True),
        ({**BY_INTEREST, "age_groups": ["AGE_18_24"]}, False),  # adults only
        ({"location_ids": [UNITED_STATES], "interest_category_ids": ["101"]}, False),
        (AGE_ONLY, False),  # no profiling
    ],
)
def test_adgroup_warning_when_profiling_reaches_minors(
    targeting: dict[str, Any], warned: bool
) -> None:
    found = minor_warnings(targeting, _country)
    assert [w.code for w in found] == (["minors_see_no_profiled_ads"] if warned else [])
    if warned:
        en, fr = found[0].render("en"), found[0].render("fr")
        assert "FR" in en["message"]
        assert "interest_category_ids" in en["cause"]
        assert "13 à 17 ans" in fr["message"]
