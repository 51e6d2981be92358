"""Frequency-cap exposures in a few dozen bytes per (viewer, ad group) pair, forgotten by whole
generations instead of a sweep over the pairs (`delivery/exposures.py`)."""

from __future__ import annotations

import random
import time
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from sparkads.delivery import exposures
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.exposures import ExposureStore

DAY = 86_400.0
START = 1_790_000_000.0  # a real epoch instant (2026)


def _day_of_traffic(viewers: int, seed: int) -> list[tuple[str, str, float]]:
    """A day of exposures as a feed makes them: each viewer sees a few of 2,000 ad groups, now
    and then the same one again later in the day."""
    rng = random.Random(seed)
    made: list[tuple[str, str, float]] = []
    for n in range(viewers):
        viewer = f"viewer-{n}"
        for _ in range(rng.randint(1, 8)):
            group = f"{rng.randrange(2_000):019d}"
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                made.append((viewer, group, START + rng.uniform(0, DAY)))
    made.sort(key=lambda record: record[2])
    return made


def test_a_pair_costs_at_most_100_bytes() -> None:
    """Measured with tracemalloc: everything the counters allocate for exposures (tables and
    overflow) while a day of traffic is recorded, per distinct (viewer, ad group) pair."""
    made = _day_of_traffic(8_000, seed=1)
    pairs = {(viewer, group) for viewer, group, _ in made}
    counters = MemoryCounters()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for viewer, group, at in made:
            counters.record_exposure(viewer, group, at, DAY)
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    per_pair = used / len(pairs)
    assert len(pairs) > 30_000
    assert per_pair <= 100, f"{per_pair:.1f} bytes per pair"
    # the caps count right after that much traffic
    viewer, group, _ = made[-1]
    expected = sum(1 for v, g, _ in made if (v, g) == (viewer, group))
    assert counters.exposures(viewer, group, START - 1) == expected
    counters.record_exposure(viewer, group, START + DAY, DAY)
    assert counters.exposures(viewer, group, START - 1) == expected + 1


def test_old_generations_are_dropped_whole_without_holding_the_lock() -> None:
    """Once a day has passed, the next exposure drops the old generations: no sweep over the
    50,000 pairs (under the lock that decisions need), and their memory is returned."""
    counters = MemoryCounters()
    tracemalloc.start()
    try:
        for n in range(50_000):
            counters.record_exposure(f"v{n}", f"g{n % 97}", START + n * 0.05, DAY)
        full = tracemalloc.get_traced_memory()[0]
        assert counters.exposures("v5", "g5", START) == 1
        later = START + 3 * DAY
        began = time.thread_time()
        counters.record_exposure("v-new", "g1", later, DAY)
        spent = time.thread_time() - began
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert counters.exposures("v5", "g5", START) == 0
    assert counters.exposures("v-new", "g1", later - DAY) == 1
    assert counters.exposure_store().generations() == 1
    assert spent < 0.005, f"dropping took {spent * 1000:.2f} ms of CPU"
    # the old tables are freed: what is left is the new generation's table (sized from the last
    # one's count, as traffic goes on)
    assert after <= counters.exposure_store().nbytes() + 500_000
    assert full > 1_000_000  # 50,000 pairs: what was freed is not a rounding error


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["v1", "v2", "v3"]),
            st.sampled_from(["g1", "g2"]),
            st.integers(min_value=0, max_value=int(4 * DAY)),
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([DAY, 3 * DAY]),
    st.integers(min_value=0, max_value=int(4 * DAY)),
)
def test_counts_equal_a_plain_list_of_exposures(
    records: list[tuple[str, str, int]], keep: float, window: int
) -> None:
    """For any cap window within the keep, the count is the number of exposures in the window,
    as a plain list of every exposure says (times in whole seconds: no rounding)."""
    store = ExposureStore()
    made: list[tuple[str, str, float]] = []
    latest = 0.0
    for viewer, group, offset in sorted(records, key=lambda r: r[2]):
        at = START + offset
        store.record(viewer, group, at, keep)
        made.append((viewer, group, at))
        latest = at
        since = latest - min(window, keep)
        for v in ("v1", "v2", "v3"):
            for g in ("g1", "g2"):
                expected = sum(1 for x, y, t in made if (x, y) == (v, g) and t >= since)
                assert store.count(v, g, since) == expected


def test_growing_tables_keep_every_pair_and_its_extra_exposures() -> None:
    """Far more pairs than a new table's slots (it doubles several times, placed with NumPy),
    some with more exposures than a slot holds."""
    store = ExposureStore()
    for n in range(20_000):
        for k in range(1 + (n % 7)):
            store.record(f"v{n}", "g", START + n * 0.1 + k, DAY)
    assert store.generations() == 1
    assert [store.count(f"v{n}", "g", START) for n in range(0, 20_000, 997)] == [
        1 + (n % 7) for n in range(0, 20_000, 997)
    ]
    assert store.count("v3", "g", START + 3 * 0.1 + 2) == 2  # since its third exposure
    assert store.count("v3", "other", START) == 0
    assert store.nbytes() <= 20_000 * exposures.GROWTH / exposures.LOAD * 14 + 14 * exposures.SPILL
