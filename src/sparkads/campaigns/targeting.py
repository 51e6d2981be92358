"""The ad group targeting spec (R3) and its validation against the catalogue and audiences (pure).

The spec is stored as JSON on the ad group in exactly this shape; delivery compiles it into indexes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from sparkads.campaigns.catalog import Catalog
from sparkads.campaigns.enums import (
    ActionScene,
    AgeGroup,
    Gender,
    NetworkType,
    OperatingSystem,
    VideoUserAction,
)
from sparkads.errors import SparkadsError
from sparkads.i18n import N_


def _strip_all(values: object) -> object:
    # bububa's Go constants for AGE_13_17 and AGE_45_54 carry a trailing space.
    return (
        [v.strip() if isinstance(v, str) else v for v in values]
        if isinstance(values, list)
        else values
    )


def _ids(values: object) -> object:
    return (
        [str(v) if isinstance(v, int) else v for v in values]
        if isinstance(values, list)
        else values
    )


IdList = Annotated[list[str], BeforeValidator(_ids)]
VERSION = r"^\d{1,2}(\.\d{1,2}){0,2}$"


class Action(BaseModel):
    """Behaviour targeting: people who did these things on videos or creators of these categories."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    action_scene: Annotated[ActionScene, Field(validation_alias="action_scene")]
    action_period: Annotated[int, Field(description="Look-back in days: 7, 15, 30, 60 or 180.")]
    video_user_actions: Annotated[list[VideoUserAction], Field(min_length=1)]
    action_category_ids: Annotated[IdList, Field(min_length=1)]

    @field_validator("action_period")
    @classmethod
    def _period(cls, value: int) -> int:
        if value not in (7, 15, 30, 60, 180):
            raise ValueError(N_("action_period is 7, 15, 30, 60 or 180 days"))
        return value


class Targeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location_ids: Annotated[IdList, Field(min_length=1, max_length=3000)]
    languages: list[str] = []
    gender: Gender = Gender.UNLIMITED
    age_groups: Annotated[list[AgeGroup], BeforeValidator(_strip_all)] = []
    interest_category_ids: IdList = []
    actions: Annotated[list[Action], Field(max_length=20)] = []
    operating_systems: Annotated[list[OperatingSystem], Field(max_length=1)] = []
    min_android_version: Annotated[str | None, Field(pattern=VERSION)] = None
    min_ios_version: Annotated[str | None, Field(pattern=VERSION)] = None
    network_types: list[NetworkType] = []
    device_price_ranges: Annotated[list[int], Field(max_length=2)] = []
    audience_ids: Annotated[IdList, Field(max_length=100)] = []
    excluded_audience_ids: Annotated[IdList, Field(max_length=100)] = []

    @field_validator("device_price_ranges")
    @classmethod
    def _price_range(cls, value: list[int]) -> list[int]:
        if not value:
            return value
        if len(value) != 2 or value[0] >= value[1] or any(v < 0 or v % 50 for v in value):
            raise ValueError(
                N_("two prices [min, max], multiples of 50, min below max (10000 = 1000+)")
            )
        return value


class FoundAudience(NamedTuple):
    size: int
    name: str


AudienceSizes = Callable[[list[str]], Mapping[str, FoundAudience]]


def validate_targeting(
    spec: Targeting, catalog: Catalog, audience_sizes: AudienceSizes, minimum_audience: int
) -> None:
    """Every id must exist: unknown locations, languages, categories or audiences are errors."""
    checks = (
        ("location", "location_ids", spec.location_ids, "lieux", "tool/region/"),
        ("language", "languages", spec.languages, "langues", "tool/language/"),
        (
            "interest",
            "interest_category_ids",
            spec.interest_category_ids,
            "centres d'intérêt",
            "tool/interest_category/",
        ),
    )
    for kind, field, ids, kind_fr, tool in checks:
        unknown = catalog.unknown(kind, ids)
        if unknown:
            raise SparkadsError(
                "unknown_targeting_ids",
                kind=kind + "s",
                kind_fr=kind_fr.capitalize(),
                field=field,
                ids=", ".join(unknown),
                tool=tool,
            )
    for action in spec.actions:
        unknown = catalog.unknown("interest", action.action_category_ids)
        if unknown:
            raise SparkadsError(
                "unknown_targeting_ids",
                kind="categories",
                kind_fr="Catégories",
                field="actions.action_category_ids",
                ids=", ".join(unknown),
                tool="tool/interest_category/",
            )
    _check_audiences(spec, audience_sizes, minimum_audience)


def _check_audiences(spec: Targeting, audience_sizes: AudienceSizes, minimum: int) -> None:
    for field, ids in (
        ("audience_ids", spec.audience_ids),
        ("excluded_audience_ids", spec.excluded_audience_ids),
    ):
        sizes = audience_sizes(ids)
        missing = [i for i in ids if i not in sizes]
        if missing:
            raise SparkadsError("audience_not_found", field=field, ids=", ".join(missing))
        if field == "audience_ids":
            for audience_id in ids:
                if sizes[audience_id].size < minimum:
                    raise SparkadsError(
                        "audience_too_small",
                        name=sizes[audience_id].name,
                        audience_id=audience_id,
                        size=sizes[audience_id].size,
                        minimum=minimum,
                    )
    both = set(spec.audience_ids) & set(spec.excluded_audience_ids)
    if both:
        raise SparkadsError(
            "invalid_parameter",
            field="excluded_audience_ids",
            detail=f"{', '.join(sorted(both))} is both included and excluded",
        )
