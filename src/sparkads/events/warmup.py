"""Counters after a restart, rebuilt from what is durable (ledger and events)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.clock import Clock, as_utc
from sparkads.delivery.counters import Counters
from sparkads.events.models import Event, SpendEntry


def warm_counters(session: Session, counters: Counters, clock: Clock) -> None:
    """After a restart: spend of recent days and lifetimes from the ledger, ad statistics and
    recent exposures from events, so budgets, caps and predictions carry on where they were.
    With counters shared by running processes (Redis), spend is only ever raised to what the
    ledger says and exposures are loaded only for pairs the shared counters know nothing of."""
    since_day = (clock.now() - timedelta(days=2)).date().isoformat()
    spend: dict[str, int] = defaultdict(int)
    for adgroup_id, campaign_id, day, amount in session.execute(
        select(
            SpendEntry.adgroup_id,
            SpendEntry.campaign_id,
            SpendEntry.local_day,
            func.sum(SpendEntry.amount),
        )
        .where(SpendEntry.local_day >= since_day)
        .group_by(SpendEntry.adgroup_id, SpendEntry.campaign_id, SpendEntry.local_day)
    ):
        spend[f"ag:{adgroup_id}:{day}"] += int(amount)
        spend[f"cp:{campaign_id}:{day}"] += int(amount)
    for adgroup_id, amount in session.execute(
        select(SpendEntry.adgroup_id, func.sum(SpendEntry.amount)).group_by(SpendEntry.adgroup_id)
    ):
        spend[f"agl:{adgroup_id}"] = int(amount)
    # Shared counters may be ahead of the ledger (billed, not yet committed): never lower them.
    counters.raise_spent(spend)
    stats = {
        "impression": "impressions",
        "click": "clicks",
        "conversion": "conversions",
        "view_6s": "views_6s",
        "follow": "follows",
    }
    for ad_id, event_type, count in session.execute(
        select(Event.ad_id, Event.event_type, func.count())
        .where(Event.event_type.in_(list(stats)))
        .group_by(Event.ad_id, Event.event_type)
    ):
        counters.add_ad_stat(ad_id, stats[event_type], int(count))
    recent = clock.now() - timedelta(days=30)
    seen: dict[tuple[str, str], list[float]] = defaultdict(list)
    for viewer_id, adgroup_id, at in session.execute(
        select(Event.viewer_id, Event.adgroup_id, Event.occurred_at)
        .where(Event.event_type == "impression", Event.occurred_at >= recent)
        .order_by(Event.occurred_at)
    ):
        seen[(viewer_id, adgroup_id)].append(as_utc(at).timestamp())
    counters.load_exposures(
        ((viewer_id, adgroup_id, stamps) for (viewer_id, adgroup_id), stamps in seen.items()),
        30 * 86_400.0,
    )
