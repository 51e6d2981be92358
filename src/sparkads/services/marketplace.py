"""The creator marketplace (R18, R19), for the native API (/api/v1/marketplace), the open API
(tcm/*) and the web app (Ads Manager → Creators, Creator Studio → Marketplace): profiles,
discovery, invitations and collaborations, sponsorships. Each use case opens its unit of work,
checks who acts, calls `marketplace` and commits writes; collaborations come back as
`CollaborationView`s that carry the brand, the creator, the post and the code the surfaces show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator, TokenScope
from sparkads.accounts.service import Principal, authorize_advertiser, get_creator
from sparkads.authorizations.models import SparkCode
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.clock import Clock
from sparkads.keys import KeySet
from sparkads.marketplace import service, tcm
from sparkads.marketplace.commands import NewCollaboration, Profile
from sparkads.marketplace.models import Collaboration, CreatorProfile
from sparkads.marketplace.ranking import CreatorFacts, Filters, Score, Target
from sparkads.marketplace.service import Sponsorship
from sparkads.marketplace.tcm import Discover
from sparkads.posts.models import Post, PostStatus
from sparkads.services.units import Units, for_advertiser

__all__ = [
    "CollaborationView",
    "CreatorPage",
    "Discover",
    "ProfileView",
    "Sponsorship",
    "StudioPage",
    "accept",
    "brand_collaborations",
    "cancel",
    "collaboration",
    "collaborations",
    "creator_page",
    "decline",
    "discover",
    "invite",
    "opt_out",
    "profile",
    "save_profile",
    "search",
    "sponsorships",
    "studio_page",
    "tcm_apply",
    "tcm_status",
]


# --- profiles and discovery ------------------------------------------------------------------
@dataclass(frozen=True)
class ProfileView:
    profile: CreatorProfile
    facts: CreatorFacts


def _profile(session: Session, creator_id: str) -> ProfileView:
    found = service.get_profile(session, creator_id)
    return ProfileView(found, service.profile_facts(session, found))


def save_profile(uow: Units, clock: Clock, *, creator_id: str, data: Profile) -> ProfileView:
    """Opt in (or update); audience and engagement are computed, not declared."""
    with uow() as unit:
        service.save_profile(unit.session, clock, creator_id=creator_id, data=data)
        unit.commit()
        return _profile(unit.session, creator_id)


def profile(uow: Units, creator_id: str) -> ProfileView:
    """An opted-in creator's profile and facts (`creator_profile_not_found` otherwise)."""
    with uow() as unit:
        return _profile(unit.session, creator_id)


def opt_out(uow: Units, clock: Clock, *, creator_id: str) -> None:
    with uow() as unit:
        service.opt_out(unit.session, clock, creator_id=creator_id)
        unit.commit()


def search(uow: Units, filters: Filters, target: Target) -> list[tuple[CreatorFacts, Score]]:
    """Opted-in creators matching the filters, ranked by engaged views per euro."""
    with uow() as unit:
        return service.search_creators(unit.session, filters, target)


def discover(
    uow: Units, principal: Principal, *, advertiser_id: str, query: Discover
) -> list[tuple[CreatorFacts, Score]]:
    """tcm/creator/discover: filtered and sorted as TCM does (at most 250)."""
    with uow() as unit:
        authorize_advertiser(unit.session, principal, advertiser_id)
        return tcm.discover(unit.session, query)


def _public_posts(session: Session, creator_id: str) -> list[Post]:
    return list(
        session.scalars(
            select(Post)
            .where(
                Post.creator_id == creator_id,
                Post.status == PostStatus.ACTIVE,
                Post.visibility == "PUBLIC",
                Post.ads_only.is_(False),
            )
            .order_by(Post.published_at.desc())
            .limit(30)
        )
    )


@dataclass(frozen=True)
class CreatorPage:
    """What a brand sees to invite a creator: the ad account, the creator's facts and their
    public posts (newest first, at most 30)."""

    advertiser: Advertiser
    facts: CreatorFacts
    posts: list[Post]


def creator_page(
    uow: Units, principal: Principal, *, advertiser_id: str, creator_id: str
) -> CreatorPage:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        found = _profile(unit.session, creator_id)
        return CreatorPage(advertiser, found.facts, _public_posts(unit.session, creator_id))


# --- collaborations --------------------------------------------------------------------------
@dataclass(frozen=True)
class CollaborationView:
    row: Collaboration
    advertiser: Advertiser
    creator: Creator
    post: Post | None
    spark_code: SparkCode | None


def _view(session: Session, row: Collaboration) -> CollaborationView:
    return CollaborationView(
        row,
        session.get_one(Advertiser, row.advertiser_id),
        session.get_one(Creator, row.creator_id),
        session.get(Post, row.item_id) if row.item_id else None,
        session.get(SparkCode, row.authorization_id) if row.authorization_id else None,
    )


def _advertiser_ids(session: Session, who: Principal) -> list[str]:
    """The ad accounts whose collaborations a brand's principal sees: a Business Center's all,
    or, for a token limited to some of them (a member's, an app's), those only."""
    if who.scope is TokenScope.BUSINESS_CENTER:
        ids = list(
            session.scalars(
                select(Advertiser.advertiser_id).where(Advertiser.bc_id == who.subject_id)
            )
        )
    elif who.scope is TokenScope.ADVERTISER:
        ids = [who.subject_id]
    else:
        return []
    return [i for i in ids if who.advertisers is None or i in who.advertisers]


def _visible(session: Session, who: Principal) -> tuple[str | None, list[str]]:
    """(creator_id, advertiser_ids) whose collaborations this principal sees."""
    if who.scope is TokenScope.CREATOR:
        return who.subject_id, []
    return None, _advertiser_ids(session, who)


