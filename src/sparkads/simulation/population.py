"""A synthetic audience drawn from documented distributions, reproducible from a seed (pure).

Every attribute is a NumPy array with one entry per viewer; categorical attributes hold small
integer codes into a vocabulary tuple (`countries`, `regions`, `languages`, `interest_ids`,
`GENDERS`, `OPERATING_SYSTEMS`, `NETWORKS`, `BEHAVIOURS`), -1 meaning "none". The shares below are
rounded approximations of public figures (see docs/simulation.md), good enough for a sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sparkads.campaigns.catalog import catalog
from sparkads.delivery.model import Viewer
from sparkads.traffic.columns import (
    BEHAVIOURS,
    GENDERS,
    NETWORKS,
    OPERATING_SYSTEMS,
    ViewerColumns,
    vocabulary,
)

__all__ = ["BEHAVIOURS", "GENDERS", "NETWORKS", "OPERATING_SYSTEMS", "Population", "generate"]

Codes = NDArray[np.int16]
Small = NDArray[np.int8]

# Share of viewers per country: European-first, roughly proportional to population within Europe.
COUNTRY_SHARES = {
    "FR": 0.20, "DE": 0.15, "US": 0.15, "GB": 0.13, "ES": 0.10,
    "IT": 0.10, "NL": 0.05, "PL": 0.05, "BE": 0.04, "SE": 0.03,
}  # fmt: skip
# Population in millions of the catalogue's regions (national statistics, ~2021-2023, rounded);
# a catalogue region missing here gets the mean weight, a country missing here is uniform.
REGION_POPULATION: dict[str, dict[str, float]] = {
    "FR": {"IDF": 12.3, "ARA": 8.1, "NAQ": 6.0, "OCC": 6.0, "HDF": 6.0, "GES": 5.6, "PAC": 5.1,
           "PDL": 3.8, "BRE": 3.4, "NOR": 3.3, "BFC": 2.8, "CVL": 2.6, "20R": 0.35},
    "DE": {"NW": 18.1, "BY": 13.4, "BW": 11.3, "NI": 8.1, "HE": 6.4, "RP": 4.2, "SN": 4.1,
           "BE": 3.8, "SH": 2.9, "BB": 2.6, "ST": 2.2, "TH": 2.1, "HH": 1.9, "MV": 1.6, "SL": 1.0,
           "HB": 0.7},
    "GB": {"ENG": 57.1, "SCT": 5.5, "WLS": 3.1, "NIR": 1.9},
    "ES": {"AN": 8.5, "CT": 7.9, "MD": 6.9, "VC": 5.2, "GA": 2.7, "CL": 2.4, "PV": 2.2, "CN": 2.2,
           "CM": 2.1, "MC": 1.5, "AR": 1.35, "IB": 1.2, "EX": 1.05, "AS": 1.0, "NC": 0.67,
           "CB": 0.59, "RI": 0.32, "CE": 0.08, "ML": 0.085},
    "IT": {"25": 10.0, "62": 5.7, "72": 5.6, "34": 4.85, "82": 4.8, "45": 4.4, "21": 4.25,
           "75": 3.9, "52": 3.66, "78": 1.85, "88": 1.57, "42": 1.5, "57": 1.49, "65": 1.27,
           "36": 1.19, "32": 1.08, "55": 0.86, "77": 0.54, "67": 0.29, "23": 0.12},
    "US": {"CA": 39.5, "TX": 29.1, "FL": 21.5, "NY": 20.2, "PA": 13.0, "IL": 12.8, "OH": 11.8,
           "GA": 10.7, "NC": 10.4, "MI": 10.1, "NJ": 9.3, "VA": 8.6, "WA": 7.7, "AZ": 7.2, "MA": 7.0,
           "TN": 6.9, "IN": 6.8, "MD": 6.2, "MO": 6.2, "WI": 5.9, "CO": 5.8, "MN": 5.7, "SC": 5.1,
           "AL": 5.0, "LA": 4.7, "KY": 4.5, "OR": 4.2, "OK": 4.0, "CT": 3.6, "UT": 3.3, "IA": 3.2,
           "NV": 3.1, "AR": 3.0, "MS": 3.0, "KS": 2.9, "NM": 2.1, "NE": 2.0, "ID": 1.8, "WV": 1.8,
           "HI": 1.5, "NH": 1.4, "ME": 1.4, "RI": 1.1, "MT": 1.1, "DE": 1.0, "SD": 0.9, "ND": 0.8,
           "AK": 0.7, "DC": 0.7, "VT": 0.6, "WY": 0.6},
}  # fmt: skip
# App language per country: mostly the main language, some English (and large minorities).
LANGUAGE_MIX = {
    "FR": {"fr": 0.90, "en": 0.07, "ar": 0.03}, "DE": {"de": 0.86, "en": 0.10, "tr": 0.04},
    "US": {"en": 0.86, "es": 0.14}, "GB": {"en": 0.97, "pl": 0.03},
    "ES": {"es": 0.92, "en": 0.08}, "IT": {"it": 0.94, "en": 0.06},
    "NL": {"nl": 0.85, "en": 0.15}, "PL": {"pl": 0.93, "en": 0.07},
    "BE": {"nl": 0.55, "fr": 0.38, "en": 0.07}, "SE": {"sv": 0.80, "en": 0.20},
}  # fmt: skip
# (youngest, oldest, share): TikTok's audience skews young; 13-17 is small in ad-reachable data.
AGE_BANDS = (
    (13, 17, 0.08), (18, 24, 0.32), (25, 34, 0.30), (35, 44, 0.15), (45, 54, 0.09), (55, 70, 0.06),
)  # fmt: skip
FEMALE_SHARE = 0.55
# iOS share of mobile devices per country (StatCounter-like figures, rounded).
IOS_SHARE = {
    "US": 0.57, "GB": 0.50, "SE": 0.50, "NL": 0.40, "BE": 0.37, "FR": 0.35,
    "DE": 0.33, "IT": 0.30, "ES": 0.22, "PL": 0.16,
}  # fmt: skip
IOS_VERSIONS = {18: 0.55, 17: 0.28, 16: 0.12, 15: 0.05}
IOS_MINOR_MAX = 6  # minor versions 0..6 drawn uniformly; Android versions are major only (.0)
ANDROID_VERSIONS = {14: 0.35, 13: 0.25, 12: 0.15, 11: 0.12, 10: 0.08, 9: 0.05}
NETWORK_SHARES = {"WIFI": 0.55, "4G": 0.30, "5G": 0.13, "3G": 0.02}
# Device price in whole currency units: log-normal (median, sigma of the log) per OS, clipped.
DEVICE_PRICE = {"ANDROID": (300.0, 0.6), "IOS": (900.0, 0.35)}
DEVICE_PRICE_BOUNDS = (50, 2500)
INTEREST_COUNT_SHARES = {2: 0.30, 3: 0.35, 4: 0.22, 5: 0.13}
# Popularity of each creator sector's top-level category; sectors not listed get the default.
SECTOR_POPULARITY = {
    "entertainment": 0.15, "food": 0.10, "beauty": 0.09, "fashion": 0.08, "fitness": 0.08,
    "gaming": 0.08, "travel": 0.07, "tech": 0.06, "pets": 0.06, "home": 0.04, "education": 0.04,
    "health": 0.04, "family": 0.03, "finance": 0.03, "auto": 0.03, "household": 0.02,
}  # fmt: skip
DEFAULT_SECTOR_POPULARITY = 0.02
# (female, male) popularity multipliers: a few categories lean strongly one way.
GENDER_AFFINITY = {
    "beauty": (1.8, 0.4), "fashion": (1.4, 0.7), "family": (1.5, 0.6), "gaming": (0.6, 1.8),
    "auto": (0.5, 1.7), "tech": (0.7, 1.4), "finance": (0.8, 1.3),
}  # fmt: skip
SUBCATEGORY_SHARE = 0.5  # chance an interest is held as one of its sub-categories
BEHAVIOUR_SHARES = {
    ("VIDEO_RELATED", "LIKED"): 0.45, ("VIDEO_RELATED", "WATCHED_TO_END"): 0.35,
    ("VIDEO_RELATED", "COMMENTED"): 0.05, ("VIDEO_RELATED", "SHARED"): 0.05,
    ("CREATOR_RELATED", "FOLLOWING"): 0.05, ("CREATOR_RELATED", "VIEW_HOMEPAGE"): 0.05,
}  # fmt: skip
SECOND_BEHAVIOUR_SHARE = 0.5  # first behaviour on the strongest interest, maybe one on the next
BEHAVIOUR_MAX_DAYS = 60
ACTIVITY_SIGMA = 1.0  # log-normal sessions weight: the top 10 % of viewers make ~30 % of requests

MAX_INTERESTS = max(INTEREST_COUNT_SHARES)
MAX_BEHAVIOURS = 2
# The codes are the traffic columns' vocabularies (a synthetic viewer is encoded like a real one).
assert NETWORKS[: len(NETWORK_SHARES)] == tuple(NETWORK_SHARES)
assert tuple(BEHAVIOUR_SHARES) == BEHAVIOURS


@dataclass(frozen=True, eq=False)
class Population(ViewerColumns):
    """Synthetic viewers as columns, with how often each asks the feed for a post."""

    seed: int
    activity: NDArray[np.float64]  # relative request rate
    cumulative_activity: NDArray[np.float64]

    def viewer_id(self, i: int) -> str:
        return f"sim-{self.seed}-{i}"

    def country_codes(self) -> NDArray[np.str_]:
        return np.asarray(self.countries)[self.country]

    def holds_interest_in(self, i: int, category_id: str) -> bool:
        """Whether the viewer holds this category, its parent or one of its sub-categories."""
        code = vocabulary().interest_code.get(category_id)
        if code is None:
            return False
        row = self.interests[i]
        return bool((self.interest_top[row[row >= 0]] == self.interest_top[code]).any())

    def viewer(self, i: int, viewer_id: str | None = None) -> Viewer:
        return super().viewer(i, viewer_id or self.viewer_id(i))

    def sample(self, rng: np.random.Generator, n: int) -> NDArray[np.intp]:
        """`n` viewer indices drawn with replacement, proportionally to each viewer's activity."""
        if self.size == 0:
            raise ValueError("cannot sample an empty population")
        total = self.cumulative_activity[-1]
        picks = np.searchsorted(self.cumulative_activity, rng.random(n) * total, side="right")
        indices: NDArray[np.intp] = np.minimum(picks, self.size - 1)
        return indices


