"""How good are forecasts? Forecast day D from the traffic log of the days before D, for every ad
group that delivered on D, and compare with what the engine actually delivered on D (events and
the spend ledger). Each ad group is taken out of the snapshot and forecast as a draft with its own
targeting, bid and budget, so the replay does not compete it against itself."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.delivery.auction import Stats
from sparkads.delivery.compile import geography
from sparkads.delivery.model import GroupEntry, Snapshot
from sparkads.delivery.targeting import TargetingIndex
from sparkads.errors import SparkadsError
from sparkads.events.models import Event, SpendEntry
from sparkads.traffic.forecast import LOG_DAYS, Draft, forecast, post_engagement

METRICS = ("impressions", "clicks", "spend")


@dataclass(frozen=True)
class Comparison:
    adgroup_id: str
    metric: str
    low: float
    high: float
    mean: float
    actual: float

    @property
    def within(self) -> bool:
        return self.low <= self.actual <= self.high

    @property
    def error(self) -> float | None:
        """(actual − forecast mean) ÷ forecast mean; None when the forecast mean is 0."""
        return (self.actual - self.mean) / self.mean if self.mean else None


def without(snapshot: Snapshot, adgroup_id: str) -> Snapshot:
    kept = [(g, t) for g, t in zip(snapshot.groups, snapshot.targetings, strict=True)
            if g.adgroup_id != adgroup_id]  # fmt: skip
    groups = tuple(replace(g, index=i) for i, (g, _) in enumerate(kept))
    targetings = tuple(t for _, t in kept)
    return replace(
        snapshot,
        groups=groups,
        targetings=targetings,
        index=TargetingIndex.build(targetings, geography()),
    )


def _draft(session: Session, group: GroupEntry, targeting: dict[str, object]) -> Draft:
    item_id = group.ads[0].item_id if group.ads else ""
    return Draft(
        targeting=dict(targeting),
        goal=group.goal,
        billing=group.billing,
        bid_type=group.bid_type,
        bid=group.bid,
        # a lifetime budget bounds a day from above (the engine paces it over the schedule)
        daily_budget=group.daily_budget
        or group.campaign_daily_budget
        or group.lifetime_budget
        or 0,
        eur_rate=group.eur_rate,
        timezone=group.timezone,
        item_id=item_id,
        organic_engagement=post_engagement(session, item_id),
        frequency=group.frequency,
        frequency_days=max(1, round(group.frequency_window / 86_400)),
        pacing_smooth=group.pacing_smooth,
    )


def _actual(session: Session, adgroup_id: str, start: datetime, day: date) -> dict[str, float]:
    end = start + timedelta(days=1)
    counts = dict(
        session.execute(
            select(Event.event_type, func.count())
            .where(
                Event.adgroup_id == adgroup_id,
                Event.event_type.in_(["impression", "click"]),
                Event.occurred_at >= start,
                Event.occurred_at < end,
            )
            .group_by(Event.event_type)
        ).all()
    )
    spend = session.scalar(
        select(func.sum(SpendEntry.amount)).where(
            SpendEntry.adgroup_id == adgroup_id, SpendEntry.local_day == day.isoformat()
        )
    )
    return {
        "impressions": float(counts.get("impression", 0)),
        "clicks": float(counts.get("click", 0)),
        "spend": float(spend or 0),
    }


def backtest(
    session: Session,
    snapshot: Snapshot,
    day: date,
    *,
    history: dict[str, Stats] | None = None,
    days: int = LOG_DAYS,
    adgroup_ids: list[str] | None = None,
) -> list[Comparison]:
    """Forecast vs actual on `day` (each ad group's own calendar) for the live ad groups that
    delivered that day (or those named). Money in micros of each ad group's currency."""
    results: list[Comparison] = []
    for group, targeting in zip(snapshot.groups, snapshot.targetings, strict=True):
        if adgroup_ids is not None and group.adgroup_id not in adgroup_ids:
            continue
        start = datetime.combine(day, time(), group.timezone)
        actual = _actual(session, group.adgroup_id, start, day)
        if adgroup_ids is None and not actual["impressions"]:
            continue
        try:
            predicted = forecast(
                session,
                without(snapshot, group.adgroup_id),
                _draft(session, group, targeting),
                geography(),
                now=start,
                history=history,
                days=days,
            )
        except SparkadsError as error:
            if error.code == "forecast_no_basis":
                continue
            raise
        for metric in METRICS:
            r = predicted.range(metric)
            values = [float(getattr(run, metric)) for run in predicted.runs]
            mean = sum(values) / len(values) if values else 0.0
            results.append(
                Comparison(group.adgroup_id, metric, r.low, r.high, mean, actual[metric])
            )
    return results
