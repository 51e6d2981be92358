"""The viewers sparkads knows: the profiles built from the traffic it received (every viewer a
feed described in a decision request, under a keyed hash, `sparkads.traffic`), and who engaged
with what in events. Audience building and creator analytics read people through here.

Audience members are viewer keys (`audiences.keys`), the same keys the decision engine looks
viewers up by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.audiences.keys import key_of_digest, viewer_keys
from sparkads.audiences.lookalike import Features
from sparkads.audiences.rules import EventQuery
from sparkads.campaigns.catalog import catalog
from sparkads.errors import SparkadsError
from sparkads.events.models import Event
from sparkads.i18n import N_, LocalText
from sparkads.traffic.columns import MAX_INTERESTS, OPERATING_SYSTEMS, ViewerColumns
from sparkads.traffic.store import Profiles, profiles

AGE_EDGES = (18, 25, 35, 45, 55)  # the targeting age groups 13-17 … 55+
AGE_GROUPS = ("AGE_13_17", "AGE_18_24", "AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100")
# Slot weights: country, age band, gender, OS, then each interest held.
SLOT_WEIGHTS = (1.0, 1.0, 1.0, 0.5) + (2.0,) * MAX_INTERESTS


def known(session: Session) -> Profiles:
    return profiles(session)


def match_digests(session: Session, digests: Iterable[bytes]) -> set[str]:
    """Keys of the known viewers whose hashed identifier is among `digests`."""
    people = profiles(session)
    return {k for k in (key_of_digest(d) for d in set(digests)) if k in people.row_of}


def engaged_viewers(
    session: Session, *, advertiser_id: str, query: EventQuery, now: datetime
) -> set[str]:
    """Keys of the viewers with one of the query's events on this advertiser's ads in its
    look-back."""
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
    return viewer_keys(session.scalars(statement.distinct()))


def columns_features(people: ViewerColumns) -> Features:
    """Lookalike features of every viewer (see `audiences.lookalike`): slots for country, age
    band, gender, OS and up to MAX_INTERESTS distinct top-level interest categories. Unknown
    attributes take no slot."""
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

    def slot(offset: int, codes: NDArray[np.int64], known: NDArray[np.bool_]) -> NDArray[np.int64]:
        return np.where(known, offset + codes, -1)

    country = people.country.astype(np.int64)
    age = people.age.astype(np.int64)
    gender = people.gender.astype(np.int64)
    os = people.os.astype(np.int64)
    active = np.column_stack(
        [
            slot(0, country, country >= 0),
            slot(countries, np.digitize(age, AGE_EDGES), age >= 0),
            slot(countries + len(AGE_GROUPS), gender, gender >= 0),
            slot(countries + len(AGE_GROUPS) + 2, os, os >= 0),
            interests,
        ]
    ).astype(np.int32)
    return Features(active, np.array(SLOT_WEIGHTS[: active.shape[1]]), base + tops.size)


def location_mask(people: ViewerColumns, location_ids: Sequence[str]) -> NDArray[np.bool_]:
    """Viewers living in any of these countries or regions (catalogue location ids)."""
    cat, mask = catalog(), np.zeros(people.size, np.bool_)
    unknown = [i for i in location_ids if cat.location(i) is None]
    if unknown:
        raise SparkadsError(
            "unknown_targeting_ids",
            kind=LocalText(N_("locations")),
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


def os_mask(people: ViewerColumns, mobile_os: str) -> NDArray[np.bool_]:
    if mobile_os == "ALL":
        return np.ones(people.size, np.bool_)
    return np.asarray(people.os == OPERATING_SYSTEMS.index(mobile_os), np.bool_)


def age_group_of(ages: NDArray[np.int8]) -> NDArray[np.intp]:
    """Index into AGE_GROUPS of each age."""
    groups: NDArray[np.intp] = np.digitize(ages, AGE_EDGES)
    return groups
