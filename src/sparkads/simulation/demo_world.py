"""The demo world's marketplace and audiences, seeded through the domains as `world` seeds
campaigns (the synthetic world writes in the CLI's one transaction, like the simulator; the
product's surfaces go through the service layer)."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.audiences.models import Audience
from sparkads.audiences.schemas import LookalikeCreate, RuleCreate
from sparkads.clock import Clock
from sparkads.marketplace import audience_builder
from sparkads.marketplace import service as marketplace
from sparkads.marketplace.commands import Profile
from sparkads.money import to_micros
from sparkads.simulation.world import World

LANGUAGE_OF = {"FR": "fr", "DE": "de", "GB": "en", "ES": "es", "IT": "it", "US": "en"}


def open_marketplace(session: Session, clock: Clock, world: World, seed: int) -> None:
    """Most demo creators opt in to the marketplace, at a fee that grows with their followers, so
    Ads Manager → Creators has a field to search and rank (R18)."""
    rng = random.Random(seed)
    for index, creator in enumerate(world.creators):
        if index % 6 == 5:
            continue  # a few stay out of the marketplace
        fee = max(50, round(creator.followers * rng.uniform(0.004, 0.012), -1))
        profile = Profile(
            sector=creator.sector, countries=(creator.country,),
            languages=(LANGUAGE_OF.get(creator.country, "en"),), asking_fee=to_micros(fee),
        )  # fmt: skip
        marketplace.save_profile(session, clock, creator_id=creator.creator_id, data=profile)


def demo_audiences(
    session: Session, clock: Clock, advertiser: Advertiser
) -> tuple[Audience, Audience]:
    """Audiences built as an advertiser builds them, from the week's traffic (profiles) and
    events: everyone who saw the brand's ads, and a lookalike of them in its countries."""
    impressions = {"retention_days": 30, "filter_set": {"operator": "OR", "filters": [
        {"field": "EVENT", "operator": "EQ", "value": "IMPRESSION"}]}}  # fmt: skip
    seen = audience_builder.create_rule_audience(
        session,
        clock,
        advertiser,
        RuleCreate.model_validate(
            {"advertiser_id": advertiser.advertiser_id,
             "custom_audience_name": "Saw our Spark ads (30 days)",
             "rule_spec": {"include_rule_set": {"operator": "OR", "rules": [impressions]}}}
        ).command(),
    )  # fmt: skip
    like = audience_builder.create_lookalike(
        session,
        clock,
        advertiser,
        LookalikeCreate.model_validate(
            {"advertiser_id": advertiser.advertiser_id,
             "custom_audience_name": "Like our viewers (FR, DE)",
             "lookalike_spec": {"source_audience_id": seen.audience_id,
                                "location_ids": ["3017382", "2921044"], "audience_share": 10}}
        ).command(),
    )  # fmt: skip
    return seen, like
