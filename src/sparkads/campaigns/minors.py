"""Who may be shown sponsored posts, by age (pure): the rules, declared once.

- Under `MINIMUM_AGE` (13, the viewer's age as the feed sends it): no sponsored post at all, as on
  TikTok, which has no accounts under 13.
- Minors (13 to 17) in `PROFILING_FREE_COUNTRIES` (the EEA, the United Kingdom, Switzerland):
  only ad groups that do not use profiling. The EU Digital Services Act (art. 28(2)) forbids ads
  "based on profiling ... using personal data of the recipient" when the platform knows the
  recipient is a minor; TikTok applies the same rule to under-18s in the EEA, the UK and
  Switzerland.

Profiling is targeting on what a person did or is inferred to be, kept about them: interests
(`interest_category_ids`), behaviours (`actions`) and audiences, custom or lookalike, included or
excluded (`audience_ids`, `excluded_audience_ids`: membership is personal data the advertiser
brought or built from activity). Age, gender, location, language and device (OS, version, network,
price) are the context or the declared profile the ad is shown in, not profiling: they stay allowed.

An unknown age (the feed sent none) is treated as an adult's, as the feed is the one that knows.
The delivery index (`delivery/targeting.py`), the audience estimate (`traffic/matching.py`) and the
wizard's warning (`minor_warnings`) all read these rules from here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sparkads.campaigns.catalog import catalog
from sparkads.errors import SparkadsError

MINIMUM_AGE = 13  # below: no sponsored post
ADULT_AGE = 18  # from 13 to this (excluded): a minor
MINOR_AGE_GROUP = "AGE_13_17"  # the targeting catalogue's age group of minors

# EEA: the 27 EU member states plus Iceland, Liechtenstein and Norway; then the UK and Switzerland
# (ISO 3166-1 alpha-2, as the feed sends `viewer.country`; Greece is GR, the UK is GB)
EU = frozenset((
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
))  # fmt: skip
PROFILING_FREE_COUNTRIES = EU | {"IS", "LI", "NO", "GB", "CH"}

# the targeting fields that profile (see the module docstring)
PROFILING_FIELDS = ("interest_category_ids", "actions", "audience_ids", "excluded_audience_ids")


def below_minimum_age(age: int | None) -> bool:
    return age is not None and age < MINIMUM_AGE


def profiling_free_minor(age: int | None, country: str) -> bool:
    """Whether only ad groups without profiling may be shown to this viewer."""
    return age is not None and age < ADULT_AGE and country in PROFILING_FREE_COUNTRIES


def uses_profiling(targeting: Mapping[str, Any]) -> bool:
    return any(targeting.get(name) for name in PROFILING_FIELDS)


def adgroup_warnings(targeting: Mapping[str, Any]) -> list[SparkadsError]:
    """An ad group's warnings (never a refusal), from its targeting."""
    return minor_warnings(targeting, catalog().country_code_of)


def minor_warnings(
    targeting: Mapping[str, Any], country_of: Callable[[str], str | None]
) -> list[SparkadsError]:
    """The ad group's warning when its targeting profiles and it reaches minors (its age choice
    includes 13-17, or none is ticked) in a country where they may not be shown profiled ads.
    `country_of` gives a location id's country (the targeting catalogue's)."""
    ages = targeting.get("age_groups") or []
    if not uses_profiling(targeting) or (ages and MINOR_AGE_GROUP not in ages):
        return []
    reached = {country_of(location) for location in targeting.get("location_ids") or []}
    countries = sorted(c for c in reached if c in PROFILING_FREE_COUNTRIES)
    if not countries:
        return []
    used = ", ".join(name for name in PROFILING_FIELDS if targeting.get(name))
    return [SparkadsError("minors_see_no_profiled_ads", countries=", ".join(countries), used=used)]
