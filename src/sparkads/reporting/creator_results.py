"""What sponsorship brought a creator (R19), read-only: each of her posts authorized for ads (a Spark
code, or her whole account through a Business Center's access or an advertiser's linked account),
the brands that use it, since when, the state of what lets them, and what their ads delivered on
it over a period, by brand and in total.

What ads delivered is `reporting.creator_delivery`'s: from the report rollups, paid impressions,
paid views (2 seconds, what the post's paid views count) and the engagement that landed on the
post: likes, comments, shares, follows and profile visits; reach, a count of people, from the
events, never given between 1 and MIN_AGGREGATE - 1. Nothing else is tracked per post, so nothing
else is shown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter
from sparkads.authorizations.code_states import CodeState, code_state
from sparkads.authorizations.models import (
    AccessRequest,
    AccessStatus,
    IdentityType,
    LibraryItem,
    SparkCode,
)
from sparkads.campaigns.enums import OperationStatus, ReviewStatus
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting.creator_delivery import COUNTS as COUNTS
from sparkads.reporting.creator_delivery import Figures as Figures
from sparkads.reporting.creator_delivery import (
    Pair,
    Reach,
    counts_of,
    event_times,
    per_brand,
    rollup_days,
    summed,
)
from sparkads.reporting.creator_delivery import Period as Period


class Through(StrEnum):
    """How a brand may use the post."""

    SPARK_CODE = "SPARK_CODE"  # the creator's code put it in the brand's creative library
    BUSINESS_CENTER = "BUSINESS_CENTER"  # the creator gave a Business Center her account
    LINKED_ACCOUNT = "LINKED_ACCOUNT"  # an advertiser linked her account as its own


class UseState(StrEnum):
    ACTIVE = "ACTIVE"
    CODE_EXPIRED = "CODE_EXPIRED"
    REVOKED = "REVOKED"  # the code revoked, or the account access ended
    REMOVED = "REMOVED"  # the brand took the post out of its library


class Delivery(StrEnum):
    """Where a brand's use of the post stands, said in words when it shows nothing."""

    SHOWN = "SHOWN"  # impressions in the period
    NO_AD = "NO_AD"  # in the brand's library, no ad uses it
    NOT_RUNNING = "NOT_RUNNING"  # in ads, none running (paused, in review or rejected)
    NOT_SHOWN_YET = "NOT_SHOWN_YET"  # in a running ad that has had no impression yet
    NOT_IN_PERIOD = "NOT_IN_PERIOD"  # shown before the period, not in it


@dataclass(frozen=True)
class BrandUse:
    advertiser: Advertiser
    through: Through
    since: datetime
    state: UseState
    ads: int  # the brand's ads on the post, deleted ones aside
    running: int  # those enabled, approved, in an enabled ad group and campaign
    delivery: Delivery
    figures: Figures


@dataclass(frozen=True)
class AuthorizedPost:
    post: Post
    codes: Sequence[tuple[SparkCode, UseState]]  # newest first, with their states now
    uses: list[BrandUse]  # the most paid views first
    figures: Figures  # every brand together


@dataclass(frozen=True)
class AccountAccess:
    """A Business Center or an ad account that was given the creator's whole account."""

    name: str
    through: Through
    since: datetime
    state: UseState  # ACTIVE or REVOKED (ended)
    posts_used: int  # her posts in its ads


@dataclass(frozen=True)
class CreatorResults:
    period: Period
    posts: list[AuthorizedPost]
    brands: list[tuple[Advertiser, Figures]]  # the most paid views first
    total: Figures
    accesses: list[AccountAccess] = field(default_factory=list)


@dataclass
class _Rows:
    """What the queries read, keyed for assembling."""

    posts: dict[str, Post]
    codes: dict[str, list[SparkCode]]
    library: dict[Pair, LibraryItem]
    ads: dict[Pair, list[Ad]]  # deleted ones too
    running: set[str]  # ids of the ads that can be shown: enabled, approved, parents enabled
    advertisers: dict[str, Advertiser]
    accesses: dict[str, AccessRequest]  # identity_id -> the accepted (maybe ended) request


def creator_results(
    session: Session, creator_id: str, now: datetime, period: Period
) -> CreatorResults:
    rows = _read(session, creator_id)
    items, brands = list(rows.posts), list(rows.advertisers.values())
    counts = counts_of(session, items, per_brand(brands, now, period, rollup_days))
    ever = counts_of(session, items, None) if period.days else counts
    ads_of: dict[str, list[str]] = defaultdict(list)  # every ad on her posts, deleted ones too
    for (advertiser_id, _), ads in rows.ads.items():
        ads_of[advertiser_id] += [ad.ad_id for ad in ads]
    reach = Reach(session, ads_of, per_brand(brands, now, period, event_times(ads_of)))
    by_pair = reach.of(Event.advertiser_id, Event.item_id)
    uses: dict[str, list[BrandUse]] = defaultdict(list)
    for pair in sorted(set(rows.library) | set(rows.ads), key=lambda p: (p[1], p[0])):
        figures = counts.get(pair, Figures()).with_reach(by_pair.get(pair, 0))
        uses[pair[1]].append(_use(rows, pair, now, figures, ever.get(pair, Figures()).impressions))
    of_post = reach.of(Event.item_id)
    posts = [
        AuthorizedPost(
            post,
            [(code, CODE_USE[code_state(code, now)]) for code in rows.codes.get(item_id, [])],
            sorted(uses[item_id], key=lambda u: (-u.figures.views_2s, u.advertiser.name)),
            summed(f for (_, i), f in counts.items() if i == item_id).with_reach(
                of_post.get(item_id, 0)
            ),
        )
        for item_id, post in rows.posts.items()
        if uses[item_id] or item_id in rows.codes
    ]
    posts.sort(key=lambda p: -p.figures.views_2s)  # stable: the newest first among equals
    of_brand = reach.of(Event.advertiser_id)
    by_brand = [
        (
            advertiser,
            summed(f for (a, _), f in counts.items() if a == advertiser.advertiser_id).with_reach(
                of_brand.get(advertiser.advertiser_id, 0)
            ),
        )
        for advertiser in brands
    ]
    by_brand.sort(key=lambda b: (-b[1].views_2s, b[0].name))
    total = summed(counts.values()).with_reach(reach.total())
    return CreatorResults(period, posts, by_brand, total, _accesses(session, rows))


