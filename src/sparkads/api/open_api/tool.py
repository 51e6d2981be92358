"""tool/*: the targeting catalogue (regions, languages, interest categories) ad groups draw ids from.

The catalogue is the same for every advertiser, placement and objective; those parameters are
validated as TikTok does but do not change the answer. Names are in English whatever `language`
asks for."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field, field_validator

from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser, read_query
from sparkads.api.open_api.openapi_doc import query_doc
from sparkads.api.open_api.schemas import Params
from sparkads.campaigns.catalog import Catalog, Interest, Location, catalog
from sparkads.campaigns.enums import Objective
from sparkads.i18n import N_, LocalText

router = APIRouter(prefix="/open_api/v1.3/tool", tags=["Targeting tools"])

Placement = Literal["PLACEMENT_TIKTOK", "PLACEMENT_PANGLE", "PLACEMENT_GLOBAL_APP_BUNDLE"]


class LevelRange(StrEnum):
    """How deep the region list goes; the catalogue stops at provinces."""

    ALL = "ALL"
    TO_COUNTRY = "TO_COUNTRY"
    TO_PROVINCE = "TO_PROVINCE"
    TO_CITY = "TO_CITY"
    TO_DISTRICT = "TO_DISTRICT"


class _Localized(Params):
    language: Annotated[str | None, Field(max_length=16)] = None

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        if value is not None and not catalog().is_language(value):
            raise ValueError(
                LocalText(
                    N_("{value} is not a language code listed by tool/language/"),
                    {"value": repr(value)},
                )
            )
        return value


class ToolRegion(_Localized):
    placements: Annotated[list[Placement] | None, Field(min_length=1)] = None
    objective_type: Objective | None = None
    level_range: LevelRange = LevelRange.ALL


class ToolLanguage(Params):
    pass


class ToolInterestCategory(_Localized):
    version: Annotated[int, Field(ge=1, le=2)] = 1


def _region(location: Location, children: list[Location]) -> dict[str, object]:
    return {
        "location_id": location.location_id,
        "name": location.name,
        "parent_id": location.parent_id,
        "region_level": location.level,
        "area_type": "ADMIN",
        "next_level_ids": [child.location_id for child in children],
    }


def _regions(book: Catalog, level_range: LevelRange) -> list[dict[str, object]]:
    if level_range is LevelRange.TO_COUNTRY:
        return [_region(country, []) for country in book.locations(level="COUNTRY")]
    return [_region(loc, book.children_of(loc.location_id)) for loc in book.locations()]


def _category(interest: Interest, book: Catalog) -> dict[str, object]:
    return {
        "id": interest.id,
        "name": interest.name,
        "level": interest.level,
        "sub_category_ids": [sub.id for sub in book.interests(parent_id=interest.id)],
    }


@router.get("/region/", openapi_extra=query_doc(ToolRegion))
def tool_region(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Countries and their first-level regions, with the `location_id`s ad groups target.
    `level_range=TO_COUNTRY` lists countries only."""
    with context.uow() as uow:
        query_advertiser(request, uow.session, principal)
        params = read_query(request, ToolRegion)
    return envelope.ok({"region_info": _regions(catalog(), params.level_range)})


@router.get("/language/", openapi_extra=query_doc(ToolLanguage))
def tool_language(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Language codes ad groups can target in `languages`."""
    with context.uow() as uow:
        query_advertiser(request, uow.session, principal)
        read_query(request, ToolLanguage)
    languages = [{"code": lang.code, "name": lang.name} for lang in catalog().languages()]
    return envelope.ok({"languages": languages})


@router.get("/interest_category/", openapi_extra=query_doc(ToolInterestCategory))
def tool_interest_category(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Interest categories on two levels, for `interest_category_ids` and behaviour
    `action_category_ids`. Both versions (1 and 2) return the same taxonomy."""
    with context.uow() as uow:
        query_advertiser(request, uow.session, principal)
        read_query(request, ToolInterestCategory)
    book = catalog()
    categories = [_category(interest, book) for interest in book.interests()]
    return envelope.ok({"interest_categories": categories})
