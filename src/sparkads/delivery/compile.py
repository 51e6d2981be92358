"""Compile the snapshot of live ads from the database (the only delivery module that reads it,
apart from audience members): each enabled ad group into a `Part`, then the snapshot of the
parts (`snapshot_build.assemble`, or `assemble_delta` for the ad groups a change touched).

An ad is live when it, its ad group and campaign are enabled, its Spark asset is usable now
(authorization valid, post available, identity active) and its ad group's schedule has not ended.
Ads left out are remembered with the reason, for "why was this not served"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.authorizations.models import Identity, IdentityType, LibraryItem, SparkCode
from sparkads.campaigns.ads import Asset, asset_problem
from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.models import Ad, AdGroup, Campaign, CreativePortfolio
from sparkads.campaigns.review import ReviewStatus
from sparkads.clock import as_utc
from sparkads.delivery.model import AdEntry, GroupEntry
from sparkads.delivery.reasons import Excluded
from sparkads.delivery.snapshot_build import Compiled as Compiled
from sparkads.delivery.snapshot_build import Part as Part
from sparkads.delivery.snapshot_build import assemble, assemble_delta
from sparkads.delivery.targeting import Geography, group_keys
from sparkads.money import EUR_PER_UNIT
from sparkads.posts.models import Post

# Ads not approved (campaigns/review.py) never serve.
REVIEW_REASONS = {"IN_REVIEW": Excluded.IN_REVIEW, "REJECTED": Excluded.REVIEW_REJECTED}
PROBLEM_REASONS = {
    "auth_code_expired": Excluded.AUTHORIZATION_EXPIRED,
    "auth_code_revoked": Excluded.AUTHORIZATION_REVOKED,
    "video_unavailable": Excluded.POST_UNAVAILABLE,
}


def geography() -> Geography:
    cat = catalog()
    countries = cat.locations(level="COUNTRY")
    country_id = {c.country_code: c.location_id for c in countries}
    country_of = {loc.location_id: loc.country_code for loc in cat.locations()}
    parents = {i.id: i.parent_id for i in cat.interests() if i.parent_id}
    return Geography(country_id, country_of, parents)


def priors(post: Post) -> tuple[float, float, float, float]:
    """Expected rates before the ad has history, from the post's organic engagement (R16)."""
    views = max(post.organic_views, 1)
    engagement = (post.organic_likes + post.organic_comments + post.organic_shares) / views
    ctr = min(0.05, max(0.003, 0.005 + 0.1 * engagement))
    view = min(0.7, max(0.1, 0.25 + 1.5 * engagement))
    follow = min(0.01, max(0.0002, 0.0005 + 0.02 * engagement))
    return ctr, 0.03, view, follow


def creative(
    ad: Ad,
    post: Post,
    creator: Creator,
    base_url: str,
    portfolio: CreativePortfolio | None = None,
) -> dict[str, Any]:
    """What a feed renders. An ad with a dynamic CTA portfolio shows its first call to action and
    lists them all (`call_to_actions`, in the portfolio's order) for a feed that rotates them."""
    ctas = portfolio.calls_to_action if portfolio is not None else ()
    single = (ad.call_to_action,) if ad.call_to_action else ()
    return {
        "ad_id": ad.ad_id,
        "item_id": post.item_id,
        "item_type": post.item_type,
        "caption": post.caption,
        "duration": post.duration,
        "images": post.images,
        "music": post.music_title,
        "anchors": post.anchors,
        "poster_url": f"{base_url}/media/posts/{post.item_id}/poster.svg",
        "creator": {
            "display_name": creator.display_name,
            "handle": creator.handle,
            "avatar_url": f"{base_url}/media/creators/{creator.creator_id}/avatar.svg",
        },
        "call_to_action": ctas[0] if ctas else ad.call_to_action,
        "call_to_action_id": ad.call_to_action_id if ctas else None,
        "call_to_actions": list(ctas or single),
        "landing_page_url": ad.landing_page_url,
        "label": "Sponsored",
    }


@dataclass(frozen=True)
class _Catalogue:
    """What the ads of the compiled ad groups point at, loaded in a fixed number of queries."""

    identities: dict[str, Identity]
    posts: dict[str, Post]
    library: dict[tuple[str, str], LibraryItem]  # (advertiser, post) -> bound library item
    codes: dict[str, SparkCode]
    creators: dict[str, Creator]
    portfolios: dict[str, CreativePortfolio]  # the dynamic CTA portfolios the ads name

    def asset(self, ad: Ad) -> Asset | None:
        """`campaigns.ads.ad_asset`, from memory."""
        identity = self.identities.get(ad.identity_id)
        post = self.posts.get(str(ad.tiktok_item_id))
        if identity is None or post is None:
            return None
        if identity.identity_type == IdentityType.AUTH_CODE.value:
            item = self.library.get((ad.advertiser_id, post.item_id))
            if item is None or item.identity_id != identity.identity_id:
                return None
            return Asset(post, identity, self.codes[item.authorization_id])
        if post.creator_id != identity.creator_id:
            return None
        return Asset(post, identity, None)


