"""Lookalike computation for a million viewers, against a brute-force baseline in the same run.

Run: `.venv/bin/python -m bench.lookalike [--viewers 1000000] [--sample N] [--repeat 3]`

Measured: the path `dmp/custom_audience/lookalike/create/` takes (`audiences.lookalike` over
`marketplace.viewers.columns_features`): seed centroid, cosine similarity of every viewer, the
top 5 % of France. Baseline: the same cosine written the plain way, a pure-Python loop building
each viewer's feature vector as a dict and taking its cosine with the centroid, over every viewer
(or the first N, extrapolated linearly), then the same top-k selection with heapq. The run checks
that both paths give the same scores and the same cut. Results go to stdout and to
bench/results/lookalike.json (git-ignored).
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sparkads.audiences.lookalike import Features, centroid, lookalike, similarity
from sparkads.marketplace.viewers import columns_features, location_mask
from sparkads.simulation import population as synthetic
from sparkads.simulation.population import Population

FRANCE, FITNESS, SHARE, SEED_SIZE = "3017382", "103", 0.05, 5_000
RESULTS = Path(__file__).resolve().parent / "results"


def _seconds(run: Any, repeat: int) -> tuple[float, Any]:
    """Median wall time of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _built(features: Features) -> Features:
    """Features with their norms computed (cached on first use), as the server holds them."""
    assert features.norms.shape == (features.size,)
    return features


def _fitness(people: Population) -> NDArray[np.bool_]:
    code = people.interest_ids.index(FITNESS)
    held = people.interests
    tops = np.where(held >= 0, people.interest_top[np.where(held >= 0, held, 0)], -1)
    return np.asarray((tops == code).any(axis=1), np.bool_)


def brute_force_scores(features: Features, count: int, seed: list[int]) -> list[float]:
    """Cosine similarity to the seed centroid of the first `count` viewers, one at a time, in
    plain Python (rows read out of NumPy once, as a plain program would hold them)."""
    weights = features.weights.tolist()

    def vector(row: list[int]) -> dict[int, float]:
        return {f: w for f, w in zip(row, weights, strict=True) if f >= 0}

    center: dict[int, float] = {}
    for row in features.active[seed].tolist():
        v = vector(row)
        norm = math.sqrt(sum(x * x for x in v.values()))
        for f, x in v.items():
            center[f] = center.get(f, 0.0) + x / norm / len(seed)
    center_norm = math.sqrt(sum(x * x for x in center.values()))
    scores = []
    for row in features.active[:count].tolist():
        v = vector(row)
        dot = sum(x * center.get(f, 0.0) for f, x in v.items())
        norm = math.sqrt(sum(x * x for x in v.values()))
        scores.append(dot / (norm * center_norm) if norm else 0.0)
    return scores


def _same_cut(picked: list[int], scores: list[float], vectorised: NDArray[np.float64]) -> bool:
    """Both paths put the cut at the same score: the brute force's weakest pick scores at least
    the vectorised path's k-th best (ties may be broken differently)."""
    if not picked:
        return True
    kth_best = float(np.sort(vectorised)[-len(picked)])
    return min(scores[i] for i in picked) >= kth_best - 1e-9


def run(viewers: int, sample: int, repeat: int) -> dict[str, Any]:
    started = time.perf_counter()
    people = synthetic.generate(viewers, seed=7)
    generated = time.perf_counter() - started
    build_s, features = _seconds(lambda: _built(columns_features(people)), repeat)
    france = location_mask(people, [FRANCE])
    fitness = _fitness(people)
    seed = np.flatnonzero(france & fitness)[::5][:SEED_SIZE]  # leave most of them to be found
    fast_s, chosen = _seconds(lambda: lookalike(features, seed, france, SHARE), repeat)

    sample = min(sample or viewers, viewers)
    in_france = set(np.flatnonzero(france).tolist())
    seed_set = set(seed.tolist())
    brute_started = time.perf_counter()
    scores = brute_force_scores(features, sample, seed.tolist())
    eligible = [i for i in range(sample) if i in in_france and i not in seed_set]
    picked = heapq.nlargest(round(SHARE * len(eligible)), eligible, key=lambda i: scores[i])
    brute_sample_s = time.perf_counter() - brute_started
    brute_s = brute_sample_s * viewers / sample

    vectorised = similarity(features, centroid(features, seed))[:sample]
    return {
        "viewers": viewers,
        "population_generation_s": generated,
        "features_build_s": build_s,
        "lookalike_s": fast_s,
        "lookalike_with_features_s": fast_s + build_s,
        "audience_size": len(chosen),
        "france_viewers": int(france.sum()),
        "seed_size": len(seed),
        "fitness_share_in_lookalike": float(fitness[chosen].mean()),
        "fitness_share_in_france": float(fitness[france].mean()),
        "brute_force_sample": sample,
        "brute_force_sample_s": brute_sample_s,
        "brute_force_extrapolated_s": brute_s,
        "speedup": brute_s / fast_s,
        "speedup_with_features": brute_s / (fast_s + build_s),
        "max_score_difference": float(np.max(np.abs(vectorised - np.array(scores)))),
        "same_cut": _same_cut(picked, scores, vectorised[eligible]),
        "repeat": repeat,
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=1_000_000)
    parser.add_argument(
        "--sample", type=int, default=0, help="viewers the brute force scores (default: all)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    result = run(args.viewers, args.sample, args.repeat)
    print(f"lookalike over {result['viewers']:,} viewers (top {SHARE:.0%} of France, "
          f"seed {result['seed_size']:,} fitness enthusiasts)")  # fmt: skip
    print(f"  vectorised (NumPy)     {result['lookalike_s'] * 1000:10,.1f} ms  "
          f"(+ features {result['features_build_s'] * 1000:,.1f} ms, built once per process)")  # fmt: skip
    print(f"  brute force (Python)   {result['brute_force_extrapolated_s'] * 1000:10,.1f} ms  "
          + (f"(measured on {result['brute_force_sample']:,} viewers, extrapolated)"
             if result["brute_force_sample"] < result["viewers"] else "(every viewer)"))  # fmt: skip
    print(f"  ratio                  {result['speedup']:10,.1f}×  "
          f"({result['speedup_with_features']:,.1f}× counting the feature build)")  # fmt: skip
    print(f"  audience {result['audience_size']:,} viewers, fitness share "
          f"{result['fitness_share_in_lookalike']:.1%} vs {result['fitness_share_in_france']:.1%} "
          f"in France; max score difference {result['max_score_difference']:.1e}")  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lookalike.json").write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
