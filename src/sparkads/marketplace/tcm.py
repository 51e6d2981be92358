"""TikTok Creator Marketplace (TCM) semantics over the marketplace: discover creators with TCM's
filters and sort orders, apply for a Spark code on a creator's video (an invitation at the creator's
asking fee, answered in Creator Studio), and read the request's status, with the code once the
creator accepted. The brand's TCM account is its ad account (`tcm_account_id` = advertiser_id)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.models import LibraryItem, SparkCode
from sparkads.authorizations.spark_codes import CodeState, code_state
from sparkads.clock import Clock, as_utc, format_tiktok_time
from sparkads.errors import SparkadsError
from sparkads.keys import KeySet
from sparkads.marketplace import sealing, service
from sparkads.marketplace.commands import NewCollaboration
from sparkads.marketplace.models import Collaboration, CollaborationStatus
from sparkads.marketplace.ranking import CreatorFacts, Filters, Score, Target
from sparkads.posts.models import Post, PostStatus
from sparkads.posts.service import unavailable

MAX_REQUESTS = 30  # applications per brand and video, as TCM's num_remaining_request counts
MAX_RESULTS = 250  # TCM returns at most 250 creators per search
ENGAGEMENT_BUCKETS = {
    "0-5": (0.0, 0.05),
    "5-10": (0.05, 0.10),
    "10-15": (0.10, 0.15),
    "15-20": (0.15, 0.20),
    ">20": (0.20, None),
}
AGES = {
    "18-24": ("AGE_18_24",),
    "25-34": ("AGE_25_34",),
    "35-44": ("AGE_35_44",),
    "45-54": ("AGE_45_54",),
    "55+": ("AGE_55_100",),
    "35+": ("AGE_35_44", "AGE_45_54", "AGE_55_100"),
}
GENDERS = {"male": "GENDER_MALE", "female": "GENDER_FEMALE"}
SORTS = ("follower_count", "avg_views", "engagement_rate", "relevance")
AUTH_STATUS = {
    CollaborationStatus.INVITED.value: "WAITING",
    CollaborationStatus.ACCEPTED.value: "ACCEPTED",
    CollaborationStatus.DECLINED.value: "REJECTED",
    CollaborationStatus.CANCELLED.value: "REJECTED",
}


@dataclass(frozen=True)
class Discover:
    country_code: str | None = None
    major_audience_country_code: str | None = None
    min_followers: int | None = None
    max_followers: int | None = None
    min_avg_views: int | None = None
    max_avg_views: int | None = None
    major_audience_gender: str | None = None
    major_audience_age: str | None = None
    engagement_rate: str | None = None
    languages: tuple[str, ...] = ()
    creator_categories: tuple[str, ...] = ()
    query: str | None = None
    sort_field: str = "follower_count"


def _top(shares: Mapping[str, float]) -> str | None:
    return max(shares, key=lambda key: shares[key]) if shares else None


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _keeps(facts: CreatorFacts, q: Discover, categories: set[str]) -> bool:
    audience = facts.audience
    ages = AGES.get(q.major_audience_age or "", ())
    text = (q.query or "").strip().lower().lstrip("@")
    return (
        (not categories or facts.sector in categories)
        and _within(facts.views_per_post, q.min_avg_views, q.max_avg_views)
        and (
            q.major_audience_country_code is None
            or _top(audience.countries) == q.major_audience_country_code
        )
        and (
            q.major_audience_gender is None
            or _top(audience.genders) == GENDERS[q.major_audience_gender]
        )
        and (not ages or _top(audience.age_groups) in ages)
        and (not text or text in facts.handle.lower() or text in facts.display_name.lower())
    )


def discover(session: Session, q: Discover) -> list[tuple[CreatorFacts, Score]]:
    """Opted-in creators passing TCM's filters, in TCM's sort order (relevance: engaged views per
    euro for the audience asked for), at most MAX_RESULTS."""
    low, high = ENGAGEMENT_BUCKETS.get(q.engagement_rate or "", (None, None))
    categories = {c.strip().lower() for c in q.creator_categories if c.strip()}
    filters = Filters(
        sector=next(iter(categories)) if len(categories) == 1 else None,
        country=q.country_code,
        languages=frozenset(q.languages),
        min_followers=q.min_followers,
        max_followers=q.max_followers,
        min_engagement_rate=low,
        max_engagement_rate=high,
    )
    target = Target(
        countries=frozenset(
            [q.major_audience_country_code] if q.major_audience_country_code else []
        ),
        age_groups=frozenset(AGES.get(q.major_audience_age or "", ())),
        genders=frozenset([GENDERS[q.major_audience_gender]] if q.major_audience_gender else []),
    )
    found = [
        (facts, score)
        for facts, score in service.search_creators(session, filters, target)
        if _keeps(facts, q, categories)
    ]
    keys = {
        "follower_count": lambda fs: (-fs[0].followers, fs[0].creator_id),
        "avg_views": lambda fs: (-fs[0].views_per_post, fs[0].creator_id),
        "engagement_rate": lambda fs: (-fs[0].engagement_rate, fs[0].creator_id),
    }
    if q.sort_field in keys:
        found.sort(key=keys[q.sort_field])
    return found[:MAX_RESULTS]


def _video(session: Session, video_id: str) -> Post:
    post = session.get(Post, str(video_id))
    if post is None:
        raise SparkadsError("post_not_found", item_id=video_id)
    if post.status != PostStatus.ACTIVE:
        raise unavailable(post)
    return post


# Among requests made in the same instant, the open one, then the granted one, counts as latest.
_PRIORITY = {CollaborationStatus.INVITED.value: 2, CollaborationStatus.ACCEPTED.value: 1}


def _requests(session: Session, advertiser_id: str, item_id: str) -> list[Collaboration]:
    """This brand's requests for this video, latest first."""
    rows = session.scalars(
        select(Collaboration).where(
            Collaboration.advertiser_id == advertiser_id, Collaboration.item_id == item_id
        )
    )
    return sorted(
        rows, key=lambda r: (as_utc(r.created_at), _PRIORITY.get(r.status, 0)), reverse=True
    )