def _catalogue(session: Session, ads: Select[Ad]) -> _Catalogue:
    items = ads.with_only_columns(Ad.tiktok_item_id).scalar_subquery()
    bound = (LibraryItem.unbound_at.is_(None), LibraryItem.item_id.in_(items))
    library = session.scalars(select(LibraryItem).where(*bound))
    return _Catalogue(
        identities={
            i.identity_id: i
            for i in session.scalars(
                select(Identity).where(
                    Identity.identity_id.in_(ads.with_only_columns(Ad.identity_id))
                )
            )
        },
        posts={p.item_id: p for p in session.scalars(select(Post).where(Post.item_id.in_(items)))},
        library={(i.advertiser_id, i.item_id): i for i in library},
        codes={
            c.authorization_id: c
            for c in session.scalars(
                select(SparkCode).where(
                    SparkCode.authorization_id.in_(
                        select(LibraryItem.authorization_id).where(*bound)
                    )
                )
            )
        },
        creators={
            c.creator_id: c
            for c in session.scalars(
                select(Creator).where(
                    Creator.creator_id.in_(select(Post.creator_id).where(Post.item_id.in_(items)))
                )
            )
        },
        portfolios={
            p.portfolio_id: p
            for p in session.scalars(
                select(CreativePortfolio).where(
                    CreativePortfolio.portfolio_id.in_(
                        ads.with_only_columns(Ad.call_to_action_id).where(
                            Ad.call_to_action_id.is_not(None)
                        )
                    )
                )
            )
        },
    )


def _ad_entries(
    found: _Catalogue, ads: Iterable[Ad], now: datetime, base_url: str
) -> tuple[tuple[AdEntry, ...], Excluded | None]:
    entries = []
    reason: Excluded | None = None
    for ad in ads:
        if ad.review_status != ReviewStatus.APPROVED.value:
            reason = REVIEW_REASONS.get(ad.review_status, Excluded.IN_REVIEW)
            continue
        asset = found.asset(ad)
        problem = asset_problem(asset, now) if asset is not None else None
        if asset is None or problem is not None:
            reason = PROBLEM_REASONS.get(
                problem.code if problem else "", Excluded.AUTHORIZATION_LOST
            )
            continue
        ctr, cvr, view, follow = priors(asset.post)
        ends = asset.spark_code.ends_at if asset.spark_code is not None else None
        creator = found.creators[asset.post.creator_id]
        entries.append(
            AdEntry(
                ad.ad_id,
                asset.post.item_id,
                as_utc(ends).timestamp() if ends else None,
                ctr,
                cvr,
                view,
                follow,
                creative(
                    ad,
                    asset.post,
                    creator,
                    base_url,
                    found.portfolios.get(ad.call_to_action_id or ""),
                ),
            )
        )
    return tuple(entries), reason


def _version(value: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(".")) if value else ()


def _group(
    position: int,
    group: AdGroup,
    campaign: Campaign,
    advertiser: Advertiser,
    ads: tuple[AdEntry, ...],
) -> GroupEntry:
    targeting = group.targeting
    daily = group.budget if group.budget_mode == "BUDGET_MODE_DAY" else None
    lifetime = group.budget if group.budget_mode == "BUDGET_MODE_TOTAL" else None
    campaign_daily = campaign.budget if campaign.budget_mode == "BUDGET_MODE_DAY" else None
    price = targeting.get("device_price_ranges") or []
    window = (group.frequency_schedule or 1) * 86_400.0
    return GroupEntry(
        index=position,
        adgroup_id=group.adgroup_id,
        campaign_id=campaign.campaign_id,
        advertiser_id=advertiser.advertiser_id,
        eur_rate=EUR_PER_UNIT.get(advertiser.currency, 1.0),
        goal=group.optimization_goal,
        billing=group.billing_event,
        bid_type=group.bid_type,
        bid=(group.conversion_bid_price if group.billing_event == "OCPM" else group.bid_price) or 0,
        daily_budget=daily,
        lifetime_budget=lifetime,
        campaign_daily_budget=campaign_daily,
        start=as_utc(group.schedule_start_time).timestamp(),
        end=as_utc(group.schedule_end_time).timestamp() if group.schedule_end_time else None,
        dayparting=group.dayparting,
        timezone=ZoneInfo(advertiser.timezone),
        frequency=group.frequency,
        frequency_window=window,
        min_os_version={
            k: v
            for k, v in (
                ("ANDROID", _version(targeting.get("min_android_version"))),
                ("IOS", _version(targeting.get("min_ios_version"))),
            )
            if v
        },
        price_range=(price[0], price[1]) if len(price) == 2 else None,
        included_audiences=frozenset(targeting.get("audience_ids", [])),
        excluded_audiences=frozenset(targeting.get("excluded_audience_ids", [])),
        pacing_smooth=group.pacing == "PACING_MODE_SMOOTH",
        ads=ads,
    )