def invite(
    uow: Units, clock: Clock, principal: Principal, data: NewCollaboration
) -> CollaborationView:
    """Invite an opted-in creator to sponsor one of their posts or to make one for a brief."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, data.advertiser_id)
        row = service.invite_creator(unit.session, clock, advertiser, data)
        unit.commit()
        return _view(unit.session, row)


def collaborations(uow: Units, principal: Principal) -> list[CollaborationView]:
    """A creator's invitations and collaborations, or a brand's (a Business Center's: all of
    its advertisers'), newest first."""
    with uow() as unit:
        creator_id, advertiser_ids = _visible(unit.session, principal)
        rows = service.list_collaborations(
            unit.session, creator_id=creator_id, advertiser_ids=advertiser_ids
        )
        return [_view(unit.session, r) for r in rows]


def brand_collaborations(
    uow: Units, principal: Principal, *, advertiser_id: str
) -> list[CollaborationView]:
    """One ad account's collaborations (the web's current ad account)."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        rows = service.list_collaborations(unit.session, advertiser_ids=[advertiser.advertiser_id])
        return [_view(unit.session, r) for r in rows]


def collaboration(uow: Units, principal: Principal, collaboration_id: str) -> CollaborationView:
    with uow() as unit:
        creator_id, advertiser_ids = _visible(unit.session, principal)
        row = service.get_collaboration(
            unit.session, collaboration_id, creator_id=creator_id, advertiser_ids=advertiser_ids
        )
        return _view(unit.session, row)


@dataclass(frozen=True)
class Accepted:
    collaboration: CollaborationView
    auth_code: str  # applied to the brand's library already; shown once


def accept(
    uow: Units,
    clock: Clock,
    throttle: FailureThrottle,
    *,
    creator_id: str,
    collaboration_id: str,
    item_id: str | None,
    sealing_keys: KeySet | None,
) -> Accepted:
    """A Spark code for the agreed duration is issued on the post (the one invited, or for a
    brief `item_id`) and applied to the brand's library."""
    with uow() as unit:
        row, code = service.accept_collaboration(
            unit.session,
            clock,
            throttle,
            creator_id=creator_id,
            collaboration_id=collaboration_id,
            item_id=item_id,
            sealing_keys=sealing_keys,
        )
        unit.commit()
        return Accepted(_view(unit.session, row), code)


def decline(
    uow: Units, clock: Clock, *, creator_id: str, collaboration_id: str
) -> CollaborationView:
    with uow() as unit:
        row = service.decline_collaboration(
            unit.session, clock, creator_id=creator_id, collaboration_id=collaboration_id
        )
        unit.commit()
        return _view(unit.session, row)


def cancel(
    uow: Units,
    clock: Clock,
    principal: Principal,
    collaboration_id: str,
    *,
    advertiser_id: str | None = None,
) -> CollaborationView:
    """The brand withdraws an open invitation: one of the principal's ad accounts' (or, with
    `advertiser_id`, that ad account's only)."""
    with uow() as unit:
        if advertiser_id is None:
            advertiser_ids = _advertiser_ids(unit.session, principal)
        else:
            advertiser_ids = [
                authorize_advertiser(unit.session, principal, advertiser_id).advertiser_id
            ]
        row = service.cancel_collaboration(
            unit.session, clock, advertiser_ids=advertiser_ids, collaboration_id=collaboration_id
        )
        unit.commit()
        return _view(unit.session, row)


def sponsorships(uow: Units, *, creator_id: str) -> list[Sponsorship]:
    with uow() as unit:
        return service.sponsorships(unit.session, creator_id=creator_id)


@dataclass(frozen=True)
class StudioPage:
    """Creator Studio → Marketplace: the profile (None before opting in; facts only while opted
    in), the collaborations, the public posts a brief can be answered with, and the creator."""

    profile: CreatorProfile | None
    facts: CreatorFacts | None
    collaborations: list[CollaborationView]
    posts: list[Post]
    creator: Creator


def studio_page(uow: Units, *, creator_id: str) -> StudioPage:
    with uow() as unit:
        session = unit.session
        found = session.get(CreatorProfile, creator_id)
        facts = service.profile_facts(session, found) if found and found.opted_in else None
        rows = service.list_collaborations(session, creator_id=creator_id)
        return StudioPage(
            found,
            facts,
            [_view(session, r) for r in rows],
            _public_posts(session, creator_id),
            get_creator(session, creator_id),
        )


# --- TikTok Creator Marketplace (tcm/tt_video/*) ---------------------------------------------
def tcm_apply(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    video_id: str,
    authorization_days: int,
    extend: bool,
    sealing_keys: KeySet | None,
) -> dict[str, object]:
    """Ask a video's creator for a Spark code; answers the request's status."""
    for_advertiser(
        uow,
        principal,
        advertiser_id,
        lambda session, advertiser: tcm.apply(
            session,
            clock,
            advertiser,
            video_id=video_id,
            authorization_days=authorization_days,
            extend=extend,
        ),
    )
    return tcm_status(
        uow,
        clock,
        principal,
        advertiser_id=advertiser_id,
        video_id=video_id,
        sealing_keys=sealing_keys,
    )


def tcm_status(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    video_id: str,
    sealing_keys: KeySet | None,
) -> dict[str, object]:
    """Where the request stands and, once accepted, the code and its state (committed: the
    sealing key, if this call made it)."""
    return for_advertiser(
        uow,
        principal,
        advertiser_id,
        lambda session, advertiser: tcm.status(
            session, clock, advertiser, video_id=video_id, sealing_keys=sealing_keys
        ),
    )
