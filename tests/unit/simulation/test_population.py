"""The synthetic audience: reproducible, shaped like its documented distributions, and matched by
vectorised targeting exactly as the delivery engine would match each viewer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparkads.campaigns.catalog import catalog
from sparkads.delivery.compile import geography
from sparkads.delivery.model import Viewer
from sparkads.delivery.targeting import Geography, age_group, matches
from sparkads.simulation import population as synthetic
from sparkads.simulation.population import Population

FRANCE, GERMANY, UNITED_STATES, JAPAN = "3017382", "2921044", "6252001", "1861060"
COLUMNS = (
    "country", "region", "language", "age", "gender", "os", "os_version", "network",
    "device_price", "interests", "behaviour_action", "behaviour_category", "behaviour_days",
    "activity",
)  # fmt: skip


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography()


@pytest.fixture(scope="module")
def people() -> Population:
    return synthetic.generate(20_000, seed=11)


@pytest.fixture(scope="module")
def crowd() -> Population:
    return synthetic.generate(100_000, seed=7)


def _device_ok(spec: dict[str, Any], viewer: Viewer) -> bool:
    """The engine's checks outside the targeting index (delivery.engine._blocked)."""
    field = {"ANDROID": "min_android_version", "IOS": "min_ios_version"}.get(viewer.os or "")
    minimum = tuple(int(p) for p in spec[field].split(".")) if field and spec.get(field) else ()
    if minimum and viewer.os_version < minimum:
        return False
    price = spec.get("device_price_ranges") or []
    return not price or (
        viewer.device_price is not None and price[0] <= viewer.device_price <= price[1]
    )


_cat = catalog()
_interests = [i.id for i in _cat.interests()]
_locations = [FRANCE, GERMANY, UNITED_STATES, JAPAN, "2635167", "2802361", "798544", "999"]
_locations += ["3017382-IDF", "3017382-20R", "2635167-SCT", "6252001-CA", "2510769-AR"]
_behaviours = [(s, a) for s, a in synthetic.BEHAVIOURS] + [("VIDEO_RELATED", "FOLLOWING")]
targetings = st.fixed_dictionaries(
    {"location_ids": st.lists(st.sampled_from(_locations), min_size=1, max_size=3)},
    optional={
        "languages": st.lists(st.sampled_from(["fr", "en", "de", "nl", "pl", "ja"]), max_size=2),
        "gender": st.sampled_from(["GENDER_UNLIMITED", "GENDER_FEMALE", "GENDER_MALE"]),
        "age_groups": st.lists(
            st.sampled_from([a for x in range(13, 80, 10) if (a := age_group(x))]), max_size=3
        ),
        "interest_category_ids": st.lists(st.sampled_from(_interests), max_size=3),
        "actions": st.lists(
            st.builds(
                lambda b, period, categories: {
                    "action_scene": b[0],
                    "action_period": period,
                    "video_user_actions": [b[1]],
                    "action_category_ids": categories,
                },
                st.sampled_from(_behaviours),
                st.sampled_from([7, 15, 30, 60, 180]),
                st.lists(st.sampled_from(_interests), min_size=1, max_size=3),
            ),
            max_size=2,
        ),
        "operating_systems": st.lists(st.sampled_from(["IOS", "ANDROID"]), max_size=1),
        "min_android_version": st.sampled_from(["9", "12", "13.0", "14.0.1"]),
        "min_ios_version": st.sampled_from(["15", "17.2", "17.2.0", "18.6"]),
        "network_types": st.lists(st.sampled_from(["WIFI", "4G", "5G", "3G"]), max_size=2),
        "device_price_ranges": st.sampled_from(
            [[0, 10_000], [200, 1000], [500, 900], [1000, 2500]]
        ),
    },
)


def _columns(population: Population) -> list[np.ndarray[Any, Any]]:
    return [getattr(population, name) for name in COLUMNS]