CHUNK = 500  # ad groups per query set when a delta names them


def compile_parts(
    session: Session,
    now: datetime,
    base_url: str,
    geo: Geography,
    adgroup_ids: Collection[str] | None = None,
) -> dict[str, Part]:
    """The parts of every enabled ad group (`adgroup_ids` None), or of these ad groups only (those
    not enabled any more are absent). Eight queries per call (per CHUNK named ad groups), whatever
    the number of ads."""
    if adgroup_ids is not None:
        ids = sorted(adgroup_ids)
        parts: dict[str, Part] = {}
        for start in range(0, len(ids), CHUNK):
            parts.update(_compile_parts(session, now, base_url, geo, ids[start : start + CHUNK]))
        return parts
    return _compile_parts(session, now, base_url, geo, None)


def _compile_parts(
    session: Session, now: datetime, base_url: str, geo: Geography, adgroup_ids: list[str] | None
) -> dict[str, Part]:
    enabled = (AdGroup.operation_status == "ENABLE", Campaign.operation_status == "ENABLE")
    named = () if adgroup_ids is None else (AdGroup.adgroup_id.in_(adgroup_ids),)
    rows = session.execute(
        select(AdGroup, Campaign, Advertiser)
        .join(Campaign, Campaign.campaign_id == AdGroup.campaign_id)
        .join(Advertiser, Advertiser.advertiser_id == AdGroup.advertiser_id)
        .where(*enabled, *named)
    ).all()
    live = select(AdGroup.adgroup_id).join(Campaign, Campaign.campaign_id == AdGroup.campaign_id)
    ads = select(Ad).where(
        Ad.operation_status == "ENABLE", Ad.adgroup_id.in_(live.where(*enabled, *named))
    )
    ads_by_group: dict[str, list[Ad]] = defaultdict(list)
    # Creation order (not random ids): the same world gives the same snapshot, hence the same
    # decisions for a seed.
    for ad in session.scalars(ads.order_by(Ad.create_time, Ad.ad_id)):
        ads_by_group[ad.adgroup_id].append(ad)
    found = _catalogue(session, ads)
    parts = {}
    for group, campaign, advertiser in rows:
        order = (group.create_time, group.adgroup_id)
        targeting = group.targeting
        if group.schedule_end_time is not None and as_utc(group.schedule_end_time) <= now:
            parts[group.adgroup_id] = Part(order, None, targeting, Excluded.SCHEDULE)
            continue
        entries, reason = _ad_entries(found, ads_by_group.get(group.adgroup_id, []), now, base_url)
        if not entries:
            parts[group.adgroup_id] = Part(order, None, targeting, reason or Excluded.NO_ADS)
            continue
        entry = _group(-1, group, campaign, advertiser, entries)  # live: some ad can serve, so
        # the ads left out (`reason`) do not make the group excluded; each ad says its own status
        parts[group.adgroup_id] = Part(order, entry, targeting, None, group_keys(targeting, geo))
    return parts


def compile_snapshot(
    session: Session, now: datetime, base_url: str, version: int, geo: Geography | None = None
) -> Compiled:
    """The whole snapshot, from the database in a fixed number of queries."""
    geo = geo or geography()
    return assemble(session, compile_parts(session, now, base_url, geo), now, version, geo)


def apply_changes(
    compiled: Compiled,
    session: Session,
    adgroup_ids: Collection[str],
    now: datetime,
    base_url: str,
    version: int,
    geo: Geography,
) -> Compiled:
    """`compiled` with these ad groups compiled again (a delta): the same snapshot as a full
    compile would give, as long as every change since `compiled` touched only these ad groups."""
    fresh = compile_parts(session, now, base_url, geo, adgroup_ids)
    return assemble_delta(session, compiled, adgroup_ids, fresh, now, version, geo)