def _read(session: Session, creator_id: str) -> _Rows:
    posts = {
        p.item_id: p
        for p in session.scalars(
            select(Post).where(Post.creator_id == creator_id).order_by(Post.published_at.desc())
        )
    }
    items = list(posts)
    codes: dict[str, list[SparkCode]] = defaultdict(list)
    for code in session.scalars(
        select(SparkCode)
        .where(SparkCode.creator_id == creator_id)
        .order_by(SparkCode.created_at.desc())
    ):
        codes[code.item_id].append(code)
    library = {
        (item.advertiser_id, item.item_id): item
        for item in session.scalars(select(LibraryItem).where(LibraryItem.item_id.in_(items)))
    }
    ads: dict[Pair, list[Ad]] = defaultdict(list)
    running = set()
    for ad, group, campaign in session.execute(
        select(Ad, AdGroup.operation_status, Campaign.operation_status)
        .join(AdGroup, AdGroup.adgroup_id == Ad.adgroup_id)
        .join(Campaign, Campaign.campaign_id == Ad.campaign_id)
        .where(Ad.tiktok_item_id.in_(items))  # deleted ones too: what they delivered counts
        .order_by(Ad.create_time)
    ):
        ads[(ad.advertiser_id, ad.tiktok_item_id)].append(ad)
        enabled = {ad.operation_status, group, campaign} == {OperationStatus.ENABLE}
        if enabled and ad.review_status == ReviewStatus.APPROVED:
            running.add(ad.ad_id)
    ids = {a for a, _ in library} | {a for a, _ in ads}
    advertisers = {
        a.advertiser_id: a
        for a in session.scalars(
            select(Advertiser).where(Advertiser.advertiser_id.in_(ids)).order_by(Advertiser.name)
        )
    }
    accesses = {
        r.identity_id: r
        for r in session.scalars(
            select(AccessRequest)
            .where(
                AccessRequest.creator_id == creator_id,
                AccessRequest.status.in_([AccessStatus.ACCEPTED, AccessStatus.ENDED]),
            )
            .order_by(AccessRequest.decided_at)  # a request granted again after ending wins
        )
        if r.identity_id is not None
    }
    return _Rows(posts, dict(codes), library, dict(ads), running, advertisers, accesses)


def _use(rows: _Rows, pair: Pair, now: datetime, figures: Figures, ever_shown: int) -> BrandUse:
    """One brand's use of one post: through its library (a code) or its ads (account access)."""
    ads = rows.ads.get(pair, [])
    item = rows.library.get(pair)
    if item is not None:
        code = next(c for c in rows.codes[pair[1]] if c.authorization_id == item.authorization_id)
        through, since = Through.SPARK_CODE, item.bound_at
        state = CODE_USE[code_state(code, now)]
        if state is UseState.ACTIVE and item.unbound_at is not None:
            state = UseState.REMOVED
    else:
        access = rows.accesses.get(ads[0].identity_id)
        through = (
            Through.BUSINESS_CENTER
            if ads[0].identity_type == IdentityType.BC_AUTH_TT
            else Through.LINKED_ACCOUNT
        )
        since = ads[0].create_time
        ended = access is None or access.status == AccessStatus.ENDED
        state = UseState.REVOKED if ended else UseState.ACTIVE
    live = sum(ad.operation_status != OperationStatus.DELETE for ad in ads)
    running = sum(ad.ad_id in rows.running for ad in ads)
    if figures.impressions:
        delivery = Delivery.SHOWN
    elif ever_shown:
        delivery = Delivery.NOT_IN_PERIOD
    elif not live:
        delivery = Delivery.NO_AD
    else:
        delivery = Delivery.NOT_SHOWN_YET if running else Delivery.NOT_RUNNING
    advertiser = rows.advertisers[pair[0]]
    return BrandUse(advertiser, through, since, state, live, running, delivery, figures)


CODE_USE = {
    CodeState.AUTHORIZED: UseState.ACTIVE,
    CodeState.EXPIRED: UseState.CODE_EXPIRED,
    CodeState.REVOKED: UseState.REVOKED,
}


def _accesses(session: Session, rows: _Rows) -> list[AccountAccess]:
    """Who was given the whole account, and how many of her posts their ads use."""
    used: dict[str, set[str]] = defaultdict(set)
    for (_, item_id), ads in rows.ads.items():
        for ad in ads:
            used[ad.identity_id].add(item_id)
    found = []
    for identity_id, request in rows.accesses.items():
        of_bc = request.bc_id is not None
        owner = (
            session.get_one(BusinessCenter, request.bc_id)
            if request.bc_id is not None
            else session.get_one(Advertiser, request.advertiser_id)
        )
        assert request.decided_at is not None  # accepted
        found.append(
            AccountAccess(
                owner.name,
                Through.BUSINESS_CENTER if of_bc else Through.LINKED_ACCOUNT,
                request.decided_at,
                UseState.ACTIVE if request.status == AccessStatus.ACCEPTED else UseState.REVOKED,
                len(used[identity_id]),
            )
        )
    return sorted(found, key=lambda a: a.since, reverse=True)
