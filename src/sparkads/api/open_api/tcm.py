"""tcm/*: the TikTok Creator Marketplace calls a brand makes to find creators and obtain Spark codes
(R18): `creator/discover/`, `tt_video/apply/` and `tt_video/status/`. The TCM account is the ad
account (`tcm_account_id` = an advertiser_id the token may use); requests are answered by creators
in Creator Studio → Marketplace, and an accepted code is returned by the status call."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import paged
from sparkads.attributes import from_attributes
from sparkads.ids import IdStr
from sparkads.marketplace.ranking import CreatorFacts, Score
from sparkads.services import marketplace
from sparkads.services.marketplace import Discover

router = APIRouter(prefix="/open_api/v1.3/tcm", tags=["Creator marketplace (tcm)"])
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class EngagementBucket(StrEnum):
    B0_5 = "0-5"
    B5_10 = "5-10"
    B10_15 = "10-15"
    B15_20 = "15-20"
    ABOVE_20 = ">20"


class TcmParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tcm_account_id: IdStr


class CreatorDiscover(TcmParams):
    country_code: Country | None = None
    major_audience_country_code: Country | None = None
    min_followers: Annotated[int | None, Field(ge=100, le=10_000_000_000)] = None
    max_followers: Annotated[int | None, Field(ge=100, le=10_000_000_000)] = None
    min_avg_views: Annotated[int | None, Field(ge=0, le=10_000_000_000)] = None
    max_avg_views: Annotated[int | None, Field(ge=0, le=10_000_000_000)] = None
    major_audience_gender: Literal["male", "female"] | None = None
    major_audience_age: Literal["18-24", "25-34", "35-44", "45-54", "55+", "35+"] | None = None
    engagement_rate: EngagementBucket | None = None
    languages: Annotated[list[Annotated[str, Field(max_length=8)]], Field(max_length=20)] = []
    creator_categories: Annotated[
        list[Annotated[str, Field(max_length=40)]], Field(max_length=20)
    ] = []
    query: Annotated[str | None, Field(max_length=100)] = None
    sort_field: Literal["follower_count", "avg_views", "engagement_rate", "relevance"] = (
        "follower_count"
    )
    page: Annotated[int, Field(ge=1, le=250)] = 1
    page_size: Annotated[int, Field(ge=1, le=200)] = 10


class VideoApply(TcmParams):
    video_id: IdStr
    authorization_days: Literal[7, 30, 60, 365] = 30
    action: Literal["EXTEND"] | None = None


class VideoStatus(TcmParams):
    video_id: IdStr


def _age(group: str) -> str:
    """AGE_25_34 → 25-34, AGE_55_100 → 55+ (TCM's age labels)."""
    return group.removeprefix("AGE_").replace("_100", "+").replace("_", "-")


def _creator(facts: CreatorFacts, score: Score) -> dict[str, object]:
    audience = facts.audience
    return {
        "handle_name": facts.handle,
        "display_name": facts.display_name,
        "creator_id": facts.creator_id,
        "country_code": facts.countries[0] if facts.countries else None,
        "location": list(facts.countries),
        "languages": list(facts.languages),
        "follower_count": facts.followers,
        "average_views": round(facts.views_per_post),
        "engagement_rate": round(facts.engagement_rate, 4),
        "topics": [facts.sector],
        "creator_rate": {"rate": facts.fee_eur, "currency": "EUR", "is_negotiable_type": True},
        "is_on_vacation": False,
        "audience_countries": [
            {"country": code, "percentage": round(share, 4)}
            for code, share in audience.countries.items()
        ],
        "audience_genders": [
            {"gender": gender.removeprefix("GENDER_").lower(), "percentage": round(share, 4)}
            for gender, share in audience.genders.items()
        ],
        "audience_ages": [
            {"age": _age(age), "percentage": round(share, 4)}
            for age, share in audience.age_groups.items()
        ],
        "engaged_views_per_euro": round(score.engaged_views_per_euro, 3),
    }


@router.post("/creator/discover/", openapi_extra=body_doc())
def discover(body: CreatorDiscover, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Creators who joined the marketplace, filtered and sorted as TCM does (at most 250);
    `relevance` ranks by engaged views per euro for the audience asked for."""
    found = marketplace.discover(
        context.uow,
        principal,
        advertiser_id=body.tcm_account_id,
        query=from_attributes(
            Discover,
            body,
            engagement_rate=body.engagement_rate.value if body.engagement_rate else None,
            languages=tuple(body.languages),
            creator_categories=tuple(body.creator_categories),
        ),
    )
    return envelope.ok(paged("creators", found, body, lambda pair: _creator(*pair)))


@router.post("/tt_video/apply/", openapi_extra=body_doc())
def apply(body: VideoApply, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Ask a video's creator for a Spark code of `authorization_days` (EXTEND: a new, longer code
    after one was granted). The creator answers in Creator Studio → Marketplace."""
    data = marketplace.tcm_apply(
        context.uow, context.clock, principal, advertiser_id=body.tcm_account_id,
        video_id=body.video_id, authorization_days=body.authorization_days,
        extend=body.action == "EXTEND", sealing_keys=context.keyring.sealing,
    )  # fmt: skip
    return envelope.ok(data)


@router.get("/tt_video/status/", openapi_extra=query_doc(VideoStatus))
def status(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Where the request stands (WAITING, REJECTED, ACCEPTED) and, once accepted, the code, its
    window and its state (NOT_USED, IN_USE, EXPIRED, DELETED), ready for tt_video/authorize."""
    params = read_query(request, VideoStatus)
    data = marketplace.tcm_status(
        context.uow, context.clock, principal, advertiser_id=params.tcm_account_id,
        video_id=params.video_id, sealing_keys=context.keyring.sealing,
    )  # fmt: skip
    return envelope.ok(data)
