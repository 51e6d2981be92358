"""Lookalike features of the synthetic population, and a lookalike of fitness enthusiasts."""

from __future__ import annotations

import numpy as np
import pytest

from sparkads.audiences.lookalike import lookalike
from sparkads.marketplace.viewers import columns_features, location_mask, os_mask
from sparkads.simulation import population as synthetic
from sparkads.simulation.population import Population

FRANCE = "3017382"


@pytest.fixture(scope="module")
def people() -> Population:
    return synthetic.generate(20_000, seed=3)


def test_each_interest_category_counts_once_per_viewer(people: Population) -> None:
    features = columns_features(people)
    interests = features.active[:, 4:]
    held = [row[row >= 0] for row in interests]
    assert all(len(set(r.tolist())) == len(r) for r in held)
    assert features.active.max() < features.dimension


def test_fitness_seed_gives_a_lookalike_dominated_by_fitness_interest(people: Population) -> None:
    fitness = np.array([people.holds_interest_in(i, "103") for i in range(people.size)])
    france = location_mask(people, [FRANCE])
    seed = np.flatnonzero(france & fitness)[:300]
    chosen = lookalike(columns_features(people), seed, france, 0.05)
    assert len(chosen) == round(0.05 * france.sum())
    assert fitness[chosen].mean() > 0.9 > 2 * fitness[france].mean()


def test_os_and_region_masks_select_those_viewers(people: Population) -> None:
    ios = os_mask(people, "IOS")
    assert (people.os[ios] == synthetic.OPERATING_SYSTEMS.index("IOS")).all()
    idf = location_mask(people, [f"{FRANCE}-IDF"])
    assert 0 < idf.sum() < location_mask(people, [FRANCE]).sum()
