"""A believable demo world, deterministic for a seed: creators across sectors, countries and tiers
with posts of varied length and engagement; a brand's Business Center with advertisers in three
markets; Spark codes in every state (active, expiring, expired, revoked); campaigns with different
objectives and bid types. Built through the same application services the APIs use (accounts,
posts, Spark codes, the creative library, campaigns), their units of work nested in the world's
one transaction (`WorldUnits`): the caller commits the world, or leaves it unwritten."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter, Creator, TokenScope
from sparkads.accounts.principal import Principal
from sparkads.authorizations.models import IdentityType
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.commands import AdGroupPlan, NewAdGroup, NewCampaign, NewCreative
from sparkads.campaigns.enums import (
    AdFormat,
    BillingEvent,
    BudgetMode,
    Objective,
    OptimizationGoal,
    PromotionType,
    ScheduleType,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.money import to_micros
from sparkads.posts.models import Post
from sparkads.posts.schemas import PostCreate
from sparkads.services import accounts, authorizations, posts
from sparkads.services.campaigns import Campaigns


class WorldUnits:
    """Units of work for the services, all in the world's session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.session, nested=True)


def brand(world: World) -> Principal:
    """The brand's Business Center, as the services check who acts (it owns every ad account)."""
    return Principal(TokenScope.BUSINESS_CENTER, world.business_center.bc_id, "simulator")


SECTORS = ("beauty", "food", "gaming", "fitness", "travel", "tech", "fashion", "pets")
COUNTRIES = ("FR", "DE", "GB", "ES", "IT", "US")
TIERS = (
    ("nano", 1_000, 10_000),
    ("micro", 10_000, 100_000),
    ("mid", 100_000, 500_000),
    ("macro", 500_000, 1_000_000),
    ("mega", 1_000_000, 5_000_000),
)
FIRST_NAMES = (
    "lea",
    "max",
    "ines",
    "tom",
    "sofia",
    "luca",
    "emma",
    "noah",
    "zoe",
    "hugo",
    "mia",
    "leon",
    "nina",
    "paul",
    "ana",
    "omar",
    "lily",
    "jon",
    "eva",
    "sam",
    "clara",
    "ravi",
    "julia",
    "theo",
)
CAPTIONS = {
    "beauty": ("5-minute no-makeup makeup", "My honest review of this serum", "Glow routine"),
    "food": ("Crêpes in 12 seconds", "One-pan pasta for busy nights", "Street food tour"),
    "gaming": ("This boss took me 40 tries", "Budget gaming setup", "Speedrun highlights"),
    "fitness": ("10-minute core, no equipment", "What I eat before the gym", "Form check"),
    "travel": ("3 days in Lisbon for 300 €", "Hidden beach you must see", "Packing hacks"),
    "tech": ("Unboxing the new phone", "3 apps I use daily", "Desk setup tour"),
    "fashion": ("One jacket, five looks", "Thrift haul", "Capsule wardrobe basics"),
    "pets": ("My dog reacts to snow", "Cat vs laser, round 12", "Puppy training day 1"),
}
MARKETS = (
    ("Maison Verte - FR", "EUR", "Europe/Paris", "FR"),
    ("Maison Verte - DE", "EUR", "Europe/Berlin", "DE"),
    ("Maison Verte - UK", "GBP", "Europe/London", "GB"),
)


@dataclass
class World:
    business_center: BusinessCenter
    advertisers: list[Advertiser]
    creators: list[Creator]
    posts: dict[str, list[Post]] = field(default_factory=dict)  # creator_id -> posts
    codes: dict[str, str] = field(default_factory=dict)  # item_id -> code (plaintext, demo only)
    code_states: dict[str, str] = field(default_factory=dict)  # item_id -> planned state


def _creator(units: WorldUnits, clock: TestClock, rng: random.Random, index: int) -> Creator:
    sector, country = SECTORS[index % len(SECTORS)], COUNTRIES[index % len(COUNTRIES)]
    tier, low, high = TIERS[min(index % 7, len(TIERS) - 1)] if index % 7 < 5 else TIERS[1]
    followers = int(low * (high / low) ** rng.random())
    name = FIRST_NAMES[index % len(FIRST_NAMES)]
    return accounts.create_creator(
        units,
        clock,
        accounts.Opening(token=False),
        handle=f"{name}.{sector}{index}",
        display_name=f"{name.title()} {sector}",
        country=country,
        sector=sector,
        followers=followers,
        bio=f"{tier} {sector} creator from {country}",
    ).account


