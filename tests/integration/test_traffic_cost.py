"""The traffic log's cost measurement (`bench/traffic_cost.py`): its statistics on known data, the
stream it measures on, and a small real run whose writer's work is all written and counted."""

from __future__ import annotations

import random
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout's bench/ package

from bench.decisions import SEED
from bench.traffic_cost import log_cost, ratio_interval, request_stream, share_out, verdict
from bench.world import load_catalogue, traffic, viewers

from sparkads.audiences import keys


@pytest.fixture
def secret() -> Iterator[None]:
    """A viewer-key secret for the intake, as a server installs one; then as it was."""
    before = list(keys._secret)
    keys.install_secret(before[0] if before else b"bench")
    yield
    if not before:
        keys._secret.clear()
        keys._keyed.clear()
        keys.viewer_key.cache_clear()
        keys._key_of_digest.cache_clear()


def test_a_write_is_shared_in_proportion_to_the_rows_it_wrote() -> None:
    assert share_out(6.0, np.array([1.0, 0.0, 2.0])).tolist() == [2.0, 0.0, 4.0]
    assert share_out(6.0, np.zeros(3)).tolist() == [2.0, 2.0, 2.0]


def test_the_interval_holds_the_ratio_of_sums_and_narrows_with_more_pairs() -> None:
    rng = np.random.default_rng(1)
    exact = ratio_interval(np.full(50, 9.0), np.full(50, 10.0), rng)
    assert exact["ratio"] == exact["median_pair_ratio"] == 0.9
    assert exact["ci95"] == exact["ci95_cycles"] == [0.9, 0.9]
    widths = []
    for pairs in (100, 1_600):
        alone = rng.normal(200.0, 20.0, pairs)
        logged = alone * 1.05 + rng.normal(0.0, 10.0, pairs)  # the intake: 5 %, noisy per pair
        interval = ratio_interval(alone, logged, rng)
        low, high = interval["ci95"]
        assert low <= interval["ratio"] <= high
        assert low < 1 / 1.05 < high
        widths.append(interval["half_width"])
    assert widths[1] < widths[0] / 2.5  # 16 times the pairs: about a quarter of the width


def test_the_cycles_interval_widens_when_neighbouring_chunks_share_their_noise() -> None:
    rng = np.random.default_rng(2)
    alone = np.full(600, 200.0)
    shared = np.repeat(rng.normal(1.05, 0.02, 100), 6)  # the same slowdown for six chunks
    interval = ratio_interval(alone, alone * shared, rng)
    chunks, cycles = (high - low for low, high in (interval["ci95"], interval["ci95_cycles"]))
    assert cycles > 1.8 * chunks  # √6 ≈ 2.4 with the noise shared by whole cycles
    assert interval["ci95_cycles"][0] < interval["ratio"] < interval["ci95_cycles"][1]


def test_the_verdict_needs_the_whole_interval_on_one_side() -> None:
    assert verdict([0.951, 0.96]) == "met"
    assert verdict([0.93, 0.949]) == "not met"
    assert verdict([0.94, 0.955]).startswith("undecided")


def test_the_stream_is_the_old_one_and_keeps_its_share_of_first_visits_when_longer() -> None:
    old = traffic(viewers(20_000, random.Random(SEED + 1), load_catalogue()), 10_000,
                  random.Random(3), 0.3)  # fmt: skip
    assert request_stream(10_000, 0.3) == old
    short, long = (
        len({v.viewer_id for v in s}) / len(s) for s in (old, request_stream(24_000, 0.3))
    )
    assert short == pytest.approx(0.59, abs=0.01)
    assert long == pytest.approx(short, abs=0.01)


def test_a_small_run_counts_every_write_and_its_null_row_is_near_one(
    tmp_path: Path, secret: None
) -> None:
    result = log_cost(1_000, 1_200, tmp_path, 0.3, chunk=100)
    assert result["chunks"] == 12
    assert result["requests_per_path"] == 1_200
    assert result["writes"]["log"] >= 1
    assert result["writes"]["profiles"] >= 1
    # every sampled request of the stream was written, and its writes are in the path's CPU
    assert result["log_rows_written"] == result["sampled_requests"]
    assert 60 <= result["sampled_requests"] <= 180  # 10 % of 1,200
    per, intake = result["cpu_us_per_request"], result["intake_us_per_request"]
    assert per["decide + log"] == pytest.approx(per["decide"] + sum(intake.values()), abs=0.05)
    assert intake["log_write"] > 0
    assert intake["profile_write"] > 0
    (db,) = tmp_path.glob("log-*.db")
    with sqlite3.connect(db) as connection:
        (profiles,) = connection.execute("SELECT count(*) FROM viewer_profiles").fetchone()
    assert profiles >= result["distinct_viewers"]  # and the writer's warm-up viewers
    low, high = result["null_ratio"]["ci95"]
    assert 0.8 < low <= result["null_ratio"]["ratio"] <= high < 1.25  # the same work twice
