"""Lookalike audiences (pure, NumPy): the viewers most similar to a seed audience.

Each viewer is a feature vector: one-hot country, age band, gender and operating system, and a
multi-hot vector of the top-level interest categories they hold. Interests weigh more than the
rest: they say what a person cares about, the other features mostly who and where they are.
Similarity is the cosine between a viewer's vector and the centroid of the seed's unit vectors.

The vectors are sparse and never materialised: a viewer is a row of active feature indices (one
column per slot, -1 when empty), so a dot product with the centroid is a gather and a sum. On a
million viewers that is a few arrays of a million entries, not a million-by-features matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

SIZES = {"NARROW": 0.01, "BALANCED": 0.05, "BROAD": 0.10}  # share of the locations' population
MIN_SHARE, MAX_SHARE = 0.01, 0.10
MIN_SEED = 100  # seed viewers with known features needed for a meaningful centroid

Indices = NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class Features:
    """Active feature index per viewer and slot (-1 = none), the weight of each slot, and the
    number of distinct features (the vectors' dimension). Slots cover disjoint index ranges, so
    a feature appears at most once per viewer."""

    active: NDArray[np.int32]  # (viewers, slots)
    weights: NDArray[np.float64]  # (slots,)
    dimension: int

    @property
    def size(self) -> int:
        return int(self.active.shape[0])

    @cached_property
    def norms(self) -> NDArray[np.float64]:
        """Each viewer's vector length (computed once: features do not change)."""
        norms: NDArray[np.float64] = np.sqrt((self.active >= 0) @ self.weights**2)
        return norms


def centroid(features: Features, seed: Indices) -> NDArray[np.float64]:
    """The mean of the seed's unit vectors, itself scaled to unit length."""
    rows = features.active[seed]
    norms = features.norms[seed]
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    contributions = np.broadcast_to(features.weights, rows.shape) * scale[:, None]
    present = rows >= 0
    total = np.zeros(features.dimension, np.float64)
    np.add.at(total, rows[present], contributions[present])
    length = float(np.linalg.norm(total))
    return total / length if length > 0 else total


def similarity(features: Features, center: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cosine similarity of every viewer to a unit centroid."""
    padded = np.append(center, 0.0)  # index -1 (no feature) reads this zero
    dots = padded[features.active] @ features.weights
    norms = features.norms
    scores: NDArray[np.float64] = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
    return scores


def share_of(audience_size: str | None, share: float | None) -> float:
    """NARROW, BALANCED and BROAD are 1 %, 5 % and 10 %; an explicit share wins."""
    if share is not None:
        return min(MAX_SHARE, max(MIN_SHARE, share))
    return SIZES[audience_size or "BALANCED"]


def most_similar(scores: NDArray[np.float64], candidates: NDArray[np.bool_], count: int) -> Indices:
    """The `count` candidates with the highest scores, in viewer order; ties at the boundary go
    to the lower index, so a recomputation on the same data gives the same audience."""
    eligible = np.flatnonzero(candidates)
    if count >= eligible.size:
        return eligible
    if count <= 0:
        return np.empty(0, np.intp)
    values = scores[eligible]
    # The count-th best score, found in linear time; everything above it is in, and the places
    # left go to the viewers scoring exactly that, lowest index first.
    threshold = -np.partition(-values, count - 1)[count - 1]
    above = eligible[values > threshold]
    tied = eligible[values == threshold][: count - above.size]
    chosen: Indices = np.sort(np.concatenate([above, tied]))
    return chosen


def lookalike(
    features: Features,
    seed: Indices,
    candidates: NDArray[np.bool_],
    share: float,
) -> Indices:
    """Viewers most similar to the seed: `share` of the candidates (the locations' population,
    after the OS filter), never the seed itself (the caller adds it back for include_source)."""
    target = round(share * int(candidates.sum()))
    pool = candidates.copy()
    pool[seed] = False
    return most_similar(similarity(features, centroid(features, seed)), pool, target)
