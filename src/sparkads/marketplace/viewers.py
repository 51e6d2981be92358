"""The viewers sparkads knows: the sandbox's synthetic population (with features) plus every viewer
id seen in events. Audience building and creator analytics both read people through here.

The population is the sandbox world's: 100,000 viewers from seed 7, the same as `sparkads demo`,
forecasts and the traffic simulator, so `sim-7-42` is the same person everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import cache

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.audiences.hashing import viewer_digest
from sparkads.audiences.lookalike import Features
from sparkads.audiences.rules import EventQuery
from sparkads.campaigns.catalog import catalog
from sparkads.errors import SparkadsError
from sparkads.events.models import Event
from sparkads.simulation import population as synthetic
from sparkads.simulation.population import MAX_INTERESTS, Population

POPULATION_SIZE, POPULATION_SEED = 100_000, 7
AGE_EDGES = (18, 25, 35, 45, 55)  # the targeting age groups 13-17 … 55+
AGE_GROUPS = ("AGE_13_17", "AGE_18_24", "AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100")
# Slot weights: country, age band, gender, OS, then each interest held.
SLOT_WEIGHTS = (1.0, 1.0, 1.0, 0.5) + (2.0,) * MAX_INTERESTS


@cache
def population() -> Population:
    return synthetic.generate(POPULATION_SIZE, POPULATION_SEED)


@cache
def _digest_index() -> dict[bytes, int]:
    people = population()
    return {viewer_digest(people.viewer_id(i)): i for i in range(people.size)}


def population_index(viewer_id: str, people: Population | None = None) -> int | None:
    people = people or population()
    prefix = f"sim-{people.seed}-"
    if not viewer_id.startswith(prefix) or not viewer_id[len(prefix) :].isdigit():
        return None
    index = int(viewer_id[len(prefix) :])
    return index if index < people.size else None


def population_indices(viewer_ids: Iterable[str]) -> NDArray[np.intp]:
    people = population()
    found = (population_index(v, people) for v in viewer_ids)
    return np.array(sorted(i for i in found if i is not None), np.intp)


def match_digests(session: Session, digests: Iterable[bytes]) -> set[str]:
    """Viewer ids whose hashed identifier is among `digests`: the population first, then every
    viewer seen in events (a feed's own ids)."""
    wanted = set(digests)
    index, people = _digest_index(), population()
    matched = {d: people.viewer_id(index[d]) for d in wanted if d in index}
    remaining = wanted - matched.keys()
    if remaining:
        for viewer_id in session.scalars(select(Event.viewer_id).distinct()):
            digest = viewer_digest(viewer_id)
            if digest in remaining:
                matched[digest] = viewer_id
    return set(matched.values())


def engaged_viewers(
    session: Session, *, advertiser_id: str, query: EventQuery, now: datetime
) -> set[str]:
    """Viewers with one of the query's events on this advertiser's ads in its look-back."""
    statement = select(Event.viewer_id).where(
        Event.advertiser_id == advertiser_id,
        Event.event_type.in_(sorted(query.event_types)),
        Event.occurred_at >= now - timedelta(days=query.days),
        Event.occurred_at <= now,
    )
    if query.adgroup_ids:
        statement = statement.where(Event.adgroup_id.in_(query.adgroup_ids))
    if query.item_ids:
        statement = statement.where(Event.item_id.in_(query.item_ids))
    return set(session.scalars(statement.distinct()))


def population_features(people: Population) -> Features:
    """Lookalike features of every viewer (see `audiences.lookalike`): slots for country, age
    band, gender, OS and up to MAX_INTERESTS distinct top-level interest categories."""
    countries = len(people.countries)
    tops = np.unique(people.interest_top)
    top_slot = np.full(len(people.interest_ids), -1, np.int32)
    top_slot[tops] = np.arange(tops.size, dtype=np.int32)
    base = countries + len(AGE_GROUPS) + 4
    held = people.interests >= 0
    interests = np.where(
        held, base + top_slot[people.interest_top[np.where(held, people.interests, 0)]], -1
    )
    interests.sort(axis=1)
    repeated = (interests[:, 1:] == interests[:, :-1]) & (interests[:, 1:] >= 0)
    interests[:, 1:][repeated] = -1  # a category held twice (two sub-categories) counts once
    active = np.column_stack(
        [
            people.country,
            countries + np.digitize(people.age, AGE_EDGES),
            countries + len(AGE_GROUPS) + people.gender,
            countries + len(AGE_GROUPS) + 2 + people.os,
            interests,
        ]
    ).astype(np.int32)
    return Features(active, np.array(SLOT_WEIGHTS[: active.shape[1]]), base + tops.size)


@cache
def features() -> Features:
    return population_features(population())


def location_mask(people: Population, location_ids: Sequence[str]) -> NDArray[np.bool_]:
    """Viewers living in any of these countries or regions (catalogue location ids)."""
    cat, mask = catalog(), np.zeros(people.size, np.bool_)
    unknown = [i for i in location_ids if cat.location(i) is None]
    if unknown:
        raise SparkadsError(
            "unknown_targeting_ids",
            kind="locations",
            kind_fr="Lieux",
            field="lookalike_spec.location_ids",
            ids=", ".join(unknown),
            tool="tool/region/",
        )
    for location_id in location_ids:
        place = cat.location(location_id)
        assert place is not None
        if place.country_code not in people.countries:
            continue
        if place.level == "COUNTRY":
            mask |= people.country == people.countries.index(place.country_code)
        else:
            region = (place.country_code, location_id.split("-", 1)[-1])
            if region in people.regions:
                mask |= people.region == people.regions.index(region)
    return mask


def os_mask(people: Population, mobile_os: str) -> NDArray[np.bool_]:
    if mobile_os == "ALL":
        return np.ones(people.size, np.bool_)
    return np.asarray(people.os == synthetic.OPERATING_SYSTEMS.index(mobile_os), np.bool_)


def age_group_of(ages: NDArray[np.int8]) -> NDArray[np.intp]:
    """Index into AGE_GROUPS of each age."""
    groups: NDArray[np.intp] = np.digitize(ages, AGE_EDGES)
    return groups