@dataclass(frozen=True)
class _Vocabulary:
    """The catalogue turned into code tables for drawing."""

    countries: tuple[str, ...]
    regions: tuple[tuple[str, str], ...]
    region_tables: dict[int, tuple[NDArray[np.int16], NDArray[np.float64]]]  # country -> draw
    languages: tuple[str, ...]
    language_tables: dict[int, tuple[NDArray[np.int16], NDArray[np.float64]]]
    interest_ids: tuple[str, ...]
    interest_top: NDArray[np.int16]
    tops: NDArray[np.int16]  # codes of the top-level categories
    top_weights: NDArray[np.float64]  # (2, tops): popularity per gender
    subs: NDArray[np.int16]  # (tops, most sub-categories): codes, 0-padded
    sub_counts: NDArray[np.int64]


def _table(
    index: Mapping[str, int], weights: Mapping[str, float]
) -> tuple[NDArray[np.int16], NDArray[np.float64]]:
    known = {k: w for k, w in weights.items() if k in index}
    return np.array([index[k] for k in known], np.int16), np.array(list(known.values()))


@cache
def _vocabulary() -> _Vocabulary:
    cat = catalog()
    countries = tuple(c.country_code for c in cat.locations(level="COUNTRY"))
    country_index = {c: i for i, c in enumerate(countries)}
    provinces = cat.locations(level="PROVINCE")
    regions = (("", ""), *((r.country_code, r.location_id.split("-", 1)[1]) for r in provinces))
    region_tables = {}
    for country in COUNTRY_SHARES:
        own = {s: i for i, (c, s) in enumerate(regions) if c == country and s}
        if own:
            known = REGION_POPULATION.get(country, {})
            mean = float(np.mean(list(known.values()))) if known else 1.0
            region_tables[country_index[country]] = _table(
                own, {s: known.get(s, mean) for s in own}
            )
    languages = tuple(lang.code for lang in cat.languages())
    language_index = {code: i for i, code in enumerate(languages)}
    language_tables = {
        country_index[c]: _table(language_index, mix)
        for c, mix in LANGUAGE_MIX.items()
        if c in country_index
    }
    interests = cat.interests()
    ids = tuple(i.id for i in interests)
    code = {interest: c for c, interest in enumerate(ids)}
    top_of = np.array([code[i.parent_id or i.id] for i in interests], np.int16)
    tops = [i for i in interests if i.parent_id is None]
    popularity = np.array(
        [SECTOR_POPULARITY.get(t.sector or "", DEFAULT_SECTOR_POPULARITY) for t in tops]
    )
    affinity = np.array([GENDER_AFFINITY.get(t.sector or "", (1.0, 1.0)) for t in tops]).T
    children = [[code[s.id] for s in interests if s.parent_id == t.id] for t in tops]
    width = max((len(c) for c in children), default=0) or 1
    subs = np.array([c + [0] * (width - len(c)) for c in children], np.int16).reshape(
        len(tops), width
    )
    return _Vocabulary(
        countries, regions, region_tables, languages, language_tables, ids, top_of,
        np.array([code[t.id] for t in tops], np.int16), popularity * affinity, subs,
        np.array([len(c) for c in children], np.int64),
    )  # fmt: skip


