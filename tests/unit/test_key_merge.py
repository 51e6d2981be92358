"""Merging profiles read from the table into those held in key order (`traffic.key_merge`): the
same rows, in the same order, as a dictionary by key sorted again; key texts made lazily equal
to those decoded at once."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sparkads.delivery.model import Viewer
from sparkads.traffic.columns import PER_VIEWER, encode
from sparkads.traffic.key_merge import Merge, Read, inserted, joined, sorted_bytes

SHAPES = [((0,), np.int64), ((6,), np.int64), ((40, 8), np.int16), ((40,), "S32"),
          ((0, 4), np.int8), ((9, 2), np.int8), ((12,), np.float64)]  # fmt: skip


@pytest.mark.parametrize(("shape", "dtype"), SHAPES)
def test_rows_inserted_as_numpy_inserts_them(shape: tuple[int, ...], dtype: str) -> None:
    rng = np.random.default_rng(len(shape) + shape[0])
    old = rng.integers(0, 100, shape).astype(dtype)
    at = np.sort(rng.integers(0, shape[0] + 1, 5))
    rows = rng.integers(0, 100, (5, *shape[1:])).astype(dtype)
    got, expected = inserted(old, at, rows), np.insert(old, at, rows, axis=0)
    assert (got.dtype, got.shape) == (expected.dtype, expected.shape)
    np.testing.assert_array_equal(got, expected)


def _keys(numbers: list[int]) -> list[str]:
    return [f"{n:032x}" for n in sorted(set(numbers))]


@pytest.mark.parametrize("seed", range(6))
def test_a_merge_equals_the_rows_by_key_sorted_again(seed: int) -> None:
    rng = np.random.default_rng(seed)
    old_keys = _keys(rng.integers(0, 400, 150).tolist())
    new_keys = _keys(rng.integers(0, 400, 60).tolist())  # some known, some new
    old_values = rng.integers(0, 1_000, len(old_keys))
    new_values = rng.integers(1_000, 2_000, len(new_keys))
    old_bytes, new_bytes = sorted_bytes(old_keys), sorted_bytes(new_keys)
    assert old_bytes is not None
    assert new_bytes is not None
    merge = Merge(old_bytes, new_bytes)
    by_key = dict(zip(old_keys, old_values.tolist(), strict=True))
    by_key |= dict(zip(new_keys, new_values.tolist(), strict=True))
    expected = sorted(by_key)
    assert merge.keys.astype(str).tolist() == expected
    assert merge.merged(old_values, new_values).tolist() == [by_key[k] for k in expected]
    assert merge.total(old_values, new_values) == (len(by_key), sum(by_key.values()))
    assert merge.key_list(old_keys, new_keys)() == expected  # spliced into the old texts
    assert merge.key_list(None, new_keys)() == expected  # decoded from the merged bytes


def test_keys_that_cannot_be_merged_by_binary_search_are_refused() -> None:
    assert sorted_bytes(["b", "a"]) is None  # not in order
    assert sorted_bytes(["a", "a"]) is None  # twice
    assert sorted_bytes(["é"]) is None  # not ASCII
    empty = sorted_bytes([])
    assert empty is not None
    assert empty.size == 0


def _read(keys: list[str], first: int) -> Read:
    """Profiles `keys`, each with its own last seen, requests and age (from `first` on)."""
    values = np.arange(first, first + len(keys), dtype=np.int64)
    columns = encode([Viewer(viewer_id=key, country="FR") for key in keys])
    return Read(keys, values, values * 10, replace(columns, age=values.astype(np.int8)))


def test_two_reads_join_in_key_order() -> None:
    both = joined(_read(["b", "d"], 1), _read(["a", "c", "e"], 10))
    assert both.keys == ["a", "b", "c", "d", "e"]
    assert both.us.tolist() == [10, 1, 11, 2, 12]
    assert both.requests.tolist() == [100, 10, 110, 20, 120]
    assert both.columns.age.tolist() == [10, 1, 11, 2, 12]
    for name in PER_VIEWER:
        assert getattr(both.columns, name).shape[0] == 5
