"""What a budget will buy, from traffic the deployment actually received: the sampled requests of
the last days are replayed, hour of day kept, through the real decision engine with the draft ad
group added to the current snapshot (the traffic-log replay of production ad servers). Nothing is
written. With too little traffic the forecast refuses (`forecast_no_basis`) rather than guess.

Only requests the draft's targeting accepts can change anything for it, so those are replayed
(at most `MAX_REPLAY`, a uniform sample, each standing for the requests it represents). What
follows an impression (clicks, 6-second views, conversions, and so the spend of click and
conversion bids) is the engine's own prediction for the ad: its post's prior, as at launch.
Results are per replayed day; ranges are the lowest and highest day."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from sparkads.attributes import field_names, from_attributes
from sparkads.audiences.keys import viewer_key
from sparkads.delivery.auction import Stats, ecpm, p_billed_event
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import Decision, EngineConfig, budget_lines, decide
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot
from sparkads.delivery.targeting import Geography, TargetingIndex
from sparkads.errors import SparkadsError
from sparkads.events.service import billed_event, cost_per_event
from sparkads.posts.models import Post
from sparkads.traffic.forecast_reach import Viewers, audience_bound
from sparkads.traffic.intake import TrafficSettings
from sparkads.traffic.store import AudienceEstimate, RequestLog, estimate, request_log

DRAFT_ID = "draft"
LOG_DAYS = 7
MAX_REPLAY = 2_500  # a forecast's replay stays under ~2 s of CPU at 10k ad groups
MIN_REQUESTS = 100  # logged requests in the window below which there is no basis


@dataclass(frozen=True)
class Plan:
    """An ad group as planned: whom it targets, what it optimizes and bills, its bid and daily
    budget (money in micros of the advertiser's currency)."""

    targeting: dict[str, Any]
    goal: str
    billing: str
    bid_type: str
    bid: int
    daily_budget: int


@dataclass(frozen=True)
class Draft(Plan):
    """The ad group being planned, in the engine's terms."""

    eur_rate: float
    timezone: ZoneInfo
    item_id: str = ""
    organic_engagement: float = 0.06  # the post's (likes + comments + shares) / views
    frequency: int | None = None
    frequency_days: int = 1
    pacing_smooth: bool = True
    included: tuple[frozenset[str], ...] = ()  # audiences' members (viewer keys)
    excluded: tuple[frozenset[str], ...] = ()


# what an ad group entry takes from the draft as it is (`from_attributes`): its fields of the same
# name (goal, billing, bid, daily budget, currency rate, timezone, frequency cap, pacing)
AS_DRAFTED = tuple(sorted(set(field_names(Draft)) & set(field_names(GroupEntry))))


@dataclass
class DayResult:
    impressions: float = 0.0
    reach: float = 0.0
    reach_error: float = 0.0  # the reach estimate's standard error (distinct viewers)
    clicks: float = 0.0
    conversions: float = 0.0
    views_6s: float = 0.0
    spend: float = 0.0  # micros
    won: float = 0.0  # requests where the draft won the auction, billed or not (budget spent)
    # the lowest eCPM (EUR micros) that would have won one of the day's replayed requests the
    # draft lost: the winner's own eCPM, or the reserve where nobody won (inf: it lost none)
    winning_ecpm: float = float("inf")


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Range:
        return cls(min(values), max(values))


@dataclass(frozen=True)
class Basis:
    """What the forecast stands on."""

    requests: int  # sampled requests in the window
    represented: float  # requests they stand for (sampling undone)
    days: int  # days of the window with traffic
    matching: int  # sampled requests the draft's targeting accepts
    replayed: int


@dataclass
class Forecast:
    audience: AudienceEstimate
    basis: Basis
    runs: list[DayResult] = field(default_factory=list)
    # the draft's bid (micros of its currency, in its own bid kind) that would have won the
    # cheapest of the replayed requests it lost; None when it lost none
    winning_bid: int | None = None

    def range(self, name: str) -> Range:
        return Range.of([float(getattr(run, name)) for run in self.runs])

    def cpa(self) -> Range | None:
        values = [run.spend / run.conversions for run in self.runs if run.conversions >= 1]
        return Range.of(values) if values else None


def post_engagement(session: Session, item_id: str | None) -> float:
    post = session.get(Post, item_id) if item_id else None
    if post is None:
        return Draft.organic_engagement
    views = max(post.organic_views, 1)
    return (post.organic_likes + post.organic_comments + post.organic_shares) / views


def priors(engagement: float) -> tuple[float, float, float, float]:
    """CTR, CVR, 6-second view and follow rates the engine starts a new ad with."""
    e = engagement
    return (
        min(0.05, max(0.003, 0.005 + 0.1 * e)),
        0.03,
        min(0.7, max(0.1, 0.25 + 1.5 * e)),
        min(0.01, max(0.0002, 0.0005 + 0.02 * e)),
    )


def _draft_group(draft: Draft, position: int, start: float) -> GroupEntry:
    ad = AdEntry(
        f"{DRAFT_ID}-ad",
        draft.item_id or f"{DRAFT_ID}-post",
        None,
        *priors(draft.organic_engagement),
        {"label": "Sponsored"},
    )
    return from_attributes(
        GroupEntry,
        draft,
        index=position,
        adgroup_id=DRAFT_ID,
        campaign_id=DRAFT_ID,
        advertiser_id=DRAFT_ID,
        start=start,
        frequency_window=draft.frequency_days * 86_400.0,
        ads=(ad,),
        # nothing else limits it: no lifetime or campaign budget, end, dayparting, minimum OS or
        # device price; its audiences choose the requests replayed instead (`_audience_rows`)
        lifetime_budget=None,
        campaign_daily_budget=None,
        end=None,
        dayparting=None,
        min_os_version={},
        price_range=None,
        included_audiences=frozenset(),
        excluded_audiences=frozenset(),
    )


def with_draft(snapshot: Snapshot, draft: Draft, geo: Geography, start: float) -> Snapshot:
    group = _draft_group(draft, len(snapshot.groups), start)
    targetings = (*snapshot.targetings, draft.targeting)
    return replace(
        snapshot,
        groups=(*snapshot.groups, group),
        targetings=targetings,
        index=TargetingIndex.build(targetings, geo),
    )


def _billing_chance(group: GroupEntry, ad: AdEntry) -> float:
    """Expected billed events per impression, from the ad's priors."""
    event = billed_event(group.billing, group.goal)
    return {
        "impression": 1.0,
        "click": ad.prior_ctr,
        "view_6s": ad.prior_view,
    }.get(event, ad.prior_ctr * ad.prior_cvr)


def forecast(
    session: Session,
    snapshot: Snapshot,
    draft: Draft,
    geo: Geography,
    *,
    now: datetime,
    history: dict[str, Stats] | None = None,
    days: int = LOG_DAYS,
    seed: int = 11,
    until: datetime | None = None,
    sample_rate: float | None = None,
) -> Forecast:
    """Daily figures of the next days, from the log of [until - days, until) (until = now)."""
    end = until or now
    log = request_log(session, end - timedelta(days=days), end)

    def accepted(columns: Any) -> Any:
        return columns.matching(draft.targeting, geo)

    audience = estimate(session, accepted, end, list(draft.included), list(draft.excluded))
    return replay(log, audience, snapshot, draft, geo, now=now, since=end - timedelta(days=days),
                  until=end, history=history, seed=seed, sample_rate=sample_rate)  # fmt: skip


def replay(
    log: RequestLog,
    audience: AudienceEstimate,
    snapshot: Snapshot,
    draft: Draft,
    geo: Geography,
    *,
    now: datetime,
    since: datetime,
    until: datetime,
    history: dict[str, Stats] | None = None,
    seed: int = 11,
    sample_rate: float | None = None,
) -> Forecast:
    """`forecast` on a log already read (benchmarks time this part apart from reading)."""
    if log.size < MIN_REQUESTS:
        raise no_basis(log, round((until - since) / timedelta(days=1)), sample_rate)
    matching = np.flatnonzero(
        _audience_rows(log, draft) & log.columns.matching(draft.targeting, geo)
    )
    rng = np.random.default_rng(seed)
    chosen = matching
    if matching.size > MAX_REPLAY:
        chosen = np.sort(rng.choice(matching, MAX_REPLAY, replace=False))
    scale = matching.size / chosen.size if chosen.size else 1.0
    # days of the draft's own calendar, so that a replayed day is one daily budget
    offset = (draft.timezone.utcoffset(until) or timedelta()).total_seconds()
    day_of = ((log.at + offset) // 86_400 - (since.timestamp() + offset) // 86_400).astype(np.int64)
    # a day at the edge of the window with under half the traffic of the busiest day is partial:
    # replayed, it would read as a day of low delivery, so it is left out of the ranges
    per_day = np.bincount(day_of - day_of.min()) if day_of.size else np.zeros(0, np.int64)
    full = np.flatnonzero(per_day >= 0.5 * per_day.max()) + day_of.min() if per_day.size else []
    covered = sorted(int(d) for d in full)
    shift = (until - since).total_seconds()  # the window replayed as the days to come
    shift += (now - until).total_seconds()
    planned = replayed_members(with_draft(snapshot, draft, geo, now.timestamp()), log, chosen)
    viewers = Viewers.of(log, matching, scale, max(len(covered), 1))
    result = Forecast(
        audience,
        Basis(
            requests=log.size,
            represented=float(log.weight.sum()),
            days=len(covered),
            matching=int(matching.size),
            replayed=int(chosen.size),
        ),
    )
    for day in covered:
        rows = chosen[day_of[chosen] == day]
        result.runs.append(
            _replay_day(log, rows, viewers, shift, planned, history or {}, seed + day)
        )
    for run in result.runs:  # reach counts distinct viewers: never more than the audience
        run.reach = min(run.reach, float(audience_bound(audience)))
    cheapest = min((run.winning_ecpm for run in result.runs), default=float("inf"))
    result.winning_bid = _winning_bid(planned, cheapest)
    return result


def _winning_bid(planned: Snapshot, target: float) -> int | None:
    """The draft's bid whose eCPM is `ecpm` (auction.ecpm undone with its prior rates)."""
    if target == float("inf"):
        return None
    group = planned.groups[-1]
    per_impression = (
        1.0 if group.billing == "CPM" else 1_000 * p_billed_event(group, group.ads[0], Stats())
    )
    return math.ceil(target / (group.eur_rate * per_impression))


def no_basis(log: RequestLog, days: int, configured: float | None = None) -> SparkadsError:
    """`forecast_no_basis`, with the sample rate the log was written at (the rows' own; with no
    row, the server's `configured` one, else the default) so that the minimum reads in feed
    requests too: 100 sampled at 10 % is ~1,000."""
    rate = configured or TrafficSettings.sample_rate
    if log.size:
        rate = log.size / float(log.weight.sum())
    return SparkadsError(
        "forecast_no_basis",
        requests=log.size,
        minimum=MIN_REQUESTS,
        days=days,
        every=round(1 / rate),
        rate=f"{rate * 100:.3g}",
        needed=round(MIN_REQUESTS / rate),
    )


def replayed_members(snapshot: Snapshot, log: RequestLog, rows: NDArray[np.intp]) -> Snapshot:
    """The snapshot with the audience memberships of the replayed viewers as the engine finds
    them. A replayed viewer's id is its key (the log holds no viewer id), and the engine looks a
    viewer's audiences up by the key of its id: so each replayed key's audiences are given under
    the key of that key. Competitors targeting (or excluding) custom and lookalike audiences then
    compete in the replay as they do live."""
    members = snapshot.audience_members
    if not members:
        return snapshot
    replayed = {log.keys[i] for i in rows.tolist()}
    return replace(
        snapshot,
        audience_members={viewer_key(k): members[k] for k in replayed if k in members},
    )


def _audience_rows(log: RequestLog, draft: Draft) -> Any:
    mask = np.ones(log.size, np.bool_)
    if draft.included:
        wanted = frozenset().union(*draft.included)
        mask &= np.array([k in wanted for k in log.keys], np.bool_)
    if draft.excluded:
        unwanted = frozenset().union(*draft.excluded)
        mask &= ~np.array([k in unwanted for k in log.keys], np.bool_)
    return mask


def _replay_day(
    log: RequestLog,
    rows: Any,
    viewers: Viewers,
    shift: float,
    snapshot: Snapshot,
    history: dict[str, Stats],
    seed: int,
) -> DayResult:
    counters, rng = MemoryCounters(), random.Random(seed)
    counters.load_stats(history)  # today's competition, with what it has learnt so far
    config = EngineConfig(secret=b"forecast")
    day, reached = DayResult(), set[str]()
    for i in rows.tolist():
        key, at = log.keys[i], float(log.at[i]) + shift
        weight = float(log.weight[i]) * viewers.scale
        decisions = decide(log.columns.viewer(i, key), 1, snapshot, counters, at, rng, config)
        if all(d.group.adgroup_id != DRAFT_ID for d in decisions):
            day.winning_ecpm = min(day.winning_ecpm, _to_win(decisions, counters, config))
        for d in decisions:
            group, ad = d.group, d.ad
            local = datetime.fromtimestamp(at, group.timezone).date()
            expected = cost_per_event(d.event_price, group.billing) * _billing_chance(group, ad)
            billed = counters.try_bill(budget_lines(group, local), round(expected * weight))
            if group.adgroup_id == DRAFT_ID:
                day.won += weight
            if group.adgroup_id != DRAFT_ID or not billed:
                continue
            day.impressions += weight
            reached.add(key)
            day.clicks += weight * ad.prior_ctr
            day.conversions += weight * ad.prior_ctr * ad.prior_cvr
            day.views_6s += weight * ad.prior_view
            day.spend += round(expected * weight)
    reach, day.reach_error = viewers.reach(reached)
    day.reach = min(reach, day.impressions)
    return day


def _to_win(decisions: list[Decision], counters: MemoryCounters, config: EngineConfig) -> float:
    """The eCPM that beats what won this request (the winner's own), or the reserve if none did."""
    best = config.reserve_ecpm
    for d in decisions:
        stats = counters.ad_stats(d.ad.ad_id)
        best = max(best, ecpm(d.group, p_billed_event(d.group, d.ad, stats), config.reserve_ecpm))
    return best
