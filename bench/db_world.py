"""A live world in a real, migrated database, built through the domain services the APIs call
(as tests/factories does): creators publish posts and authorize them (Spark codes), advertisers
apply the codes, then create campaigns, ad groups (targeting from bench.world) and Spark ads."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bench.world import Catalogue, GroupSpec, group_specs
from sparkads.accounts import service as accounts
from sparkads.accounts.models import TokenScope
from sparkads.api.open_api.ad_schemas import AdCreate
from sparkads.api.open_api.campaign_schemas import AdGroupCreate, CampaignCreate
from sparkads.api.open_api.commands import new_adgroup, new_campaign, new_creatives
from sparkads.authorizations.library import apply_code
from sparkads.authorizations.spark_codes import enable_authorization
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.campaigns.adgroups import create_adgroup
from sparkads.campaigns.ads import create_ads
from sparkads.campaigns.service import create_campaign
from sparkads.clock import Clock
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.money import MICROS
from sparkads.posts.schemas import OrganicStats, PostCreate
from sparkads.posts.service import publish_post

PROMOTION = {
    "TRAFFIC": "WEBSITE",
    "WEB_CONVERSIONS": "WEBSITE",
    "LEAD_GENERATION": "WEBSITE",
    "APP_PROMOTION": "APP_ANDROID",
}
POSTS_PER_CREATOR = 5


@dataclass
class DbWorld:
    url: str
    feed_token: str
    groups: int
    ads: int
    posts: int


def _units(micros: int) -> Decimal:
    return (Decimal(micros) / MICROS).quantize(Decimal("0.01"))


def _adgroup_body(spec: GroupSpec, advertiser_id: str, campaign_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "advertiser_id": advertiser_id,
        "campaign_id": campaign_id,
        "adgroup_name": f"bench group {spec.index}",
        "placement_type": "PLACEMENT_TYPE_NORMAL",
        "placements": ["PLACEMENT_TIKTOK"],
        "budget_mode": "BUDGET_MODE_DAY",
        "budget": _units(spec.daily_budget),
        "schedule_type": "SCHEDULE_FROM_NOW",
        "optimization_goal": spec.goal,
        "billing_event": spec.billing,
        "bid_type": spec.bid_type,
        "pacing": "PACING_MODE_SMOOTH" if spec.smooth else "PACING_MODE_FAST",
        **spec.targeting,
    }
    if spec.objective in PROMOTION:
        body["promotion_type"] = PROMOTION[spec.objective]
    if spec.bid_type == "BID_TYPE_CUSTOM":
        key = "conversion_bid_price" if spec.billing == "OCPM" else "bid_price"
        body[key] = _units(spec.bid)
    if spec.dayparting:
        body["dayparting"] = spec.dayparting
    if spec.frequency:
        body["frequency"] = spec.frequency
        body["frequency_schedule"] = spec.frequency_schedule
    return body


def build(
    url: str, groups: int, clock: Clock, cat: Catalogue, seed: int = 11
) -> tuple[DbWorld, list[GroupSpec]]:
    """Migrate `url` and fill it with `groups` live ad groups (one Spark ad each)."""
    migrate.upgrade(url)
    engine = make_engine(url)
    uow_factory = UnitOfWorkFactory(engine)
    rng = random.Random(seed)
    n_posts = max(20, groups // 10)
    specs = group_specs(groups, rng, cat, posts=n_posts, ads_per_group=1)
    throttle = FailureThrottle(10**9, timedelta(seconds=1))
    with uow_factory() as uow:
        session = uow.session
        codes, items = [], []
        for c in range(n_posts // POSTS_PER_CREATOR):
            creator = accounts.create_creator(
                session,
                clock,
                handle=f"bench_creator{c}",
                display_name=f"Bench Creator {c}",
                country="FR",
                sector="food",
                followers=5_000 + 1_000 * c,
            )
            for p in range(POSTS_PER_CREATOR):
                views = rng.randint(2_000, 200_000)
                post = publish_post(
                    session,
                    clock,
                    creator_id=creator.creator_id,
                    data=PostCreate(
                        caption=f"Bench post {c}-{p} #recipe",
                        duration=rng.choice((9.0, 12.0, 15.0)),
                        organic=OrganicStats(
                            views=views,
                            likes=int(views * rng.uniform(0.01, 0.12)),
                            comments=int(views * rng.uniform(0.0, 0.01)),
                            shares=int(views * rng.uniform(0.0, 0.01)),
                        ),
                    ).command(),
                )
                _, code, _ = enable_authorization(
                    session,
                    clock,
                    creator_id=creator.creator_id,
                    item_id=post.item_id,
                    duration_days=365,
                )
                codes.append(code)
                items.append(post.item_id)
        advertisers: dict[int, Any] = {}
        campaigns: dict[int, str] = {}
        identities: dict[tuple[int, int], str] = {}  # (advertiser, post) -> identity id
        for spec in specs:
            adv = advertisers.get(spec.advertiser)
            if adv is None:
                adv = advertisers[spec.advertiser] = accounts.create_advertiser(
                    session,
                    clock,
                    name=f"Bench brand {spec.advertiser}",
                    currency=spec.currency,
                    timezone=spec.timezone,
                )
            if spec.campaign not in campaigns:
                campaign = create_campaign(
                    session,
                    clock,
                    adv,
                    new_campaign(
                        CampaignCreate.model_validate(
                            {
                                "advertiser_id": adv.advertiser_id,
                                "campaign_name": f"bench campaign {spec.campaign}",
                                "objective_type": spec.objective,
                                "budget_mode": "BUDGET_MODE_DAY",
                                "budget": _units(spec.campaign_daily_budget),
                            }
                        )
                    ),
                )
                campaigns[spec.campaign] = campaign.campaign_id
            group = create_adgroup(
                session,
                clock,
                adv,
                new_adgroup(
                    AdGroupCreate.model_validate(
                        _adgroup_body(spec, adv.advertiser_id, campaigns[spec.campaign])
                    )
                ),
            )
            post = spec.ads[0].item
            identity = identities.get((spec.advertiser, post))
            if identity is None:
                item = apply_code(session, clock, throttle, advertiser=adv, auth_code=codes[post])
                identity = identities[(spec.advertiser, post)] = item.identity_id
            creative: dict[str, Any] = {
                "identity_type": "AUTH_CODE",
                "identity_id": identity,
                "tiktok_item_id": items[post],
                "ad_format": "SINGLE_VIDEO",
            }
            if spec.objective in PROMOTION:
                creative["call_to_action"] = (
                    "DOWNLOAD_NOW" if spec.objective == "APP_PROMOTION" else "LEARN_MORE"
                )
                creative["landing_page_url"] = f"https://brand{spec.advertiser}.example.com/p"
            create_ads(
                session,
                clock,
                adv,
                group.adgroup_id,
                new_creatives(
                    AdCreate.model_validate(
                        {
                            "advertiser_id": adv.advertiser_id,
                            "adgroup_id": group.adgroup_id,
                            "creatives": [creative],
                        }
                    )
                ),
                auto_approve=True,  # the bench's world serves at once, as a sandbox does
            )
        feed_token = accounts.issue_token(
            session, clock, scope=TokenScope.FEED, subject_id="bench-feed"
        )
        uow.commit()
    engine.dispose()
    checkpoint(url)
    return DbWorld(url, feed_token, len(specs), len(specs), n_posts), specs


def checkpoint(url: str) -> None:
    """Fold the WAL into the database file, so the file alone can be copied."""
    if not url.startswith("sqlite"):
        return  # PostgreSQL: nothing to fold
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