def _posts(units: WorldUnits, clock: TestClock, rng: random.Random, creator: Creator) -> list[Post]:
    made = []
    for number in range(rng.randint(3, 5)):
        reach = max(500, int(creator.followers * rng.uniform(0.3, 3.0)))
        engagement = rng.uniform(0.02, 0.14) * (1.6 if creator.followers < 100_000 else 1.0)
        likes = int(reach * engagement)
        caption = f"{rng.choice(CAPTIONS[creator.sector])} #{creator.sector}"
        carousel = number == 3 and creator.sector in ("fashion", "travel", "food")
        data: dict[str, object] = {
            "caption": caption,
            "organic": {
                "views": reach,
                "likes": likes,
                "comments": likes // rng.randint(8, 25),
                "shares": likes // rng.randint(5, 15),
            },
        }
        if carousel:
            data.update(
                item_type="CAROUSEL",
                images=[
                    {"url": f"https://img.invalid/{creator.handle}/{number}/{i}.jpg"}
                    for i in range(4)
                ],
            )
        else:
            data["duration"] = round(rng.choice((7.5, 9.0, 11.0, 12.5, 14.0, 18.0, 27.0, 45.0)), 1)
        if number == 1:
            cleared = rng.random() < 0.6
            data["music"] = {
                "title": "Sunny Loop" if cleared else "Chart Hit",
                "cleared_for_commercial_use": cleared,
            }
        made.append(
            posts.publish(
                units,
                clock,
                creator_id=creator.creator_id,
                data=PostCreate.model_validate(data).command(),
            )
        )
        clock.advance(timedelta(minutes=rng.randint(5, 30)))
    return made


def build_world(session: Session, clock: TestClock, seed: int = 7, creators: int = 24) -> World:
    """Accounts, posts and codes; the clock moves as things happen (codes of different ages)."""
    rng, units = random.Random(seed), WorldUnits(session)
    tokenless = accounts.Opening(token=False)
    bc = accounts.create_business_center(
        units, clock, tokenless, name="Maison Verte Group", company="Maison Verte SAS"
    ).account
    advertisers = [
        accounts.create_advertiser(
            units, clock, tokenless, name=name, currency=currency, timezone=zone, bc_id=bc.bc_id
        ).account
        for name, currency, zone, _ in MARKETS
    ]
    world = World(bc, advertisers, [])
    for index in range(creators):
        creator = _creator(units, clock, rng, index)
        world.creators.append(creator)
        world.posts[creator.creator_id] = _posts(units, clock, rng, creator)
    return world


def _code(
    units: WorldUnits, clock: TestClock, world: World, post: Post, days: int, state: str
) -> str:
    code = authorizations.generate_code(
        units, clock, creator_id=post.creator_id, item_id=post.item_id, duration_days=days
    ).code
    world.codes[post.item_id], world.code_states[post.item_id] = code, state
    return code


def launch_campaigns(session: Session, clock: TestClock, world: World, seed: int = 7) -> None:
    """Codes applied into each market's library, and one campaign per objective and bid type."""
    rng = random.Random(seed + 1)
    throttle = FailureThrottle(100, timedelta(minutes=1))
    plans = (
        ("TRAFFIC", "CLICK", "CPC", {"bid_price": 0.45}, "WEBSITE", ("food", "beauty")),
        ("VIDEO_VIEWS", "ENGAGED_VIEW", "CPV", {"bid_price": 0.04}, None, ("gaming", "tech")),
        (
            "ENGAGEMENT",
            "FOLLOWERS",
            "OCPM",
            {"conversion_bid_price": 0.9},
            None,
            ("fitness", "pets"),
        ),
        ("REACH", "REACH", "CPM", {"bid_price": 3.5}, None, ("travel", "fashion")),
        (
            "WEB_CONVERSIONS",
            "CONVERT",
            "OCPM",
            {"conversion_bid_price": 14.0},
            "WEBSITE",
            ("beauty", "fashion"),
        ),
    )
    for market_index, (advertiser, market) in enumerate(
        zip(world.advertisers, MARKETS, strict=True)
    ):
        country = market[3]
        location = next(
            loc.location_id
            for loc in catalog().locations(level="COUNTRY")
            if loc.country_code == country
        )
        for plan_index, (objective, goal, billing, bid, promotion, sectors) in enumerate(plans):
            if (plan_index + market_index) % 5 == 4:
                continue  # not every market runs every objective
            posts = [
                p
                for c in world.creators
                if c.sector in sectors
                for p in world.posts[c.creator_id]
                if p.item_type == "VIDEO"
            ][:3]
            if not posts:
                continue
            _campaign(
                WorldUnits(session),
                clock,
                world,
                advertiser,
                rng,
                objective,
                goal,
                billing,
                bid,
                promotion,
                sectors,
                location,
                posts,
                throttle,
            )


