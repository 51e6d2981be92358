"""Creator marketplace (R18, R19): creators opt in; brands search creators ranked by expected
engaged views per euro (with the reasoning), invite one for a post or a brief at an agreed fee;
the creator accepts by authorizing a post, which lands in the brand's library; the creator's
sponsorships list the brands, posts, fees and what the ads reached."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from sparkads.api.context import ContextDep
from sparkads.api.native.deps import AnyPrincipal, CreatorPrincipal, RequesterPrincipal
from sparkads.authorizations.code_states import code_state
from sparkads.authorizations.models import SparkCode
from sparkads.campaigns.enums import AgeGroup
from sparkads.clock import as_utc
from sparkads.marketplace.ranking import TIER_NAMES, Filters, Target
from sparkads.marketplace.schemas import (
    AcceptedRead,
    AuthorizationWindow,
    CollaborationAccept,
    CollaborationCreate,
    CollaborationRead,
    CreatorCard,
    Money,
    ProfileIn,
    ProfileRead,
    ScoreRead,
    SearchPage,
    SearchResult,
    SponsorshipRead,
    SponsorshipsRead,
)
from sparkads.money import from_micros
from sparkads.services import marketplace
from sparkads.services.marketplace import CollaborationView, ProfileView

router = APIRouter(prefix="/api/v1/marketplace", tags=["Creator marketplace"])
Tier = Literal["nano", "micro", "mid", "macro", "mega"]
assert set(Tier.__args__) == set(TIER_NAMES)  # type: ignore[attr-defined]
Share = Annotated[float | None, Query(ge=0, le=1, description="A fraction: 0.05 is 5 %.")]


def _profile_read(view: ProfileView) -> ProfileRead:
    card = CreatorCard.of(view.facts)
    return ProfileRead(
        **card.model_dump(),
        opted_in=view.profile.opted_in,
        updated_at=as_utc(view.profile.updated_at),
    )


@router.put("/profile")
def save_profile(body: ProfileIn, who: CreatorPrincipal, context: ContextDep) -> ProfileRead:
    """Opt in (or update): sector, countries, languages, asking fee per post in EUR. Audience and
    engagement are computed from events and post counters, not declared."""
    view = marketplace.save_profile(
        context.uow, context.clock, creator_id=who.subject_id, data=body.command()
    )
    return _profile_read(view)


@router.get("/profile")
def get_profile(who: CreatorPrincipal, context: ContextDep) -> ProfileRead:
    return _profile_read(marketplace.profile(context.uow, who.subject_id))


@router.delete("/profile", status_code=204, response_class=Response)
def leave(who: CreatorPrincipal, context: ContextDep) -> Response:
    """Leave the marketplace: the profile no longer shows in searches."""
    marketplace.opt_out(context.uow, context.clock, creator_id=who.subject_id)
    return Response(status_code=204)


@router.get("/creators")
def search(
    who: RequesterPrincipal,
    context: ContextDep,
    sector: Annotated[str | None, Query(max_length=40, examples=["fitness"])] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    languages: Annotated[list[str] | None, Query(max_length=10)] = None,
    min_followers: Annotated[int | None, Query(ge=0)] = None,
    max_followers: Annotated[int | None, Query(ge=0)] = None,
    tier: Annotated[
        list[Tier] | None, Query(description="nano <10k, micro <100k, mid <500k, macro <1M, mega")
    ] = None,
    min_engagement_rate: Share = None,
    max_engagement_rate: Share = None,
    max_fee: Annotated[float | None, Query(gt=0, description="EUR")] = None,
    budget: Annotated[float | None, Query(gt=0, le=1e9, description="EUR")] = None,
    target_countries: Annotated[list[str] | None, Query(max_length=50)] = None,
    target_age_groups: Annotated[list[AgeGroup] | None, Query()] = None,
    target_genders: Annotated[list[Literal["GENDER_FEMALE", "GENDER_MALE"]] | None, Query()] = None,
    min_audience_match: Share = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchPage:
    """Opted-in creators matching the filters, ranked by expected engaged views per euro:
    expected views per post × engagement rate × audience match with the target ÷ fee."""
    filters = Filters(
        sector=sector.strip().lower() if sector else None,
        country=country,
        languages=frozenset(languages or ()),
        min_followers=min_followers,
        max_followers=max_followers,
        tiers=frozenset(tier or ()),
        min_engagement_rate=min_engagement_rate,
        max_engagement_rate=max_engagement_rate,
        max_fee=max_fee,
        min_audience_match=min_audience_match,
        budget=budget,
    )
    target = Target(
        countries=frozenset(target_countries or ()),
        age_groups=frozenset(a.value for a in target_age_groups or ()),
        genders=frozenset(target_genders or ()),
    )
    ranked = marketplace.search(context.uow, filters, target)
    start = (page - 1) * page_size
    results = [
        SearchResult(rank=start + n + 1, creator=CreatorCard.of(facts), score=ScoreRead.of(score))
        for n, (facts, score) in enumerate(ranked[start : start + page_size])
    ]
    return SearchPage(results=results, page=page, page_size=page_size, total=len(ranked))


@router.get("/creators/{creator_id}")
def creator(creator_id: str, who: RequesterPrincipal, context: ContextDep) -> CreatorCard:
    """One opted-in creator, with the interests of their audience."""
    return CreatorCard.of(marketplace.profile(context.uow, creator_id).facts)


def _window(spark_code: SparkCode | None, now: datetime) -> AuthorizationWindow | None:
    if spark_code is None:
        return None
    return AuthorizationWindow(
        authorization_id=spark_code.authorization_id,
        duration_days=spark_code.duration_days,
        starts_at=as_utc(spark_code.starts_at),
        ends_at=as_utc(spark_code.ends_at),
        status=code_state(spark_code, now).value,
    )


def _read(view: CollaborationView, now: datetime) -> CollaborationRead:
    row, advertiser, creator = view.row, view.advertiser, view.creator
    return CollaborationRead(
        collaboration_id=row.collaboration_id,
        advertiser={"advertiser_id": advertiser.advertiser_id, "name": advertiser.name},
        creator={"creator_id": creator.creator_id, "handle": creator.handle},
        kind=row.kind,
        item_id=row.item_id,
        brief=row.brief,
        message=row.message,
        fee=Money(amount=float(from_micros(row.fee))),
        duration_days=row.duration_days,
        status=row.status,
        authorization=_window(view.spark_code, now),
        created_at=as_utc(row.created_at),
        decided_at=as_utc(row.decided_at) if row.decided_at else None,
    )


@router.post("/collaborations", status_code=201)
def invite(
    body: CollaborationCreate, who: RequesterPrincipal, context: ContextDep
) -> CollaborationRead:
    """Invite an opted-in creator to sponsor one of their posts (`item_id`) or to make one for a
    `brief`, at an agreed fee (EUR) and for a Spark code of `duration_days`."""
    view = marketplace.invite(context.uow, context.clock, who, body.command())
    return _read(view, context.clock.now())


@router.get("/collaborations")
def list_collaborations(who: AnyPrincipal, context: ContextDep) -> list[CollaborationRead]:
    """A creator's invitations and collaborations, or a brand's (a Business Center's: all of its
    advertisers')."""
    rows = marketplace.collaborations(context.uow, who)
    now = context.clock.now()
    return [_read(r, now) for r in rows]


@router.get("/collaborations/{collaboration_id}")
def get_collaboration(
    collaboration_id: str, who: AnyPrincipal, context: ContextDep
) -> CollaborationRead:
    view = marketplace.collaboration(context.uow, who, collaboration_id)
    return _read(view, context.clock.now())


@router.post("/collaborations/{collaboration_id}/accept")
def accept(
    collaboration_id: str,
    who: CreatorPrincipal,
    context: ContextDep,
    body: CollaborationAccept | None = None,
) -> AcceptedRead:
    """The creator accepts: a Spark code for the agreed duration is issued on the post (the one
    invited, or for a brief the one given as `item_id`) and applied to the brand's library."""
    accepted = marketplace.accept(
        context.uow,
        context.clock,
        context.code_throttle,
        creator_id=who.subject_id,
        collaboration_id=collaboration_id,
        item_id=body.item_id if body else None,
        sealing_keys=context.keyring.sealing,
    )
    return AcceptedRead(
        collaboration=_read(accepted.collaboration, context.clock.now()),
        auth_code=accepted.auth_code,
    )


@router.post("/collaborations/{collaboration_id}/decline")
def decline(collaboration_id: str, who: CreatorPrincipal, context: ContextDep) -> CollaborationRead:
    view = marketplace.decline(
        context.uow, context.clock, creator_id=who.subject_id, collaboration_id=collaboration_id
    )
    return _read(view, context.clock.now())


@router.post("/collaborations/{collaboration_id}/cancel")
def cancel(
    collaboration_id: str, who: RequesterPrincipal, context: ContextDep
) -> CollaborationRead:
    view = marketplace.cancel(context.uow, context.clock, who, collaboration_id)
    return _read(view, context.clock.now())


def _sponsorship_status(spark_code: SparkCode | None, now: datetime) -> str:
    """ACTIVE while the code runs, then EXPIRED or REVOKED."""
    if spark_code is None:
        return "ACCEPTED"
    state = code_state(spark_code, now).value
    return "ACTIVE" if state == "AUTHORIZED" else state


@router.get("/sponsorships")
def sponsorships(who: CreatorPrincipal, context: ContextDep) -> SponsorshipsRead:
    """The creator's sponsorships (R19): brand, post, agreed fee, status of the code, and the
    impressions and reach the brand's ads gave the post."""
    rows = marketplace.sponsorships(context.uow, creator_id=who.subject_id)
    now = context.clock.now()
    read = [
        SponsorshipRead(
            collaboration_id=s.collaboration.collaboration_id,
            brand={"advertiser_id": s.advertiser.advertiser_id, "name": s.advertiser.name},
            post={
                "item_id": s.post.item_id if s.post else None,
                "caption": s.post.caption if s.post else None,
            },
            fee=Money(amount=float(from_micros(s.collaboration.fee))),
            status=_sponsorship_status(s.spark_code, now),
            authorization=_window(s.spark_code, now),
            paid_impressions=s.paid_impressions,
            paid_reach=s.paid_reach,
        )
        for s in rows
    ]
    total = sum(s.fee.amount for s in read)
    return SponsorshipsRead(sponsorships=read, agreed_fees=Money(amount=round(total, 2)))
