"""The demo world's marketplace and audiences, seeded through the application services as `world`
seeds campaigns (their units of work nested in the CLI's one transaction: `WorldUnits`)."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, TokenScope
from sparkads.accounts.principal import Principal
from sparkads.audiences.models import Audience
from sparkads.audiences.schemas import LookalikeCreate, RuleCreate
from sparkads.clock import Clock
from sparkads.marketplace.commands import Profile
from sparkads.money import to_micros
from sparkads.services import audiences, marketplace
from sparkads.simulation.world import World, WorldUnits

LANGUAGE_OF = {"FR": "fr", "DE": "de", "GB": "en", "ES": "es", "IT": "it", "US": "en"}


def open_marketplace(session: Session, clock: Clock, world: World, seed: int) -> None:
    """Most demo creators opt in to the marketplace, at a fee that grows with their followers, so
    Ads Manager → Creators has a field to search and rank (R18)."""
    rng, units = random.Random(seed), WorldUnits(session)
    for index, creator in enumerate(world.creators):
        if index % 6 == 5:
            continue  # a few stay out of the marketplace
        fee = max(50, round(creator.followers * rng.uniform(0.004, 0.012), -1))
        profile = Profile(
            sector=creator.sector, countries=(creator.country,),
            languages=(LANGUAGE_OF.get(creator.country, "en"),), asking_fee=to_micros(fee),
        )  # fmt: skip
        marketplace.save_profile(units, clock, creator_id=creator.creator_id, data=profile)


def demo_audiences(
    session: Session, clock: Clock, advertiser: Advertiser
) -> tuple[Audience, Audience]:
    """Audiences built as an advertiser builds them, from the week's traffic (profiles) and
    events: everyone who saw the brand's ads, and a lookalike of them in its countries."""
    impressions = {"retention_days": 30, "filter_set": {"operator": "OR", "filters": [
        {"field": "EVENT", "operator": "EQ", "value": "IMPRESSION"}]}}  # fmt: skip
    account = advertiser.advertiser_id
    units, who = WorldUnits(session), Principal(TokenScope.ADVERTISER, account, "simulator")
    rule = RuleCreate.model_validate(
        {"advertiser_id": account, "custom_audience_name": "Saw our Spark ads (30 days)",
         "rule_spec": {"include_rule_set": {"operator": "OR", "rules": [impressions]}}}
    )  # fmt: skip
    seen = audiences.create(units, clock, who, advertiser_id=account, definition=rule.command())
    lookalike = LookalikeCreate.model_validate(
        {"advertiser_id": account, "custom_audience_name": "Like our viewers (FR, DE)",
         "lookalike_spec": {"source_audience_id": seen.audience_id,
                            "location_ids": ["3017382", "2921044"], "audience_share": 10}}
    )  # fmt: skip
    like = audiences.create(
        units, clock, who, advertiser_id=account, definition=lookalike.command()
    )
    return seen, like
