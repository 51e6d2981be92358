"""Targeting evaluated over viewer columns at once: `delivery.targeting.matches` (its age rules
included: no one under 13, no minor of the EEA, the UK or Switzerland for profiling targeting)
plus the engine's OS-version and device-price checks, so an audience size counts exactly the
viewers the engine would accept (`ViewerColumns.matching`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sparkads.campaigns.minors import (
    ADULT_AGE,
    MINIMUM_AGE,
    PROFILING_FREE_COUNTRIES,
    uses_profiling,
)
from sparkads.delivery.targeting import ACTION_PERIODS, Geography, age_group, group_keys
from sparkads.traffic.vocabulary import BEHAVIOURS, GENDERS, NETWORKS, OPERATING_SYSTEMS

if TYPE_CHECKING:
    from sparkads.traffic.columns import Small, ViewerColumns

# Vectorised targeting: each dimension's accepted keys (from `group_keys`, so the parsing is the
# engine's) become a boolean table over a vocabulary, indexed by the viewers' codes. Tables carry a
# trailing False so that code -1 ("none") never matches.


def _accepting(keys: Sequence[object], accepted: set[Any]) -> NDArray[np.bool_]:
    return np.array([key in accepted for key in keys] + [False], dtype=np.bool_)


def _interest_keys(pop: ViewerColumns, geo: Geography) -> list[set[str]]:
    parents = geo.parent_of_interest
    return [{i, parents[i]} if parents.get(i) else {i} for i in pop.interest_ids]


def _location(pop: ViewerColumns, accepted: set[Any], geo: Geography) -> NDArray[np.bool_]:
    countries = [f"C:{c}" for c in pop.countries]
    regions = [
        f"R:{geo.country_id[c]}-{s}" if s and c in geo.country_id else None for c, s in pop.regions
    ]
    return _accepting(countries, accepted)[pop.country] | _accepting(regions, accepted)[pop.region]


def _interest(pop: ViewerColumns, accepted: set[Any], geo: Geography) -> NDArray[np.bool_]:
    table = np.array([bool(k & accepted) for k in _interest_keys(pop, geo)] + [False])
    return np.asarray(table[pop.interests].any(axis=1), dtype=np.bool_)


def _action(pop: ViewerColumns, accepted: set[Any], geo: Geography) -> NDArray[np.bool_]:
    periods, behaviours = list(ACTION_PERIODS), {b: i for i, b in enumerate(BEHAVIOURS)}
    holders: dict[str, list[int]] = {}
    for code, keys in enumerate(_interest_keys(pop, geo)):
        for key in keys:
            holders.setdefault(key, []).append(code)
    table = np.zeros((len(periods), len(BEHAVIOURS) + 1, len(pop.interest_ids) + 1), np.bool_)
    for scene, action, category, period in accepted:
        if (scene, action) in behaviours and period in periods:
            table[periods.index(period), behaviours[scene, action], holders.get(category, [])] = (
                True
            )
    hit = np.zeros(pop.size, np.bool_)
    for p, period in enumerate(periods):
        if table[p].any():
            recent = pop.behaviour_days <= period
            hit |= (table[p][pop.behaviour_action, pop.behaviour_category] & recent).any(axis=1)
    return hit


_Check = Callable[["ViewerColumns", set[Any], Geography], NDArray[np.bool_]]
_CHECKS: dict[str, _Check] = {
    "language": lambda p, a, g: _accepting(p.languages, a)[p.language],
    "gender": lambda p, a, g: _accepting([f"GENDER_{x}" for x in GENDERS], a)[p.gender],
    "age": lambda p, a, g: _accepting([age_group(x) for x in range(128)], a)[p.age],
    "interest": _interest,
    "action": _action,
    "os": lambda p, a, g: _accepting(OPERATING_SYSTEMS, a)[p.os],
    "network": lambda p, a, g: _accepting(NETWORKS, a)[p.network],
}  # "audience" is checked by the caller, against memberships


def _version_below(versions: Small, minimum: tuple[int, ...]) -> NDArray[np.bool_]:
    """`(major, minor) < minimum` row-wise, as Python compares tuples (a prefix sorts first)."""
    below, equal = np.zeros(versions.shape[0], np.bool_), np.ones(versions.shape[0], np.bool_)
    for column, part in enumerate(minimum[:2]):
        below |= equal & (versions[:, column] < part)
        equal &= versions[:, column] == part
    return below | equal if len(minimum) > 2 else below


def _device(pop: ViewerColumns, targeting: Mapping[str, Any]) -> NDArray[np.bool_]:
    """The engine's checks outside the index: minimum OS version and device price range."""
    ok = np.ones(pop.size, np.bool_)
    for code, name in enumerate(("min_android_version", "min_ios_version")):
        value = targeting.get(name)
        if value:
            minimum = tuple(int(part) for part in str(value).split("."))
            ok &= ~((pop.os == code) & _version_below(pop.os_version, minimum))
    price = targeting.get("device_price_ranges") or []
    if len(price) == 2:
        ok &= (pop.device_price >= price[0]) & (pop.device_price <= price[1])
    return ok


def _age_rules(pop: ViewerColumns, targeting: Mapping[str, Any]) -> NDArray[np.bool_]:
    """The viewers the age rules (`campaigns/minors.py`) let this targeting reach (unknown age:
    code -1, an adult's)."""
    ok = ~((pop.age >= 0) & (pop.age < MINIMUM_AGE))
    if uses_profiling(targeting):
        shielded = _accepting([c in PROFILING_FREE_COUNTRIES for c in pop.countries], {True})
        ok &= ~((pop.age >= 0) & (pop.age < ADULT_AGE) & shielded[pop.country])
    return ok


def evaluate(pop: ViewerColumns, targeting: Mapping[str, Any], geo: Geography) -> NDArray[np.bool_]:
    accepted = group_keys(targeting, geo)
    mask = _location(pop, accepted["location"], geo) & _age_rules(pop, targeting)
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return mask
    # the other checks only on the viewers the location kept (usually a small share)
    some = pop.take(rows) if rows.size < pop.size else pop
    kept = np.ones(rows.size, np.bool_)
    for dimension, check in _CHECKS.items():
        if accepted[dimension] and kept.any():
            kept &= check(some, accepted[dimension], geo)
    kept &= _device(some, targeting)
    result = np.zeros(pop.size, np.bool_)
    result[rows[kept]] = True
    return result