def _campaign(
    units: WorldUnits,
    clock: TestClock,
    world: World,
    advertiser: Advertiser,
    rng: random.Random,
    objective: str,
    goal: str,
    billing: str,
    bid: dict[str, float],
    promotion: str | None,
    sectors: tuple[str, ...],
    location: str,
    posts: list[Post],
    throttle: FailureThrottle,
) -> None:
    clock.advance(timedelta(minutes=5))
    minimum = {"GBP": 45}.get(advertiser.currency, 50)
    # a simulated world has no reviewer: its ads pass the rules
    service, who = Campaigns(units, clock, auto_approve=True), brand(world)
    campaign = service.create_campaign(
        who,
        advertiser.advertiser_id,
        NewCampaign(
            campaign_name=f"{objective.replace('_', ' ').title()} - {' & '.join(sectors)}",
            objective_type=Objective(objective),
            budget_mode=BudgetMode.DAY,
            budget=to_micros(minimum * 3),
        ),
    )
    interests = [i.id for s in sectors if (i := catalog().interest_for_sector(s)) is not None]
    capped = billing == "CPM"
    group = service.create_adgroup(
        who,
        advertiser.advertiser_id,
        NewAdGroup(
            campaign_id=campaign.campaign_id,
            adgroup_name=f"{sectors[0]} fans",
            promotion_type=PromotionType(promotion) if promotion else None,
            budget_mode=BudgetMode.DAY,
            schedule_type=ScheduleType.FROM_NOW,
            optimization_goal=OptimizationGoal(goal),
            billing_event=BillingEvent(billing),
            plan=AdGroupPlan(
                targeting={
                    "location_ids": [location],
                    "interest_category_ids": interests if rng.random() < 0.7 else [],
                    "age_groups": ["AGE_18_24", "AGE_25_34"] if rng.random() < 0.5 else [],
                },
                budget=to_micros(minimum * 2 // 2 + 40),
                frequency=4 if capped else None,
                frequency_schedule=1 if capped else None,
                bid_price=to_micros(bid["bid_price"]) if "bid_price" in bid else None,
                conversion_bid_price=to_micros(bid["conversion_bid_price"])
                if "conversion_bid_price" in bid
                else None,
            ),
        ),
    )
    creatives = []
    for number, post in enumerate(posts):
        code = world.codes.get(post.item_id)
        if code is None:
            days, state = (7, "expiring") if number == 2 else (60 if number else 365, "active")
            code = _code(units, clock, world, post, days, state)
        item = authorizations.apply_code(
            units, clock, throttle, who, advertiser_id=advertiser.advertiser_id, auth_code=code
        )
        creatives.append(
            NewCreative(
                identity_type=IdentityType.AUTH_CODE,
                identity_id=item.identity_id,
                tiktok_item_id=post.item_id,
                ad_format=AdFormat.SINGLE_VIDEO,
                call_to_action="SHOP_NOW" if promotion else "LEARN_MORE",
                landing_page_url=f"https://maisonverte.example.com/{post.item_id[-6:]}"
                if promotion
                else None,
            )
        )
    for creative in creatives:  # one at a time, a minute apart: a stable order for a seed
        clock.advance(timedelta(minutes=1))
        service.create_ads(who, advertiser.advertiser_id, group.adgroup_id, [creative])


def settle_code_states(session: Session, clock: TestClock, world: World) -> None:
    """A code revoked by its creator, and one issued long ago that has expired."""
    candidates = [
        p
        for c in world.creators
        for p in world.posts[c.creator_id]
        if p.item_id not in world.codes and p.item_type == "VIDEO"
    ]
    if len(candidates) >= 2:
        revoked, units = candidates[0], WorldUnits(session)
        code = _code(units, clock, world, revoked, 30, "revoked")
        authorizations.revoke_code(units, clock, creator_id=revoked.creator_id, ref=code)
        _code(units, clock, world, candidates[1], 7, "expired")