def test_generate_same_seed_gives_same_population() -> None:
    first, second = synthetic.generate(5_000, seed=3), synthetic.generate(5_000, seed=3)
    for a, b in zip(_columns(first), _columns(second), strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.viewer(42) == second.viewer(42)


def test_generate_different_seed_gives_different_population() -> None:
    first, second = synthetic.generate(5_000, seed=3), synthetic.generate(5_000, seed=4)
    assert all(
        not np.array_equal(a, b) for a, b in zip(_columns(first), _columns(second), strict=True)
    )
    assert first.viewer_id(0) != second.viewer_id(0)


@settings(max_examples=300, deadline=None)
@given(spec=targetings)
def test_matching_agrees_with_targeting_matches(
    people: Population, geo: Geography, spec: dict[str, Any]
) -> None:
    mask = people.matching(spec, geo)
    sample = {*np.flatnonzero(mask)[:40].tolist(), *range(0, people.size, 331)}
    for i in sample:
        viewer = people.viewer(i)
        expected = matches(spec, viewer, geo, frozenset()) and _device_ok(spec, viewer)
        assert mask[i] == expected, (i, viewer)


def test_matching_country_absent_from_population_is_zero(
    people: Population, geo: Geography
) -> None:
    assert people.count_matching({"location_ids": [JAPAN]}, geo) == 0
    assert people.count_matching({"location_ids": ["not-a-location"]}, geo) == 0


def test_matching_country_counts_its_viewers(people: Population, geo: Geography) -> None:
    in_france = int((people.country_codes() == "FR").sum())
    assert people.count_matching({"location_ids": [FRANCE]}, geo) == in_france > 0


def test_matching_region_keeps_only_that_region(people: Population, geo: Geography) -> None:
    mask = people.matching({"location_ids": ["3017382-IDF"]}, geo)
    assert mask.any()
    assert {people.viewer(int(i)).region for i in np.flatnonzero(mask)} == {"IDF"}


def test_matching_ignores_audiences(people: Population, geo: Geography) -> None:
    # outside the EEA, the UK and Switzerland: there, audiences (profiling) keep minors out
    spec = {"location_ids": [UNITED_STATES], "audience_ids": ["aud1"]}
    assert people.count_matching(spec, geo) == people.count_matching(
        {"location_ids": [UNITED_STATES]}, geo
    )


def test_country_shares_close_to_configured(crowd: Population) -> None:
    codes, counts = np.unique(crowd.country_codes(), return_counts=True)
    shares = dict(zip(codes.tolist(), (counts / crowd.size).tolist(), strict=True))
    assert shares.keys() == synthetic.COUNTRY_SHARES.keys()
    for country, share in synthetic.COUNTRY_SHARES.items():
        assert shares[country] == pytest.approx(share, abs=0.01)


def test_gender_shares_close_to_configured(crowd: Population) -> None:
    female = float((crowd.gender == synthetic.GENDERS.index("FEMALE")).mean())
    assert female == pytest.approx(synthetic.FEMALE_SHARE, abs=0.01)


def test_age_groups_skew_young(crowd: Population) -> None:
    groups = [age_group(int(a)) for a in crowd.age[:20_000]]
    share = {g: groups.count(g) / len(groups) for g in set(groups)}
    assert share["AGE_18_24"] > share["AGE_13_17"]
    assert share["AGE_25_34"] > share["AGE_45_54"]
    assert crowd.age.min() >= 13


def test_ios_share_higher_in_united_states_than_poland(crowd: Population) -> None:
    ios = crowd.os == synthetic.OPERATING_SYSTEMS.index("IOS")
    codes = crowd.country_codes()
    assert ios[codes == "US"].mean() > 0.5 > 0.25 > ios[codes == "PL"].mean()


def test_iphones_cost_more_than_android_phones(crowd: Population) -> None:
    ios = crowd.os == synthetic.OPERATING_SYSTEMS.index("IOS")
    assert np.median(crowd.device_price[ios]) > 2 * np.median(crowd.device_price[~ios])


def test_every_viewer_holds_two_to_five_distinct_categories(people: Population) -> None:
    held = (people.interests >= 0).sum(axis=1)
    assert held.min() == 2
    assert held.max() == 5
    tops = {people.viewer(i).interests for i in range(200)}
    assert all(len({c[:3] for c in t}) == len(t) for t in tops)


def test_viewer_behaviours_are_on_held_categories(people: Population) -> None:
    for i in range(500):
        viewer = people.viewer(i)
        assert 1 <= len(viewer.behaviours) <= 2
        assert all(b.category_id in viewer.interests for b in viewer.behaviours)
        assert all(0 <= b.days_ago <= synthetic.BEHAVIOUR_MAX_DAYS for b in viewer.behaviours)


def test_viewer_regions_belong_to_their_country(people: Population, geo: Geography) -> None:
    for i in range(500):
        viewer = people.viewer(i)
        if viewer.region is None:
            assert viewer.country not in synthetic.REGION_POPULATION
        else:
            assert _cat.country_code_of(f"{geo.country_id[viewer.country]}-{viewer.region}") == (
                viewer.country
            )


def test_sample_favours_active_viewers(people: Population) -> None:
    picks = people.sample(np.random.default_rng(1), 200_000)
    busy = people.activity > np.quantile(people.activity, 0.9)
    assert busy[picks].mean() > 0.25
    assert picks.min() >= 0
    assert picks.max() < people.size


def test_sample_same_rng_seed_same_viewers(people: Population) -> None:
    first = people.sample(np.random.default_rng(5), 100)
    np.testing.assert_array_equal(first, people.sample(np.random.default_rng(5), 100))


def test_distribution_tables_name_catalogue_entries() -> None:
    countries = {c.country_code for c in _cat.locations(level="COUNTRY")}
    languages = {lang.code for lang in _cat.languages()}
    assert synthetic.COUNTRY_SHARES.keys() <= countries
    for country, regions in synthetic.REGION_POPULATION.items():
        known = {r.location_id.split("-", 1)[1] for r in _cat.locations("PROVINCE", country)}
        assert regions.keys() == known
    assert all(mix.keys() <= languages for mix in synthetic.LANGUAGE_MIX.values())
    sectors = {i.sector for i in _cat.interests(level=1)}
    assert synthetic.SECTOR_POPULARITY.keys() == sectors
