"""Lookalike core: sparse cosine similarity to the seed centroid, checked against a dense oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparkads.audiences.lookalike import (
    Features,
    centroid,
    lookalike,
    most_similar,
    share_of,
    similarity,
)


def _features(rows: list[list[int]], weights: list[float], dimension: int) -> Features:
    return Features(np.array(rows, np.int32), np.array(weights), dimension)


def _dense(features: Features) -> np.ndarray:
    matrix = np.zeros((features.size, features.dimension))
    for i, row in enumerate(features.active):
        for slot, index in enumerate(row):
            if index >= 0:
                matrix[i, index] += features.weights[slot]
    return matrix


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(3, 5), st.sampled_from([-1, 6, 7, 8, 9])),
        min_size=3,
        max_size=40,
    ),
    st.data(),
)
def test_similarity_equals_dense_cosine_to_the_seed_centroid(
    rows: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    features = _features([list(r) for r in rows], [1.0, 1.0, 2.0], 10)
    seed = np.array(sorted(data.draw(st.sets(st.integers(0, len(rows) - 1), min_size=1))), np.intp)
    dense = _dense(features)
    units = dense / np.linalg.norm(dense, axis=1, keepdims=True)
    center = units[seed].mean(axis=0)
    center /= np.linalg.norm(center)
    assert np.allclose(similarity(features, centroid(features, seed)), units @ center)


def test_viewer_identical_to_the_seed_scores_one() -> None:
    features = _features([[0, 3, 6], [0, 3, 6], [1, 4, -1]], [1.0, 1.0, 2.0], 8)
    scores = similarity(features, centroid(features, np.array([0])))
    assert scores[1] == pytest.approx(1.0)
    assert scores[2] == pytest.approx(0.0)


def test_ties_at_the_boundary_go_to_the_lower_index() -> None:
    scores = np.array([0.5, 0.9, 0.5, 0.5, 0.1])
    chosen = most_similar(scores, np.ones(5, bool), 2)
    assert chosen.tolist() == [0, 1]


def test_lookalike_takes_the_share_of_candidates_and_never_the_seed() -> None:
    rows = [[0, 3, 6]] * 10 + [[1, 4, 7]] * 90
    features = _features(rows, [1.0, 1.0, 2.0], 8)
    candidates = np.ones(100, bool)
    chosen = lookalike(features, np.array([0, 1]), candidates, 0.05)
    assert len(chosen) == 5
    assert set(chosen.tolist()) <= set(range(2, 10))  # the most similar, outside the seed


@pytest.mark.parametrize(
    ("size", "share", "expected"),
    [("NARROW", None, 0.01), ("BALANCED", None, 0.05), ("BROAD", None, 0.10), (None, 0.03, 0.03),
     ("BROAD", 0.5, 0.10)],
)  # fmt: skip
def test_audience_size_names_map_to_population_shares(
    size: str | None, share: float | None, expected: float
) -> None:
    assert share_of(size, share) == pytest.approx(expected)
