"""The catalogue as code tables for viewer columns, and what a profile keeps of a viewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
from numpy.typing import NDArray

from sparkads.campaigns.catalog import catalog

GENDERS = ("FEMALE", "MALE")
OPERATING_SYSTEMS = ("ANDROID", "IOS")
NETWORKS = ("WIFI", "4G", "5G", "3G", "2G")
BEHAVIOURS = (
    ("VIDEO_RELATED", "LIKED"), ("VIDEO_RELATED", "WATCHED_TO_END"),
    ("VIDEO_RELATED", "COMMENTED"), ("VIDEO_RELATED", "SHARED"),
    ("CREATOR_RELATED", "FOLLOWING"), ("CREATOR_RELATED", "VIEW_HOMEPAGE"),
)  # fmt: skip
MAX_INTERESTS = 8  # kept per viewer, strongest (first sent) first
MAX_BEHAVIOURS = 4


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The catalogue's countries, regions, languages and interests as code tables."""

    countries: tuple[str, ...]
    regions: tuple[tuple[str, str], ...]  # (country, ISO 3166-2 suffix); index 0 is no region
    languages: tuple[str, ...]
    interest_ids: tuple[str, ...]
    interest_top: NDArray[np.int16]  # interest code -> code of its top-level category
    country_code: dict[str, int] = field(default_factory=dict)
    region_code: dict[tuple[str, str], int] = field(default_factory=dict)
    language_code: dict[str, int] = field(default_factory=dict)
    interest_code: dict[str, int] = field(default_factory=dict)
    interest_set: frozenset[str] = frozenset()  # the ids, for subset checks at set speed


@cache
def vocabulary() -> Vocabulary:
    cat = catalog()
    countries = tuple(c.country_code for c in cat.locations(level="COUNTRY"))
    provinces = cat.locations(level="PROVINCE")
    regions = (("", ""), *((r.country_code, r.location_id.split("-", 1)[1]) for r in provinces))
    languages = tuple(lang.code for lang in cat.languages())
    interests = cat.interests()
    ids = tuple(i.id for i in interests)
    code = {interest: c for c, interest in enumerate(ids)}
    top_of = np.array([code[i.parent_id or i.id] for i in interests], np.int16)
    return Vocabulary(
        countries, regions, languages, ids, top_of,
        {c: i for i, c in enumerate(countries)}, {r: i for i, r in enumerate(regions) if i},
        {c: i for i, c in enumerate(languages)}, code, frozenset(ids),
    )  # fmt: skip
