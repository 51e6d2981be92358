"""Compile the snapshot of live ads from the database (the only delivery module that reads it).

An ad is live when it, its ad group and campaign are enabled, its Spark asset is usable now
(authorization valid, post available, identity active) and its ad group's schedule has not ended.
Ads left out are remembered with the reason, for "why was this not served"."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.audiences.membership import memberships
from sparkads.campaigns.ads import ad_asset, asset_problem
from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import as_utc
from sparkads.delivery.columns import columns_of
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot
from sparkads.delivery.targeting import Geography, TargetingIndex
from sparkads.money import EUR_PER_UNIT
from sparkads.posts.models import Post

PROBLEM_REASONS = {
    "auth_code_expired": "authorization_expired",
    "auth_code_revoked": "authorization_revoked",
    "video_unavailable": "post_unavailable",
}


@dataclass
class Compiled:
    snapshot: Snapshot
    excluded: dict[str, str] = field(default_factory=dict)  # adgroup_id -> reason


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


def creative(ad: Ad, post: Post, creator: Creator, base_url: str) -> dict[str, Any]:
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
        "call_to_action": ad.call_to_action,
        "landing_page_url": ad.landing_page_url,
        "label": "Sponsored",
    }


def _ad_entries(
    session: Session,
    ads: Iterable[Ad],
    now: datetime,
    base_url: str,
    excluded: dict[str, str],
    adgroup_id: str,
) -> tuple[AdEntry, ...]:
    entries = []
    for ad in ads:
        asset = ad_asset(session, ad)
        problem = asset_problem(asset, now) if asset is not None else None
        if asset is None or problem is not None:
            excluded[adgroup_id] = PROBLEM_REASONS.get(
                problem.code if problem else "", "authorization_lost"
            )
            continue
        ctr, cvr, view, follow = priors(asset.post)
        ends = asset.spark_code.ends_at if asset.spark_code is not None else None
        creator = session.get_one(Creator, asset.post.creator_id)
        entries.append(
            AdEntry(
                ad.ad_id,
                asset.post.item_id,
                as_utc(ends).timestamp() if ends else None,
                ctr,
                cvr,
                view,
                follow,
                creative(ad, asset.post, creator, base_url),
            )
        )
    return tuple(entries)


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


def compile_snapshot(
    session: Session, now: datetime, base_url: str, version: int, geo: Geography | None = None
) -> Compiled:
    rows = session.execute(
        select(AdGroup, Campaign, Advertiser)
        .join(Campaign, Campaign.campaign_id == AdGroup.campaign_id)
        .join(Advertiser, Advertiser.advertiser_id == AdGroup.advertiser_id)
        .where(AdGroup.operation_status == "ENABLE", Campaign.operation_status == "ENABLE")
        .order_by(AdGroup.create_time, AdGroup.adgroup_id)
    ).all()
    ads_by_group: dict[str, list[Ad]] = defaultdict(list)
    # Creation order (not random ids): the same world gives the same snapshot, hence the same
    # decisions for a seed.
    for ad in session.scalars(
        select(Ad).where(Ad.operation_status == "ENABLE").order_by(Ad.create_time, Ad.ad_id)
    ):
        ads_by_group[ad.adgroup_id].append(ad)
    excluded: dict[str, str] = {}
    groups: list[GroupEntry] = []
    for group, campaign, advertiser in rows:
        if group.schedule_end_time is not None and as_utc(group.schedule_end_time) <= now:
            excluded[group.adgroup_id] = "schedule"
            continue
        entries = _ad_entries(
            session,
            ads_by_group.get(group.adgroup_id, []),
            now,
            base_url,
            excluded,
            group.adgroup_id,
        )
        if not entries:
            excluded.setdefault(group.adgroup_id, "no_ads")
            continue
        groups.append(_group(len(groups), group, campaign, advertiser, entries))
    geo = geo or geography()
    by_id = {row[0].adgroup_id: row[0].targeting for row in rows}
    targetings = tuple(by_id[g.adgroup_id] for g in groups)
    audience_ids = {a for g in groups for a in g.included_audiences | g.excluded_audiences}
    snapshot = Snapshot(
        groups=tuple(groups),
        index=TargetingIndex.build(targetings, geo),
        version=version,
        built_at=time.time(),
        audience_members=memberships(session, audience_ids, now),
        targetings=targetings,
    )
    columns_of(snapshot)  # here, not in the first request that decides on it
    return Compiled(snapshot, excluded)
