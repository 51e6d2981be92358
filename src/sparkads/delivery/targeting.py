"""Targeting (R3) compiled into an inverted index of bitsets (pure).

Each dimension maps a value to the set of ad groups that accept it, as a Python int used as a bitset
(bit i = ad group i), plus the set of ad groups that do not restrict that dimension. A viewer's
candidates are the AND across dimensions of (groups accepting the viewer's value | unrestricted
groups): a handful of big-int operations instead of a scan. `matches()` is the same rule written
directly per ad group: the naive baseline for benchmarks and the oracle for tests.

Age rules (`campaigns/minors.py`) are part of it: a viewer under 13 has no candidates, and a minor
in the EEA, the UK or Switzerland only the ad groups outside the `profiling` bitset (the ad groups
whose targeting profiles: one AND more, for minors only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sparkads.campaigns.minors import (
    ADULT_AGE,
    PROFILING_FREE_COUNTRIES,
    below_minimum_age,
    profiling_free_minor,
    uses_profiling,
)
from sparkads.delivery.model import Viewer

ACTION_PERIODS = (7, 15, 30, 60, 180)
DIMENSIONS = ("language", "gender", "age", "interest", "action", "os", "network", "audience")
PROFILING = "profiling"  # group_keys' key: {True} when the targeting profiles, else empty


def age_group(age: int | None) -> str | None:
    if age is None or age < 13:
        return None
    for upper, name in (
        (17, "AGE_13_17"),
        (24, "AGE_18_24"),
        (34, "AGE_25_34"),
        (44, "AGE_35_44"),
        (54, "AGE_45_54"),
    ):
        if age <= upper:
            return name
    return "AGE_55_100"


@dataclass(frozen=True)
class Geography:
    """Country codes ↔ location ids, from the targeting catalogue."""

    country_id: Mapping[str, str]  # "FR" -> "3017382"
    country_of: Mapping[str, str]  # any location id -> "FR"
    parent_of_interest: Mapping[str, str]  # sub-category -> category


def _location_keys(viewer: Viewer, geo: Geography) -> list[str]:
    keys = [f"C:{viewer.country}"]
    if viewer.region and viewer.country in geo.country_id:
        keys.append(f"R:{geo.country_id[viewer.country]}-{viewer.region}")
    return keys


def _interest_keys(categories: Iterable[str], geo: Geography) -> set[str]:
    keys = set()
    for category in categories:
        keys.add(category)
        parent = geo.parent_of_interest.get(category)
        if parent:
            keys.add(parent)
    return keys


def _action_keys(viewer: Viewer, geo: Geography) -> set[tuple[str, str, str, int]]:
    keys = set()
    for b in viewer.behaviours:
        for category in _interest_keys((b.category_id,), geo):
            for period in ACTION_PERIODS:
                if b.days_ago <= period:
                    keys.add((b.action_scene, b.action, category, period))
    return keys


def viewer_keys(viewer: Viewer, geo: Geography, audiences: frozenset[str]) -> dict[str, Any]:
    gender = {"MALE": "GENDER_MALE", "FEMALE": "GENDER_FEMALE"}.get(viewer.gender or "")
    return {
        "location": _location_keys(viewer, geo),
        "language": [viewer.language] if viewer.language else [],
        "gender": [gender] if gender else [],
        "age": [a] if (a := age_group(viewer.age)) else [],
        "interest": _interest_keys(viewer.interests, geo),
        "action": _action_keys(viewer, geo),
        "os": [viewer.os] if viewer.os else [],
        "network": [viewer.network] if viewer.network else [],
        "audience": audiences,
    }


def group_keys(targeting: Mapping[str, Any], geo: Geography) -> dict[str, set[Any]]:
    """The values an ad group accepts per dimension; an empty set means unrestricted. `PROFILING`
    is no dimension: {True} marks an ad group whose targeting profiles (`uses_profiling`)."""
    locations = set()
    for location_id in targeting.get("location_ids", []):
        country = geo.country_of.get(location_id)
        if country and geo.country_id.get(country) == location_id:
            locations.add(f"C:{country}")
        else:
            locations.add(f"R:{location_id}")
    gender = targeting.get("gender", "GENDER_UNLIMITED")
    actions = {
        (a["action_scene"], action, category, a["action_period"])
        for a in targeting.get("actions", [])
        for action in a["video_user_actions"]
        for category in a["action_category_ids"]
    }
    return {
        "location": locations,
        "language": set(targeting.get("languages", [])),
        "gender": set() if gender == "GENDER_UNLIMITED" else {gender},
        "age": set(targeting.get("age_groups", [])),
        "interest": set(targeting.get("interest_category_ids", [])),
        "action": actions,
        "os": set(targeting.get("operating_systems", [])),
        "network": set(targeting.get("network_types", [])),
        "audience": set(targeting.get("audience_ids", [])),
        PROFILING: {True} if uses_profiling(targeting) else set(),
    }


def matches(
    targeting: Mapping[str, Any], viewer: Viewer, geo: Geography, audiences: frozenset[str]
) -> bool:
    """Direct evaluation of one ad group's targeting: the naive path the index must agree with."""
    if below_minimum_age(viewer.age):
        return False
    if profiling_free_minor(viewer.age, viewer.country) and uses_profiling(targeting):
        return False
    accepted = group_keys(targeting, geo)
    offered = viewer_keys(viewer, geo, audiences)
    if not accepted["location"] & set(offered["location"]):
        return False
    return all(not accepted[d] or accepted[d] & set(offered[d]) for d in DIMENSIONS)


