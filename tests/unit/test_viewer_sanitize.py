"""The intake's quick check of a viewer (`_clean`, set operations) says "storable as sent"
exactly when the value-by-value path (`_clipped`) would keep it unchanged and clip nothing; a
viewer is never stored with interests twice or more behaviours than a profile keeps."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sparkads.delivery.model import Behaviour, Viewer
from sparkads.traffic.attributes import _clean, _clipped, sanitize
from sparkads.traffic.columns import BEHAVIOURS, MAX_BEHAVIOURS, MAX_INTERESTS, vocabulary

VOCAB = vocabulary()
KNOWN = sorted(VOCAB.interest_code)[:12]
interests = st.lists(st.sampled_from([*KNOWN, "999999", "x"]), max_size=MAX_INTERESTS + 3)
scenes = st.sampled_from([s for s, _ in BEHAVIOURS] + ["ELSEWHERE"])
actions = st.sampled_from([a for _, a in BEHAVIOURS] + ["POKED"])
categories = st.sampled_from([*KNOWN[:4], "999999"])
behaviours = st.lists(
    st.builds(Behaviour, scenes, actions, categories, st.integers(0, 40)),
    max_size=MAX_BEHAVIOURS + 2,
)
viewers = st.builds(
    Viewer,
    st.just("v1"),
    st.sampled_from(["FR", "US", "ZZ"]),
    st.sampled_from([None, "IDF", "CA", "XX"]),
    st.one_of(st.none(), st.integers(13, 90)),
    st.sampled_from([None, "FEMALE", "MALE"]),
    st.sampled_from([None, "fr", "en", "xx"]),
    interests=interests.map(tuple),
    behaviours=behaviours.map(tuple),
)


@settings(max_examples=400, deadline=None)
@given(viewers)
def test_the_quick_check_agrees_with_the_value_by_value_path(viewer: Viewer) -> None:
    assert _clean(viewer, VOCAB) == (_clipped(viewer, VOCAB) == (viewer, ()))


@settings(max_examples=200, deadline=None)
@given(viewers)
def test_a_stored_viewer_has_each_interest_once_and_at_most_the_behaviours_kept(
    viewer: Viewer,
) -> None:
    clean, _ = sanitize(viewer)
    assert len(set(clean.interests)) == len(clean.interests) <= MAX_INTERESTS
    assert set(clean.interests) <= set(VOCAB.interest_code)
    assert len(clean.behaviours) <= MAX_BEHAVIOURS


def test_interests_sent_twice_are_kept_once_even_when_nothing_else_is_clipped() -> None:
    viewer = Viewer("v1", "FR", interests=(KNOWN[0], KNOWN[1], KNOWN[0]))
    clean, clipped = sanitize(viewer)
    assert (clean.interests, clipped) == ((KNOWN[0], KNOWN[1]), ())
