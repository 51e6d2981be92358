"""decide(): sponsored posts for one viewer, from a snapshot, in memory (pure apart from the
counters it reads and the exposures it records).

For each candidate ad group the index returns, in order: schedule and daypart, frequency cap,
budget, pacing; then the ad group's best ad whose authorization is still valid at this instant; then
the auction. Every ad group that was a candidate but did not win counts one reason, so operators
can ask why an ad group was not served.

Two ways to check and score candidates, with the same results (tested): one candidate at a time,
below, for requests with few candidates; all at once on the snapshot's NumPy columns
(`scoring.py`) from `EngineConfig.columns_from` candidates, where the per-call cost of NumPy is
repaid. Either way, frequency caps, budgets and pacing are then checked lazily from the highest
eCPM down, for the few ad groups the auction can still reach."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sparkads.audiences.keys import viewer_key
from sparkads.campaigns.minors import MINIMUM_AGE
from sparkads.delivery import auction, pacing, scoring, tokens
from sparkads.delivery.columns import Ints, columns_of
from sparkads.delivery.counters import BudgetLine, Counters
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot, Viewer
from sparkads.delivery.reasons import NotServed
from sparkads.delivery.targeting import age_group, bits
from sparkads.delivery.withheld import count_withheld

# not-served reasons of the per-candidate path, bound once: reading a member off the enum class
# costs about 0.1 µs, a module global a fraction of that
_SCHEDULE, _TARGETING = NotServed.SCHEDULE, NotServed.TARGETING
_AUTHORIZATION_EXPIRED, _SERVED = NotServed.AUTHORIZATION_EXPIRED, NotServed.SERVED
_OUTBID, _BELOW_RESERVE = NotServed.OUTBID, NotServed.BELOW_RESERVE
_CAP, _BUDGET, _PACING = NotServed.CAP, NotServed.BUDGET, NotServed.PACING

TOKEN_TTL = 7 * 86_400.0  # events may arrive up to a week after the decision
DEFAULT_RESERVE_ECPM = 500_000.0  # EUR micros per 1,000 impressions (0.50 EUR CPM)
NO_AUDIENCES: frozenset[str] = frozenset()
COLUMNS_FROM = 48  # measured: below this, NumPy's fixed cost per call outweighs what it saves
# What `decide(eligible=[])` fills for the traffic log: mask, count, positions (see `decide`).
Eligible = list[int | Ints | list[int]]


@dataclass(frozen=True, slots=True)
class Decision:
    decision_id: str
    group: GroupEntry
    ad: AdEntry
    event_price: int
    price_ecpm: float
    token: str


@dataclass(frozen=True)
class EngineConfig:
    secret: bytes  # signs decision tokens (the current key of the decision_tokens key set)
    reserve_ecpm: float = DEFAULT_RESERVE_ECPM
    columns_from: int = COLUMNS_FROM  # candidates from which they are scored on NumPy columns
    key_id: str = "k0"  # the id of `secret`, written in every token
    older_keys: Mapping[str, bytes] | None = None  # rotated out: still verify what they signed

    @property
    def verification_keys(self) -> Mapping[str, bytes]:
        return {**(self.older_keys or {}), self.key_id: self.secret}


def budget_lines(group: GroupEntry, day: date) -> list[BudgetLine]:
    lines = [
        BudgetLine(f"ag:{group.adgroup_id}:{day}", group.daily_budget),
        BudgetLine(f"cp:{group.campaign_id}:{day}", group.campaign_daily_budget),
    ]
    if group.lifetime_budget is not None:
        lines.append(BudgetLine(f"agl:{group.adgroup_id}", group.lifetime_budget))
    return lines


class _LocalTime:
    """Local datetimes per timezone, computed once per decision."""

    def __init__(self, now: float) -> None:
        self.now = now
        self._cache: dict[ZoneInfo, datetime] = {}

    def __call__(self, zone: ZoneInfo) -> datetime:
        local = self._cache.get(zone)
        if local is None:
            local = self._cache[zone] = datetime.fromtimestamp(self.now, zone)
        return local


def _ineligible(
    group: GroupEntry,
    viewer: Viewer,
    audiences: frozenset[str],
    now: float,
    local: _LocalTime,
    counters: Counters,
) -> NotServed | None:
    """Why this candidate cannot bid at all now (schedule, device, audiences), or None."""
    if now < group.start or (group.end is not None and now >= group.end):
        return _SCHEDULE
    if group.dayparting is not None:
        at = local(group.timezone)
        if group.dayparting[at.weekday() * 48 + at.hour * 2 + at.minute // 30] != "1":
            return _SCHEDULE
    minimum = group.min_os_version.get(viewer.os or "")
    if minimum and viewer.os_version < minimum:
        return _TARGETING
    if group.price_range is not None and (
        viewer.device_price is None
        or not group.price_range[0] <= viewer.device_price <= group.price_range[1]
    ):
        return _TARGETING
    if group.excluded_audiences and group.excluded_audiences & audiences:
        return _TARGETING
    return None


def _capped(group: GroupEntry, viewer: Viewer, now: float, counters: Counters) -> bool:
    return (
        group.frequency is not None
        and counters.exposures(viewer.viewer_id, group.adgroup_id, now - group.frequency_window)
        >= group.frequency
    )


def _budget_or_pacing(
    group: GroupEntry, now: float, local: _LocalTime, counters: Counters, rng: random.Random
) -> NotServed | None:
    at = local(group.timezone)
    lines = budget_lines(group, at.date())
    for line in lines:
        if line.budget is not None and counters.spent(line.key) >= line.budget:
            return _BUDGET
    if not group.pacing_smooth:
        return None
    if group.daily_budget is not None:
        budget, fraction = group.daily_budget, pacing.day_fraction(at)
        spent, hour_share = counters.spent(lines[0].key), pacing.HOURLY_TRAFFIC[at.hour]
    elif group.lifetime_budget is not None and group.end is not None:
        budget = group.lifetime_budget
        fraction = pacing.lifetime_fraction(group.start, group.end, now)
        spent, hour_share = counters.spent(lines[-1].key), pacing.SLACK_SHARE
    else:
        return None
    price = _price(group, counters, lines[0] if group.daily_budget is not None else lines[-1])
    # clicks and conversions are drawn after the decision: few an hour, they need the narrow gate
    boost = 1.0 if group.billing == "CPM" else pacing.boost(budget, hour_share, price)
    gated = not pacing.may_spend(spent, budget, fraction, price, hour_share, boost > 1.0)
    reading = pacing.PacingInput(now, spent, budget, fraction, price, gated, boost)
    counters.control_pacing(group.adgroup_id, reading)
    if gated:
        return _PACING
    if rng.random() > counters.pacing_probability(group.adgroup_id):
        return _PACING
    return None


def _price(group: GroupEntry, counters: Counters, line: BudgetLine) -> int:
    """What a billable event of the ad group costs it, for pacing: a CPC or CPA group pays a
    second price, measured on its budget line (billed ÷ events), the bid before any event; CPM
    paces on its bid per impression."""
    if group.billing == "CPM":
        return group.bid // 1000  # CPM bids per mille
    paid, events = counters.billed(line.key)
    return max(1, paid // events) if events > 0 and paid > 0 else group.bid


def _best_ad(
    group: GroupEntry, position: int, now: float, counters: Counters, reserve: float, seed: int
) -> auction.Bidder | None:
    best: auction.Bidder | None = None
    for slot, ad in enumerate(group.ads):
        if ad.auth_ends_at is not None and now >= ad.auth_ends_at:
            continue
        tiebreak = auction.tiebreak(seed, auction.ad_key(position, slot))
        candidate = auction.bidder(group, ad, counters.ad_stats(ad.ad_id), reserve, tiebreak)
        if best is None or (candidate.ecpm, candidate.tiebreak) > (best.ecpm, best.tiebreak):
            best = candidate
    return best


def prepare(
    snapshot: Snapshot, counters: Counters | None = None, reserve_ecpm: float = DEFAULT_RESERVE_ECPM
) -> None:
    """Build what deciding on `snapshot` needs ahead of the first request: its columns and, given
    the counters it will be used with, their rows for its ad groups and ads with each ad's eCPM.
    `decide` would otherwise build them on first use (tens of ms at 10k ad groups)."""
    columns = columns_of(snapshot)
    if counters is not None:
        scoring.estimates(snapshot, columns, counters).refresh(counters, reserve_ecpm)


def decide(
    viewer: Viewer,
    slots: int,
    snapshot: Snapshot,
    counters: Counters,
    now: float,
    rng: random.Random,
    config: EngineConfig,
    feed_id: str = "",
    eligible: Eligible | None = None,
) -> list[Decision]:
    """Up to `slots` sponsored posts for this viewer; each token is bound to `feed_id`, the feed
    that asked, and events on it are accepted only from that feed. With `eligible`, the bitset of
    the ad groups whose targeting accepted the viewer, its count of set bits and their positions
    (ascending, as the auction read them out) are appended to it, for the traffic log, which then
    need not count or walk a 10,000-bit mask again. Under 13 (`campaigns/minors.py`): nothing,
    before any work, and no request counted."""
    age = viewer.age
    if age is not None and age < MINIMUM_AGE:
        if eligible is not None:
            eligible += (0, 0, [])
        return []
    audiences = (
        snapshot.audience_members.get(viewer_key(viewer.viewer_id), NO_AUDIENCES)
        if snapshot.audience_members
        else NO_AUDIENCES
    )
    counters.count_request()
    local = _LocalTime(now)
    seed = rng.getrandbits(64)  # this request's tie-breaks (auction.tiebreak), first on both paths
    withheld: list[int] = []  # a minor's ad groups refused for profiling, if any
    mask = snapshot.index.candidates(viewer, audiences, withheld)
    if withheld:
        count_withheld(withheld[0], snapshot, counters, config.columns_from)
    count = mask.bit_count()
    r = _Round(viewer, audiences, mask, slots, snapshot, counters, now, local, rng, config, seed,
               logged=eligible is not None)  # fmt: skip
    auction_of = _auction_on_columns if count >= config.columns_from else _auction_one_by_one
    wins = auction_of(r)
    if eligible is not None and r.positions is not None:
        eligible += (mask, count, r.positions)
    return [_decision(win, viewer, now, counters, rng, config, feed_id) for win in wins]


@dataclass(slots=True)
class _Round:
    """One request's auction: the viewer, the ad groups whose targeting accepted it (`mask`), and
    what they are checked against; both ways of running it take it."""

    viewer: Viewer
    audiences: frozenset[str]
    mask: int
    slots: int
    snapshot: Snapshot
    counters: Counters
    now: float
    local: _LocalTime
    rng: random.Random
    config: EngineConfig
    seed: int
    logged: bool = False  # the traffic log samples this request: hand it the candidates' positions
    positions: Ints | list[int] | None = None  # the candidates' positions, ascending


def _auction_one_by_one(r: _Round) -> list[auction.Win]:
    """The auction with each candidate checked and scored in turn (few candidates)."""
    viewer, now, local, counters = r.viewer, r.now, r.local, r.counters
    reserve = r.config.reserve_ecpm
    bidders: list[auction.Bidder] = []
    candidates: Iterable[int] = bits(r.mask)
    if r.logged:
        candidates = r.positions = list(candidates)
    for position in candidates:
        group = r.snapshot.groups[position]
        reason = _ineligible(group, viewer, r.audiences, now, local, counters)
        if reason is None:
            best = _best_ad(group, position, now, counters, reserve, r.seed)
            if best is not None:
                bidders.append(best)
                continue
            reason = _AUTHORIZATION_EXPIRED
        counters.count_reason(group.adgroup_id, reason)
    bidders.sort(key=lambda b: (-b.ecpm, b.tiebreak))
    wins = _run(bidders, r)
    won = {win.bidder.group.adgroup_id for win in wins}
    for b in bidders:
        if b.group.adgroup_id not in won and not b.blocked:
            counters.count_reason(
                b.group.adgroup_id,
                _OUTBID if b.ecpm >= reserve else _BELOW_RESERVE,
            )
    return wins


def _auction_on_columns(r: _Round) -> list[auction.Win]:
    """The same auction with every candidate checked and scored at once (`scoring.py`); reasons
    are counted per array, except for the few ad groups the walk reaches."""
    reserve = r.config.reserve_ecpm
    columns = columns_of(r.snapshot)
    known = scoring.estimates(r.snapshot, columns, r.counters)
    scored = scoring.score(
        columns, known, r.counters, r.viewer, r.audiences, r.mask, r.now, r.local, reserve, r.seed
    )
    r.positions = scored.early.candidates
    walked: list[tuple[int, auction.Bidder]] = []
    wins = _run(_recorded(scored.ranked(r.snapshot, reserve), walked), r)
    won = {win.bidder.group.adgroup_id for win in wins}
    settled = [p for p, b in walked if b.blocked or b.group.adgroup_id in won]
    scored.count_reasons(r.counters, known.reason_rows, settled, reserve)
    return wins


def _recorded(
    ranked: Iterator[tuple[int, auction.Bidder]], walked: list[tuple[int, auction.Bidder]]
) -> Iterator[auction.Bidder]:
    for position, bidder in ranked:
        walked.append((position, bidder))
        yield bidder


def _run(bidders: Iterable[auction.Bidder], r: _Round) -> list[auction.Win]:
    """The auction among the bidders that pass frequency cap, budget and pacing, checked lazily
    from the highest eCPM down (`bidders` come in that order), only until the auction has its
    slots and a runner-up: lower bidders would lose anyway, so they are not examined (and count
    as outbid)."""
    slots, viewer, now, local, counters = r.slots, r.viewer, r.now, r.local, r.counters
    rng, reserve = r.rng, r.config.reserve_ecpm
    contenders: list[auction.Bidder] = []
    items: set[str] = set()
    for b in bidders:
        if len(items) > slots or b.ecpm < reserve:
            break
        reason = (
            _CAP
            if _capped(b.group, viewer, now, counters)
            else _budget_or_pacing(b.group, now, local, counters, rng)
        )
        if reason is not None:
            counters.count_reason(b.group.adgroup_id, reason)
            b.blocked = True
            continue
        contenders.append(b)
        items.add(b.ad.item_id)
    return auction.run(contenders, slots, reserve)


def _decision(
    win: auction.Win,
    viewer: Viewer,
    now: float,
    counters: Counters,
    rng: random.Random,
    config: EngineConfig,
    feed_id: str,
) -> Decision:
    group, ad = win.bidder.group, win.bidder.ad
    decision_id = f"{int(now * 1000):x}{rng.getrandbits(64):016x}"
    claims = tokens.Claims(
        decision_id=decision_id,
        viewer_id=viewer.viewer_id,
        ad_id=ad.ad_id,
        adgroup_id=group.adgroup_id,
        campaign_id=group.campaign_id,
        advertiser_id=group.advertiser_id,
        item_id=ad.item_id,
        billing=group.billing,
        goal=group.goal,
        price=win.event_price,
        issued_at=now,
        expires_at=now + TOKEN_TTL,
        # who saw it, for audience reports
        country=viewer.country,
        age_group=age_group(viewer.age) or "",
        gender=viewer.gender or "",
        feed_id=feed_id,  # the feed that asked: only its events count
        platform=viewer.os or "",
        region=viewer.region or "",
    )
    keep = max(group.frequency_window, 86_400.0)
    counters.record_exposure(viewer.viewer_id, group.adgroup_id, now, keep)
    counters.count_reason(group.adgroup_id, _SERVED)
    if group.pacing_smooth and group.billing != "CPM":  # pacing measures what a win costs
        cost = pacing.expected_cost(group.billing, win.event_price, win.bidder.p_event)
        counters.pace_served(group.adgroup_id, cost)
    return Decision(
        decision_id,
        group,
        ad,
        win.event_price,
        win.price_ecpm,
        tokens.sign(claims, config.secret, config.key_id),
    )


def reasons_report(counters: Counters, adgroup_id: str) -> dict[str, int]:
    """Counted reasons for one ad group, with requests where its targeting did not match: every
    request counts exactly one reason for each ad group whose targeting matched."""
    reasons = counters.reasons(adgroup_id)
    matched = sum(reasons.values())
    return {
        **reasons,
        NotServed.TARGETING: reasons.get(NotServed.TARGETING, 0)
        + max(0, counters.request_count() - matched),
    }
