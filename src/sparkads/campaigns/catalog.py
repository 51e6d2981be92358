"""The targeting catalogue ad groups are validated against: locations, languages, interests.

Pure and read-only: the three JSON files under `campaigns/data/` are loaded once per process.

Location ids follow TikTok, which uses GeoNames ids for countries (France "3017382", United States
"6252001"). Every country listed carries its real GeoNames id, checked against GeoNames'
countryInfo.txt. A country whose GeoNames id could not be vouched for would get a sparkads id
instead: "9" + its ISO 3166 numeric code on three digits + "000" (Belgium would be "9056000").
Those are sparkads ids, not GeoNames ids; the unit tests check that no id is used twice.

Regions (first-level subdivisions: French régions, German Länder, US states, UK nations...) are
sparkads ids: the parent country's id, "-", then the ISO 3166-2 subdivision suffix ("3017382-IDF"
is Île-de-France, "6252001-CA" California). France lists its 13 metropolitan regions only.

Interest categories form two levels, like TikTok's: top-level ids are three digits ("100"),
sub-categories the parent id plus three digits ("100001"). Each top-level category names the
creator `sector` it stands for ("fitness" → Sports & Outdoors)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Literal, TypedDict, TypeVar

LocationLevel = Literal["COUNTRY", "PROVINCE"]
CATALOG_KINDS = ("location", "language", "interest")
_LEVELS: tuple[LocationLevel, ...] = ("COUNTRY", "PROVINCE")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Location:
    location_id: str
    name: str
    level: LocationLevel
    country_code: str
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Interest:
    id: str
    name: str
    parent_id: str | None
    sector: str | None = None

    @property
    def level(self) -> int:
        """1 for a top-level category, 2 for a sub-category."""
        return 1 if self.parent_id is None else 2


@dataclass(frozen=True, eq=False)
class Catalog:
    """Read-only lookups by id, each listing in the order of its data file."""

    locations_by_id: Mapping[str, Location]
    languages_by_code: Mapping[str, Language]
    interests_by_id: Mapping[str, Interest]

    def location(self, location_id: str) -> Location | None:
        return self.locations_by_id.get(location_id)

    def country_code_of(self, location_id: str) -> str | None:
        """ISO alpha-2 code of the country a location is (or lies in)."""
        found = self.location(location_id)
        return found.country_code if found else None

    def locations(
        self, level: LocationLevel | None = None, country_code: str | None = None
    ) -> list[Location]:
        """All locations, optionally only one level and/or one country (both filters optional)."""
        return [
            loc
            for loc in self.locations_by_id.values()
            if (level is None or loc.level == level)
            and (country_code is None or loc.country_code == country_code.upper())
        ]

    def children_of(self, location_id: str) -> list[Location]:
        return [loc for loc in self.locations_by_id.values() if loc.parent_id == location_id]

    def is_language(self, code: str) -> bool:
        return code in self.languages_by_code

    def languages(self) -> list[Language]:
        return list(self.languages_by_code.values())

    def interest(self, category_id: str) -> Interest | None:
        return self.interests_by_id.get(category_id)

    def interests(
        self, parent_id: str | None = None, *, level: Literal[1, 2] | None = None
    ) -> list[Interest]:
        """All categories; with `parent_id`, that category's sub-categories; with `level`, only
        top-level (1) or sub-categories (2)."""
        return [
            item
            for item in self.interests_by_id.values()
            if (parent_id is None or item.parent_id == parent_id)
            and (level is None or item.level == level)
        ]

    def interest_for_sector(self, sector: str) -> Interest | None:
        """The top-level category of a creator's sector slug ("fitness", "Food " → food)."""
        wanted = sector.strip().lower()
        if not wanted:
            return None
        return next((i for i in self.interests_by_id.values() if i.sector == wanted), None)

    def unknown(self, kind: str, ids: Iterable[str]) -> list[str]:
        """The ids of `kind` (one of CATALOG_KINDS) the catalogue does not hold, each once, in the
        order given. `kind` is a plain string so callers can loop over (kind, ids) pairs."""
        known = self._index(kind)
        missing: list[str] = []
        for item in ids:
            if item not in known and item not in missing:
                missing.append(item)
        return missing

    def _index(self, kind: str) -> Mapping[str, object]:
        if kind == "location":
            return self.locations_by_id
        if kind == "language":
            return self.languages_by_code
        if kind == "interest":
            return self.interests_by_id
        raise ValueError(f"unknown catalogue kind: {kind!r}")


class _Row(TypedDict, total=False):
    """A row of the package's data files (locations, languages, interests)."""

    location_id: str | int
    id: str | int
    code: str
    name: str
    level: str
    country_code: str
    parent_id: str | None
    sector: str | None


def _read(name: str) -> list[_Row]:
    resource = files("sparkads.campaigns") / "data" / name
    rows: list[_Row] = json.loads(resource.read_text(encoding="utf-8"))
    return rows


def _location(row: _Row) -> Location:
    level = row["level"]
    if level not in _LEVELS:
        raise ValueError(f"location {row['location_id']}: unknown level {level!r}")
    return Location(
        location_id=str(row["location_id"]),
        name=str(row["name"]),
        level=level,
        country_code=str(row["country_code"]),
        parent_id=row["parent_id"],
    )


def _interest(row: _Row) -> Interest:
    return Interest(
        id=str(row["id"]),
        name=str(row["name"]),
        parent_id=row["parent_id"],
        sector=row.get("sector"),
    )


def _indexed(rows: Iterable[R], key: Callable[[R], str]) -> Mapping[str, R]:
    index: dict[str, R] = {}
    for row in rows:
        value = key(row)
        if value in index:
            raise ValueError(f"duplicate catalogue id {value!r}")
        index[value] = row
    return MappingProxyType(index)


@cache
def catalog() -> Catalog:
    """The catalogue, read from the package data on first use."""
    return Catalog(
        locations_by_id=_indexed(
            map(_location, _read("locations.json")), lambda row: row.location_id
        ),
        languages_by_code=_indexed(
            (Language(code=r["code"], name=r["name"]) for r in _read("languages.json")),
            lambda row: row.code,
        ),
        interests_by_id=_indexed(map(_interest, _read("interests.json")), lambda row: row.id),
    )
