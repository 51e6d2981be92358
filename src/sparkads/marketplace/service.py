"""Marketplace services (R18, R19): creators opt in with a profile; advertisers search and rank
them, and invite one to a collaboration for a post or a brief at an agreed fee; the creator accepts
by authorizing a post for that brand (a Spark code of the agreed duration), which is applied to the
advertiser's library at once; the fee shows in the creator's sponsorships. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.accounts.service import get_creator
from sparkads.authorizations.library import apply_code
from sparkads.authorizations.models import SparkCode
from sparkads.authorizations.spark_codes import enable_authorization
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.campaigns.catalog import catalog
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.events.models import Event
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id
from sparkads.keys import KeySet
from sparkads.marketplace import sealing
from sparkads.marketplace.commands import NewCollaboration, Profile
from sparkads.marketplace.creator_stats import creator_facts
from sparkads.marketplace.models import (
    Collaboration,
    CollaborationKind,
    CollaborationStatus,
    CreatorProfile,
)
from sparkads.marketplace.ranking import CreatorFacts, Filters, Score, Target, rank
from sparkads.posts.models import Post
from sparkads.posts.service import get_own_post, unavailable


def _check_profile(data: Profile) -> str:
    cat = catalog()
    sector = data.sector.strip().lower()
    if cat.interest_for_sector(sector) is None:
        sectors = sorted({i.sector for i in cat.interests() if i.sector})
        raise SparkadsError(
            "invalid_parameter",
            field="sector",
            detail=LocalText(N_("one of {choices}"), {"choices": ", ".join(sectors)}),
        )
    countries = {c.country_code for c in cat.locations(level="COUNTRY")}
    unknown = [c for c in data.countries if c not in countries]
    if unknown:
        raise SparkadsError(
            "invalid_parameter",
            field="countries",
            detail=LocalText(N_("unknown: {values}"), {"values": ", ".join(unknown)}),
        )
    unknown = [lang for lang in data.languages if not cat.is_language(lang)]
    if unknown:
        raise SparkadsError(
            "invalid_parameter",
            field="languages",
            detail=LocalText(N_("unknown: {values}"), {"values": ", ".join(unknown)}),
        )
    return sector


def save_profile(
    session: Session, clock: Clock, *, creator_id: str, data: Profile
) -> CreatorProfile:
    """Opt in, or update the profile (opting in again after leaving)."""
    get_creator(session, creator_id)
    sector, now = _check_profile(data), clock.now()
    profile = session.get(CreatorProfile, creator_id)
    if profile is None:
        profile = CreatorProfile(creator_id=creator_id, created_at=now)
        session.add(profile)
    profile.sector = sector
    profile.countries = list(dict.fromkeys(data.countries))
    profile.languages = list(dict.fromkeys(data.languages))
    profile.asking_fee = data.asking_fee
    profile.opted_in = True
    profile.updated_at = now
    session.flush()
    return profile


def get_profile(session: Session, creator_id: str) -> CreatorProfile:
    profile = session.get(CreatorProfile, creator_id)
    if profile is None or not profile.opted_in:
        raise SparkadsError("creator_profile_not_found", creator_id=creator_id)
    return profile


def opt_out(session: Session, clock: Clock, *, creator_id: str) -> None:
    profile = get_profile(session, creator_id)
    profile.opted_in = False
    profile.updated_at = clock.now()
    session.flush()


def profile_facts(session: Session, profile: CreatorProfile) -> CreatorFacts:
    [facts] = creator_facts(session, [profile], interests=True)
    return facts


def search_creators(
    session: Session, filters: Filters, target: Target
) -> list[tuple[CreatorFacts, Score]]:
    query = select(CreatorProfile).where(CreatorProfile.opted_in.is_(True))
    if filters.sector:
        query = query.where(CreatorProfile.sector == filters.sector)
    profiles = session.scalars(query.order_by(CreatorProfile.creator_id)).all()
    return rank(creator_facts(session, profiles), filters, target)


def invite_creator(
    session: Session, clock: Clock, advertiser: Advertiser, data: NewCollaboration
) -> Collaboration:
    get_profile(session, data.creator_id)
    if data.item_id is not None:
        post = get_own_post(session, creator_id=data.creator_id, item_id=data.item_id)
        if post.status != "ACTIVE":
            raise unavailable(post)
    row = Collaboration(
        collaboration_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        creator_id=data.creator_id,
        kind=(CollaborationKind.POST if data.item_id else CollaborationKind.BRIEF).value,
        item_id=data.item_id,
        brief=data.brief or "",
        message=data.message,
        fee=data.fee,
        duration_days=data.duration_days,
        status=CollaborationStatus.INVITED.value,
        created_at=clock.now(),
    )
    return added(session, row)


def _own(session: Session, collaboration_id: str, *, creator_id: str | None = None,
         advertiser_ids: Sequence[str] = ()) -> Collaboration:  # fmt: skip
    row = session.get(Collaboration, collaboration_id)
    if (
        row is None
        or (creator_id is not None and row.creator_id != creator_id)
        or (creator_id is None and row.advertiser_id not in advertiser_ids)
    ):
        raise SparkadsError("collaboration_not_found", collaboration_id=collaboration_id)
    return row


def _open(row: Collaboration) -> None:
    if row.status != CollaborationStatus.INVITED.value:
        raise SparkadsError("collaboration_closed", status=row.status)


def _decide(
    session: Session, clock: Clock, row: Collaboration, status: CollaborationStatus
) -> Collaboration:
    """An open collaboration accepted, declined or cancelled, now."""
    row.status, row.decided_at = status.value, clock.now()
    session.flush()
    return row


def accept_collaboration(
    session: Session,
    clock: Clock,
    throttle: FailureThrottle,
    *,
    creator_id: str,
    collaboration_id: str,
    item_id: str | None,
    sealing_keys: KeySet | None = None,
) -> tuple[Collaboration, str]:
    """Authorize the post for this brand for the agreed duration and put it in the brand's
    library. Returns the collaboration and the code (applied already, shown once)."""
    row = _own(session, collaboration_id, creator_id=creator_id)
    _open(row)
    if row.kind == CollaborationKind.POST.value:
        if item_id is not None and item_id != row.item_id:
            raise SparkadsError(
                "invalid_parameter",
                field="item_id",
                detail=LocalText(N_("the invitation is for {item_id}"), {"item_id": row.item_id}),
            )
        item_id = row.item_id
    if item_id is None:
        raise SparkadsError("collaboration_post_required")
    code_row, code, _warnings = enable_authorization(
        session, clock, creator_id=creator_id, item_id=item_id, duration_days=row.duration_days
    )
    advertiser = session.get_one(Advertiser, row.advertiser_id)
    apply_code(session, clock, throttle, advertiser=advertiser, auth_code=code)
    row.item_id = item_id
    row.authorization_id = code_row.authorization_id
    row.sealed_code = sealing.seal(
        session, clock, code, context=row.collaboration_id, keys=sealing_keys
    )
    return _decide(session, clock, row, CollaborationStatus.ACCEPTED), code


def decline_collaboration(
    session: Session, clock: Clock, *, creator_id: str, collaboration_id: str
) -> Collaboration:
    row = _own(session, collaboration_id, creator_id=creator_id)
    _open(row)
    return _decide(session, clock, row, CollaborationStatus.DECLINED)


def cancel_collaboration(
    session: Session, clock: Clock, *, advertiser_ids: Sequence[str], collaboration_id: str
) -> Collaboration:
    row = _own(session, collaboration_id, advertiser_ids=advertiser_ids)
    _open(row)
    return _decide(session, clock, row, CollaborationStatus.CANCELLED)


def get_collaboration(
    session: Session, collaboration_id: str, *, creator_id: str | None = None,
    advertiser_ids: Sequence[str] = (),
) -> Collaboration:  # fmt: skip
    return _own(session, collaboration_id, creator_id=creator_id, advertiser_ids=advertiser_ids)


def list_collaborations(
    session: Session, *, creator_id: str | None = None, advertiser_ids: Sequence[str] = ()
) -> Sequence[Collaboration]:
    query = select(Collaboration).order_by(Collaboration.created_at.desc())
    if creator_id is not None:
        query = query.where(Collaboration.creator_id == creator_id)
    else:
        query = query.where(Collaboration.advertiser_id.in_(list(advertiser_ids)))
    return session.scalars(query).all()


@dataclass(frozen=True)
class Sponsorship:
    collaboration: Collaboration
    advertiser: Advertiser
    post: Post | None
    spark_code: SparkCode | None
    paid_impressions: int
    paid_reach: int


def sponsorships(session: Session, *, creator_id: str) -> list[Sponsorship]:
    """The creator's accepted collaborations (R19): brand, post, agreed fee, the code's window,
    and what the brand's ads on that post reached."""
    get_creator(session, creator_id)
    rows = session.scalars(
        select(Collaboration)
        .where(
            Collaboration.creator_id == creator_id,
            Collaboration.status == CollaborationStatus.ACCEPTED.value,
        )
        .order_by(Collaboration.decided_at.desc())
    ).all()
    found = []
    for row in rows:
        impressions, reach = session.execute(
            select(func.count(), func.count(func.distinct(Event.viewer_id))).where(
                Event.advertiser_id == row.advertiser_id,
                Event.item_id == row.item_id,
                Event.event_type == "impression",
            )
        ).one()
        found.append(
            Sponsorship(
                row,
                session.get_one(Advertiser, row.advertiser_id),
                session.get(Post, row.item_id) if row.item_id else None,
                session.get(SparkCode, row.authorization_id) if row.authorization_id else None,
                int(impressions),
                int(reach),
            )
        )
    return found