def _choice(
    rng: np.random.Generator, shares: Sequence[float], shape: int | tuple[int, ...]
) -> NDArray[np.intp]:
    cdf = np.cumsum(shares) / np.sum(shares)
    picks: NDArray[np.intp] = np.searchsorted(cdf, rng.random(shape), side="right")
    return np.minimum(picks, len(cdf) - 1)


def _by_group(
    u: NDArray[np.float64],
    groups: NDArray[Any],
    tables: Mapping[int, tuple[NDArray[Any], NDArray[np.float64]]],
    out: NDArray[Any],
) -> None:
    """Draw, inside each group, a value from that group's (values, weights) with uniforms `u`."""
    for group, (values, weights) in tables.items():
        where = np.flatnonzero(groups == group)
        cdf = np.cumsum(weights) / np.sum(weights)
        picks = np.searchsorted(cdf, u[where], side="right")
        out[where] = values[np.minimum(picks, len(values) - 1)]


def generate(size: int = 100_000, seed: int = 7) -> Population:
    """`size` viewers drawn from the module's distributions; the same seed gives the same arrays."""
    if size < 0:
        raise ValueError("size must not be negative")
    vocab, rng = _vocabulary(), np.random.default_rng(seed)
    index = {c: i for i, c in enumerate(vocab.countries)}
    mix = {c: s for c, s in COUNTRY_SHARES.items() if c in index}
    country = np.array([index[c] for c in mix], np.int16)[_choice(rng, list(mix.values()), size)]
    region = np.zeros(size, np.int16)
    _by_group(rng.random(size), country, vocab.region_tables, region)
    language = np.full(size, vocab.languages.index("en"), np.int16)
    _by_group(rng.random(size), country, vocab.language_tables, language)
    band = _choice(rng, [b[2] for b in AGE_BANDS], size)
    youngest, oldest = (np.array([b[k] for b in AGE_BANDS]) for k in (0, 1))
    spread = oldest[band] - youngest[band] + 1
    age = (youngest[band] + np.floor(rng.random(size) * spread)).astype(np.int8)
    gender = (rng.random(size) >= FEMALE_SHARE).astype(np.int8)
    ios = np.array([IOS_SHARE.get(c, 0.3) for c in vocab.countries])[country]
    os = (rng.random(size) < ios).astype(np.int8)
    return Population(
        vocab.countries, vocab.regions, vocab.languages, vocab.interest_ids,
        vocab.interest_top, country, region, language, age, gender, os,
        _os_versions(rng, os), _choice(rng, list(NETWORK_SHARES.values()), size).astype(np.int8),
        _device_prices(rng, os), *_interests_and_behaviours(rng, gender, vocab), seed,
        *_activity(rng, size),
    )  # fmt: skip