class TargetingIndex:
    def __init__(self, geo: Geography) -> None:
        self.geo = geo
        self.postings: dict[str, dict[Any, int]] = {
            d: defaultdict(int) for d in ("location", PROFILING, *DIMENSIONS)
        }
        self.unrestricted: dict[str, int] = dict.fromkeys(DIMENSIONS, 0)

    @classmethod
    def build(cls, targetings: Iterable[Mapping[str, Any]], geo: Geography) -> TargetingIndex:
        return cls.from_keys((group_keys(t, geo) for t in targetings), geo)

    @classmethod
    def from_keys(cls, accepted: Iterable[dict[str, set[Any]]], geo: Geography) -> TargetingIndex:
        """The index of ad groups accepting these values (`group_keys`, kept by the snapshot
        store per ad group so a delta does not compute them again). Positions are gathered per
        (dimension, value) first, then each bitset is made once (NumPy): OR-ing bits into growing
        ints one group at a time costs O(n²) at 100k groups."""
        index = cls(geo)
        members: dict[str, dict[Any, list[int]]] = {
            d: defaultdict(list) for d in ("location", PROFILING, *DIMENSIONS)
        }
        open_to_all: dict[str, list[int]] = {d: [] for d in DIMENSIONS}
        count = 0
        for position, keys in enumerate(accepted):
            count = position + 1
            for dimension, values in keys.items():
                if not values and dimension in open_to_all:
                    open_to_all[dimension].append(position)
                for value in values:
                    members[dimension][value].append(position)
        index.postings = {
            d: {value: _bitset(positions, count) for value, positions in table.items()}
            for d, table in members.items()
        }
        index.unrestricted = {d: _bitset(p, count) for d, p in open_to_all.items()}
        return index

    def carried(
        self, move: Callable[[int], int], fresh: list[tuple[int, dict[str, set[Any]]]]
    ) -> TargetingIndex:
        """This index after a delta, without going over every ad group's keys again: each bitset
        keeps the bits of the ad groups carried over, moved by `move` (`Shift.mover`: a few
        big-int shifts), and gets the bits of the `fresh` ad groups ((new position, keys) each).
        Bitsets left empty go, as `from_keys` has none."""
        index = TargetingIndex(self.geo)
        index.postings = {
            d: {value: bits for value, bitset in table.items() if (bits := move(bitset))}
            for d, table in self.postings.items()
        }
        index.unrestricted = {d: move(bitset) for d, bitset in self.unrestricted.items()}
        for position, keys in fresh:
            bit = 1 << position
            for dimension, values in keys.items():
                if not values and dimension in index.unrestricted:
                    index.unrestricted[dimension] |= bit
                table = index.postings[dimension]
                for value in values:
                    table[value] = table.get(value, 0) | bit
        return index

    @property
    def profiling(self) -> int:
        """Bitset of the ad groups whose targeting profiles."""
        return self.postings[PROFILING].get(True, 0)

    def candidates(
        self,
        viewer: Viewer,
        audiences: frozenset[str] = frozenset(),
        withheld: list[int] | None = None,
    ) -> int:
        """Bitset of the ad groups whose targeting accepts this viewer, within the age rules.
        With `withheld`, the bitset of those left out because the viewer is a minor who may not
        be shown profiled ads is appended to it (when there are any)."""
        age = viewer.age
        if age is not None and age < ADULT_AGE:  # adults: this one comparison
            return self._for_minor(viewer, audiences, withheld)
        return self._targeted(viewer, audiences)

    def _for_minor(
        self, viewer: Viewer, audiences: frozenset[str], withheld: list[int] | None
    ) -> int:
        if below_minimum_age(viewer.age):
            return 0
        mask = self._targeted(viewer, audiences)
        if viewer.country not in PROFILING_FREE_COUNTRIES:
            return mask
        refused = mask & self.profiling
        if refused and withheld is not None:
            withheld.append(refused)
        return mask ^ refused

    def _targeted(self, viewer: Viewer, audiences: frozenset[str]) -> int:
        keys = viewer_keys(viewer, self.geo, audiences)
        postings = self.postings
        mask = 0
        for key in keys["location"]:
            mask |= postings["location"].get(key, 0)
        for dimension in DIMENSIONS:
            if not mask:
                return 0
            accepted = self.unrestricted[dimension]
            table = postings[dimension]
            for key in keys[dimension]:
                accepted |= table.get(key, 0)
            mask &= accepted
        return mask


def _bitset(positions: list[int], count: int) -> int:
    """The int with these bits set (positions ascending, below `count`)."""
    if len(positions) < 8:
        mask = 0
        for position in positions:
            mask |= 1 << position
        return mask
    flags = np.zeros(count, dtype=np.bool_)
    flags[positions] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def bits(mask: int) -> Iterator[int]:
    """Positions of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
