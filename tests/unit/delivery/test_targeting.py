from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sparkads.delivery.model import Behaviour, Viewer
from sparkads.delivery.targeting import Geography, TargetingIndex, age_group, bits, matches

FRANCE, GERMANY = "3017382", "2921044"
IDF = "3017382-IDF"

targetings = st.fixed_dictionaries(
    {
        "location_ids": st.lists(st.sampled_from([FRANCE, GERMANY, IDF]), min_size=1, max_size=2),
        "languages": st.lists(st.sampled_from(["fr", "de", "en"]), max_size=2),
        "gender": st.sampled_from(["GENDER_UNLIMITED", "GENDER_FEMALE", "GENDER_MALE"]),
        "age_groups": st.lists(
            st.sampled_from(["AGE_18_24", "AGE_25_34", "AGE_35_44"]), max_size=2
        ),
        "interest_category_ids": st.lists(st.sampled_from(["101", "101002", "103"]), max_size=2),
        "operating_systems": st.lists(st.sampled_from(["IOS", "ANDROID"]), max_size=1),
        "network_types": st.lists(st.sampled_from(["WIFI", "4G"]), max_size=1),
        "actions": st.lists(
            st.fixed_dictionaries(
                {
                    "action_scene": st.just("VIDEO_RELATED"),
                    "action_period": st.sampled_from([7, 30]),
                    "video_user_actions": st.just(["LIKED"]),
                    "action_category_ids": st.just(["103"]),
                }
            ),
            max_size=1,
        ),
    }
)
viewers = st.builds(
    Viewer,
    viewer_id=st.just("v"),
    country=st.sampled_from(["FR", "DE", "ES"]),
    region=st.sampled_from([None, "IDF", "ARA"]),
    age=st.sampled_from([None, 20, 30, 40, 70]),
    gender=st.sampled_from([None, "MALE", "FEMALE"]),
    language=st.sampled_from([None, "fr", "de"]),
    os=st.sampled_from([None, "IOS", "ANDROID"]),
    network=st.sampled_from([None, "WIFI", "4G"]),
    interests=st.lists(st.sampled_from(["101", "101002", "103001"]), max_size=2).map(tuple),
    behaviours=st.lists(
        st.builds(
            Behaviour,
            st.just("VIDEO_RELATED"),
            st.just("LIKED"),
            st.sampled_from(["103", "103002"]),
            st.sampled_from([1, 10, 40]),
        ),
        max_size=1,
    ).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(targetings, min_size=1, max_size=12), viewers)
def test_index_agrees_with_direct_evaluation(
    geo: Geography, specs: list[dict[str, Any]], viewer: Viewer
) -> None:
    index = TargetingIndex.build(specs, geo)
    found = set(bits(index.candidates(viewer)))
    expected = {i for i, spec in enumerate(specs) if matches(spec, viewer, geo, frozenset())}
    assert found == expected


def test_region_targeting_needs_the_region(geo: Geography) -> None:
    index = TargetingIndex.build([{"location_ids": [IDF]}], geo)
    assert index.candidates(Viewer("v", "FR", region="IDF")) == 1
    assert index.candidates(Viewer("v", "FR", region="ARA")) == 0
    assert index.candidates(Viewer("v", "FR")) == 0


def test_subcategory_interest_matches_its_parent_category(geo: Geography) -> None:
    index = TargetingIndex.build(
        [{"location_ids": [FRANCE], "interest_category_ids": ["101"]}], geo
    )
    assert index.candidates(Viewer("v", "FR", interests=("101002",))) == 1
    assert index.candidates(Viewer("v", "FR", interests=("103001",))) == 0


def test_behaviour_counts_only_within_its_period(geo: Geography) -> None:
    spec = {
        "location_ids": [FRANCE],
        "actions": [
            {
                "action_scene": "CREATOR_RELATED",
                "action_period": 7,
                "video_user_actions": ["FOLLOWING"],
                "action_category_ids": ["103"],
            }
        ],
    }
    index = TargetingIndex.build([spec], geo)
    recent = Behaviour("CREATOR_RELATED", "FOLLOWING", "103001", 3)
    old = Behaviour("CREATOR_RELATED", "FOLLOWING", "103001", 20)
    assert index.candidates(Viewer("v", "FR", behaviours=(recent,))) == 1
    assert index.candidates(Viewer("v", "FR", behaviours=(old,))) == 0


def test_unknown_age_or_gender_matches_only_unrestricted_groups(geo: Geography) -> None:
    index = TargetingIndex.build(
        [
            {"location_ids": [FRANCE], "age_groups": ["AGE_18_24"]},
            {"location_ids": [FRANCE], "gender": "GENDER_MALE"},
            {"location_ids": [FRANCE]},
        ],
        geo,
    )
    assert list(bits(index.candidates(Viewer("v", "FR")))) == [2]


def test_age_groups_follow_tiktok_brackets() -> None:
    assert [age_group(a) for a in (12, 13, 17, 18, 34, 54, 55, 99)] == [
        None,
        "AGE_13_17",
        "AGE_13_17",
        "AGE_18_24",
        "AGE_25_34",
        "AGE_45_54",
        "AGE_55_100",
        "AGE_55_100",
    ]