def apply(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    *,
    video_id: str,
    authorization_days: int,
    extend: bool,
) -> Collaboration:
    """tcm/tt_video/apply/: ask the video's creator for a Spark code. A request already waiting is
    answered as is; an accepted one too, unless EXTEND asks for a new (longer) code."""
    post = _video(session, video_id)
    earlier = _requests(session, advertiser.advertiser_id, post.item_id)
    if earlier and earlier[0].status == CollaborationStatus.INVITED.value:
        return earlier[0]
    if earlier and earlier[0].status == CollaborationStatus.ACCEPTED.value and not extend:
        return earlier[0]
    if len(earlier) >= MAX_REQUESTS:
        raise SparkadsError("too_many_ids", field="tcm/tt_video/apply requests", limit=MAX_REQUESTS)
    profile = service.get_profile(session, post.creator_id)
    data = NewCollaboration(
        advertiser_id=advertiser.advertiser_id,
        creator_id=post.creator_id,
        item_id=post.item_id,
        fee=profile.asking_fee,
        duration_days=authorization_days,
        message="Spark code request (Creator Marketplace API)",
    )
    return service.invite_creator(session, clock, advertiser, data)


def _code_status(session: Session, row: Collaboration, code: SparkCode, now: datetime) -> str:
    state = code_state(code, now)
    if state is CodeState.REVOKED:
        return "DELETED"
    if state is CodeState.EXPIRED:
        return "EXPIRED"
    bound = session.scalar(
        select(func.count())
        .select_from(LibraryItem)
        .where(
            LibraryItem.advertiser_id == row.advertiser_id,
            LibraryItem.authorization_id == code.authorization_id,
            LibraryItem.unbound_at.is_(None),
        )
    )
    return "IN_USE" if bound else "NOT_USED"


def status(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    *,
    video_id: str,
    sealing_keys: KeySet | None = None,
) -> dict[str, object]:
    """tcm/tt_video/status/: the latest request of this brand for this video."""
    earlier = _requests(session, advertiser.advertiser_id, str(video_id))
    if not earlier:
        raise SparkadsError(
            "object_not_found", object_type="Spark code request", object_id=video_id
        )
    row, now = earlier[0], clock.now()
    data: dict[str, object] = {
        "video_id": row.item_id,
        "auth_status": AUTH_STATUS[row.status],
        "auth_status_update_time": _time(row.decided_at or row.created_at),
        "num_remaining_request": max(0, MAX_REQUESTS - len(earlier)),
        "requested_authorization_days": row.duration_days,
        "auth_code_status": None,
        "auth_code_start_time": None,
        "auth_code_end_time": None,
        "auth_code": None,
    }
    code = session.get(SparkCode, row.authorization_id) if row.authorization_id else None
    if code is not None:
        data |= {
            "auth_code_status": _code_status(session, row, code, now),
            "auth_code_start_time": _time(code.starts_at),
            "auth_code_end_time": _time(code.ends_at),
            "auth_code": (
                sealing.unseal(
                    session,
                    clock,
                    row.sealed_code,
                    context=row.collaboration_id,
                    keys=sealing_keys,
                )
                if row.sealed_code
                else None
            ),
        }
    return data


def _time(moment: datetime) -> str:
    return format_tiktok_time(moment)