def _os_versions(rng: np.random.Generator, os: Small) -> Small:
    major = np.zeros(os.shape[0], np.int8)
    tables = {
        code: (np.array(list(versions), np.int8), np.array(list(versions.values())))
        for code, versions in enumerate((ANDROID_VERSIONS, IOS_VERSIONS))
    }
    size = len(os)
    _by_group(rng.random(size), os, tables, major)
    minor = np.where(os == 1, rng.integers(0, IOS_MINOR_MAX + 1, size), 0)
    return np.stack([major, minor.astype(np.int8)], axis=1)


def _device_prices(rng: np.random.Generator, os: Small) -> NDArray[np.int32]:
    median = np.array([DEVICE_PRICE[name][0] for name in OPERATING_SYSTEMS])[os]
    sigma = np.array([DEVICE_PRICE[name][1] for name in OPERATING_SYSTEMS])[os]
    price = median * np.exp(sigma * rng.standard_normal(len(os)))
    prices: NDArray[np.int32] = np.clip(np.rint(price), *DEVICE_PRICE_BOUNDS).astype(np.int32)
    return prices


def _interests_and_behaviours(
    rng: np.random.Generator, gender: Small, vocab: _Vocabulary
) -> tuple[Codes, Small, Codes, NDArray[np.int16]]:
    size, width = gender.shape[0], min(MAX_INTERESTS, len(vocab.tops))
    # Weighted sampling without replacement: the smallest Exp(1)/weight keys win, strongest first.
    keys = rng.standard_exponential((size, len(vocab.tops)), np.float32) / vocab.top_weights[gender]
    top = np.argsort(keys, axis=1)[:, :width]
    held = np.arange(width) < _choice(rng, list(INTEREST_COUNT_SHARES.values()), size)[:, None] + 2
    counts = vocab.sub_counts[top]
    as_sub = (rng.random((size, width)) < SUBCATEGORY_SHARE) & (counts > 0)
    which = (rng.random((size, width)) * counts).astype(np.intp)
    codes = np.where(as_sub, vocab.subs[top, which], vocab.tops[top])
    interests = np.where(held, codes, -1).astype(np.int16)
    category = interests[:, :MAX_BEHAVIOURS].copy()
    category[rng.random(size) >= SECOND_BEHAVIOUR_SHARE, 1] = -1
    action = _choice(rng, list(BEHAVIOUR_SHARES.values()), (size, MAX_BEHAVIOURS)).astype(np.int8)
    action[category < 0] = -1
    days = rng.integers(0, BEHAVIOUR_MAX_DAYS + 1, (size, MAX_BEHAVIOURS)).astype(np.int16)
    return interests, action, category, days


def _activity(
    rng: np.random.Generator, size: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    activity = rng.lognormal(0.0, ACTIVITY_SIGMA, size)
    return activity, np.cumsum(activity)
