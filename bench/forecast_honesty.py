"""How honest are forecasts? Forecast a new ad group's day in a simulated world, then create it for
real, simulate a week of traffic through the engine and the event intake, and compare the daily
averages with the forecast ranges. Run: `python -m bench.forecast_honesty`."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from sparkads.authorizations.models import LibraryItem
from sparkads.campaigns import adgroups, ads
from sparkads.campaigns.schemas import AdCreate, AdGroupCreate, Creative
from sparkads.campaigns.service import list_campaigns
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.delivery.compile import geography
from sparkads.events.models import Event, SpendEntry
from sparkads.simulation import population as synthetic
from sparkads.simulation.forecast import Draft, forecast
from sparkads.simulation.simulator import post_profiles, simulate
from sparkads.simulation.traffic import open_in_process
from sparkads.simulation.world import build_world, launch_campaigns

SEED, VIEWERS, PER_DAY, DAYS = 7, 50_000, 12_000, 7
# Runs of the forecast (seeds SEED, SEED + 1, ...). A small CPC ad group facing a competitor with the
# same audience has two outcomes, decided by its clicks in the first few hundred impressions: it
# wins the interested viewers (its click estimate rises) or loses them to the competitor and is
# left with the others (its estimate falls). Over 12 seeds the week averaged 221-874 impressions a
# day, in two clusters; 3 runs (seeds 7-9) all fell in the upper one, so the range missed the lower.
RUNS = 8
TARGETING = {"location_ids": ["3017382"], "age_groups": ["AGE_18_24", "AGE_25_34"]}


def main() -> dict[str, Any]:
    path = Path(tempfile.mkdtemp()) / "honesty.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    clock = TestClock(datetime(2026, 11, 2, 6, tzinfo=UTC))
    transport = open_in_process(url, clock, SEED)
    with transport.uow() as uow:
        world = build_world(uow.session, clock, SEED)
        launch_campaigns(uow.session, clock, world, SEED)
        uow.commit()
        profiles = post_profiles(uow.session)
        advertiser = world.advertisers[0]
        campaign_id = next(
            c
            for c in list_campaigns(uow.session, advertiser.advertiser_id)
            if c.objective_type == "TRAFFIC"
        ).campaign_id
        item = next(item for item, state in world.code_states.items() if state == "active")
    people = synthetic.generate(VIEWERS, SEED)
    draft = Draft(
        targeting=TARGETING,
        goal="CLICK",
        billing="CPC",
        bid_type="BID_TYPE_CUSTOM",
        bid=600_000,
        daily_budget=40_000_000,
        eur_rate=1.0,
        timezone=ZoneInfo(advertiser.timezone),
        post=profiles[item],
    )
    predicted = forecast(
        transport.store.snapshot,
        people,
        profiles,
        draft,
        geography(),
        start=clock.now(),
        requests_per_day=PER_DAY,
        runs=RUNS,
        days=DAYS,
        history=transport.counters.stats_snapshot(),
        seed=SEED,
    )
    # Now create it for real and live through a week of traffic.
    with transport.uow() as uow:
        adv = uow.session.merge(advertiser)
        group = adgroups.create_adgroup(
            uow.session,
            clock,
            adv,
            AdGroupCreate(
                advertiser_id=adv.advertiser_id,
                campaign_id=campaign_id,
                adgroup_name="honesty",
                promotion_type="WEBSITE",
                location_ids=TARGETING["location_ids"],
                age_groups=TARGETING["age_groups"],
                budget_mode="BUDGET_MODE_DAY",
                budget=40,
                schedule_type="SCHEDULE_FROM_NOW",
                optimization_goal="CLICK",
                billing_event="CPC",
                bid_price=0.6,
            ),
        )
        identity = next(
            i
            for i in uow.session.scalars(select(LibraryItem))
            if i.item_id == item and i.advertiser_id == adv.advertiser_id
        ).identity_id
        ads.create_ads(
            uow.session,
            clock,
            adv,
            AdCreate(
                advertiser_id=adv.advertiser_id,
                adgroup_id=group.adgroup_id,
                creatives=[
                    Creative(
                        identity_type="AUTH_CODE",
                        identity_id=identity,
                        tiktok_item_id=item,
                        call_to_action="SHOP_NOW",
                        landing_page_url="https://example.com/x",
                    )
                ],
            ),
        )
        uow.commit()
        adgroup_id = group.adgroup_id
    midnight = (clock.now() + timedelta(days=1)).replace(hour=0, minute=0, second=0)
    transport.advance_to(midnight)
    simulate(transport, people, profiles, days=DAYS, requests_per_day=PER_DAY, seed=SEED)
    with transport.uow() as uow:

        def count(kind: str) -> int:
            return (
                int(
                    uow.session.scalar(
                        select(func.count()).where(
                            Event.adgroup_id == adgroup_id, Event.event_type == kind
                        )
                    )
                    or 0
                )
                // DAYS
            )

        actual = {
            "impressions": count("impression"),
            "clicks": count("click"),
            "spend": int(
                uow.session.scalar(
                    select(func.sum(SpendEntry.amount)).where(SpendEntry.adgroup_id == adgroup_id)
                )
                or 0
            )
            // DAYS,
        }
    report: dict[str, Any] = {"audience_size": predicted.audience_size, "metrics": {}}
    for name, value in actual.items():
        r = predicted.range(name)
        middle = (r.low + r.high) / 2
        report["metrics"][name] = {
            "forecast_low": r.low,
            "forecast_high": r.high,
            "actual_daily": value,
            "error_vs_midpoint": (value - middle) / middle if middle else None,
            "within_range": r.low <= value <= r.high,
        }
    return report


if __name__ == "__main__":
    result = main()
    json.dump(result, sys.stdout, indent=2)
    print()
