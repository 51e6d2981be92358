"""Budget pacing (pure): spread a daily budget over the day along the expected traffic curve.

Two mechanisms, as in ad servers that pace well:
- a gate: an ad group may spend only up to its budget × the share of the day's traffic already
  seen (plus a small slack), so spend follows the curve instead of burning out in the morning;
- a throttle probability per ad group (`Throttle`, updated by `control` once per
  `CONTROL_INTERVAL`), so spend is spread over the requests instead of taken by the first ones.

The throttle is set feed-forward, not by nudging: the probability is the spend rate still needed
(budget left ÷ share of the traffic still to come) divided by the rate the ad group would spend at
probability 1. That rate is measured on the traffic offered × probability while the gate was open
(`due`, `control`): for CPM, spend over that traffic over at least `HORIZON_EVENTS` impressions'
worth; for CPC and CPA, whose few billed events a day would take hours to show a change of
competition (a click group pays the reserve at night and a competitor's bid by day), the expected
cost of its latest `RECENT_WINS` wins (`expected_cost`, counted per win by the counters) over the
traffic they were won in, times billed ÷ expected cost over `HORIZON_EVENTS` expected events (the
predictions' calibration, which moves slowly). A correction per interval from the last interval's
spend, as before, made a budget of a few clicks an hour swing at every click. Spend that runs ahead
or behind is the feedback: it changes the budget left, so the rest of the day absorbs it a little
at a time.

Both are sized in the price the ad group actually pays per billable event (`price`: its spend ÷
its billed events, measured by the counters; the bid before any event). A CPC or CPA group pays a
second price, often a small part of its bid: a gate or a horizon counted in bids would be tens of
actual events wide. The budget check itself is not here: counters bill only while a budget has
room, so whatever the price, a budget is overrun by at most its dearest single event.

An ad group billed per click or conversion whose hour holds few billable events (fewer than
`TIGHT_EVENTS` at its price, `tight`) cannot be held to its plan by a probability alone: at the
right probability its hourly spend still varies by the counting noise (√λ events in λ). For it,
the gate is narrow (`TIGHT_SLACK` of the hour's plan, at least one event) and the probability is
kept `BOOST` times above need, so spend runs up against the gate and follows the curve event by
event instead of at the mercy of the draws; in an hour of fewer than `COUNTABLE_EVENTS` planned
events, which no controller can hold to ±15 %, only `FEW_BOOST` times (`boost`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import NamedTuple

# Share of a day's feed traffic per local hour: quiet at night, a lunch bump, an evening peak.
# Shape from published time-of-day usage curves of short-video apps; it is the sandbox's default
# and the simulator draws its traffic from the same curve.
_HOURLY_WEIGHTS = (
    1.6,
    1.0,
    0.7,
    0.5,
    0.5,
    0.7,
    1.5,
    2.8,
    3.6,
    3.8,
    3.9,
    4.2,
    4.8,
    4.6,
    4.3,
    4.4,
    4.8,
    5.4,
    6.2,
    7.0,
    7.4,
    7.0,
    5.6,
    3.4,
)
HOURLY_TRAFFIC = tuple(w / sum(_HOURLY_WEIGHTS) for w in _HOURLY_WEIGHTS)
_CUMULATIVE = (0.0, *accumulate(HOURLY_TRAFFIC))

CONTROL_INTERVAL = 60.0  # seconds between throttle updates
MIN_PROBABILITY = 0.005  # never quite off, so that the spend rate stays measured
HORIZON_EVENTS = 20  # the spend rate is measured over at least this many billable events
SLACK_SHARE = 0.02  # spend may run ahead of the curve by 2 % of the budget
TIGHT_EVENTS = 300  # an hour planned to hold fewer billable events than this: narrow gate, boost
TIGHT_SLACK = 0.05  # the narrow gate: spend may run ahead by 5 % of the hour's plan (≥ 1 event)
BOOST = 2.0  # the probability of a narrowly gated group, over what the plan needs
FEW_BOOST = 1.25  # the same in an hour of fewer than `COUNTABLE_EVENTS` planned events
COUNTABLE_EVENTS = 7.0  # an hour of fewer planned events cannot be held to ±15 % (one is 15 %)
RECENT_WINS = 100  # what a win costs is measured over about this many of the latest wins


def day_fraction(local: datetime) -> float:
    """Share of the day's traffic seen by this local instant (0 at midnight, 1 at the next)."""
    hour = local.hour
    within = (local.minute * 60 + local.second) / 3600
    return _CUMULATIVE[hour] + HOURLY_TRAFFIC[hour] * within


def lifetime_fraction(start: float, end: float, now: float) -> float:
    if now <= start:
        return 0.0
    return min(1.0, (now - start) / max(1.0, end - start))


def tight(budget: int, hour_share: float, price: int) -> bool:
    """The hour's plan holds fewer than `TIGHT_EVENTS` billable events at `price`."""
    return budget * hour_share < TIGHT_EVENTS * max(1, price)


def boost(budget: int, hour_share: float, price: int) -> float:
    """How far above need the probability of an ad group billed per click or conversion is
    kept (1.0: not at all, and the gate is wide): `BOOST` in a `tight` hour, so that spend rides
    the narrow gate; `FEW_BOOST` in an hour of fewer than `COUNTABLE_EVENTS` planned events,
    whose counting noise no gate can hide, and where a group taking every impression it can
    when its gate opens would shift a competitor's few hundred impressions (measured: a CPM
    group 20-30 % off its night hours at `BOOST`)."""
    if not tight(budget, hour_share, price):
        return 1.0
    return BOOST if budget * hour_share >= COUNTABLE_EVENTS * max(1, price) else FEW_BOOST


def may_spend(
    spent: int, budget: int, fraction: float, price: int, hour_share: float, narrow: bool = False
) -> bool:
    """The gate: spending more now would not run ahead of the curve by more than the slack;
    `price`: what one billable event of the ad group costs it (measured, see the module);
    `narrow`: the hour holds few events of an ad group billed per click or conversion (`tight`).

    The slack shrinks as the day runs out (so the budget lasts until midnight, not 23:30) and never
    exceeds half of the current hour's share (so a new day does not open with a burst); for an
    hour of few events (`tight`) it is `TIGHT_SLACK` of the hour's plan. It is never less than
    one event, so the gate always lets the next event through once the curve has room for it."""
    wide = min(SLACK_SHARE * (1.0 - fraction), 0.5 * hour_share)
    share = TIGHT_SLACK * hour_share if narrow else wide
    slack = max(int(budget * share), price)
    return spent < min(budget, int(budget * fraction) + slack)


@dataclass(frozen=True, slots=True)
class Throttle:
    """One ad group's pacing state: its throttle probability, where the last update stood, and
    the decayed sums that measure its unthrottled rate (see `control`)."""

    probability: float = 1.0
    at: float = -math.inf  # instant of the last update
    fraction: float = 0.0  # share of the traffic (or lifetime) seen then
    spent: int = 0  # spend then, micros
    spend: float = 0.0  # recent spend, micros
    reach: float = 0.0  # traffic share × probability over the same horizon, gate open
    gated: bool = False  # the gate then: an update is due as soon as it opens or closes
    served: float = 0.0  # wins counted then (`Served`, cumulative)
    expected: float = 0.0  # their expected cost then (cumulative), micros
    foreseen: float = 0.0  # expected cost of the wins over the spend horizon, micros
    recent: Recent | None = None  # the last `RECENT_WINS` wins: expected cost, reach, count


@dataclass(frozen=True, slots=True)
class Recent:
    cost: float  # expected cost of the wins, micros
    reach: float  # traffic share × probability in which they were won, gate open
    wins: float


def expected_cost(billing: str, event_price: int, p_event: float) -> float:
    """What a win costs on average, micros: an impression's price for CPM, the price of a click
    or conversion times its predicted probability otherwise."""
    return event_price / 1000 if billing == "CPM" else event_price * p_event


def due(throttle: Throttle, now: float, gated: bool = False) -> bool:
    """An update is due every `CONTROL_INTERVAL`, and whenever the gate has opened or closed
    since the last one (`gated`: closed now), so that each interval is open or closed throughout
    (to the resolution of the calls)."""
    return gated is not throttle.gated or not throttle.at <= now < throttle.at + CONTROL_INTERVAL


class PacingInput(NamedTuple):
    """What the engine reads of an ad group at `now` for its throttle (`control`), passed as is
    through the counters: `spent` of `budget` with `fraction` of the traffic seen; a billable
    event costs `price` (measured); `gated`: the gate (`may_spend`) is closed now; `boost`: the
    probability is kept this far above need (`boost`). A tuple: built for every paced candidate."""

    now: float
    spent: int
    budget: int
    fraction: float
    price: int
    gated: bool
    boost: float = 1.0


def control(
    throttle: Throttle, reading: PacingInput, served: tuple[float, float] = (0.0, 0.0)
) -> Throttle:
    """The next state once `due`, from what the engine reads now (`PacingInput`); `served`: the
    wins so far and their expected cost (`expected_cost`, summed by the counters).

    The rate at probability 1 is measured on the traffic offered while the gate was open (an
    interval is open or closed throughout, see `due`), in two parts. What a win costs moves with
    the competition (a click group pays the reserve at night and a competitor's bid by day):
    it is the expected cost of the last `RECENT_WINS` wins over the traffic they were won in,
    hundreds an hour even for a group of a few clicks. Whether the predictions hold moves
    slowly: the spend actually billed over the expected cost of the same wins, the wins of at
    least `HORIZON_EVENTS` expected billable events (every spend counts: the events billed while
    the gate is closed come from wins made while it was open). That horizon is counted in
    expected cost, which grows smoothly, not in billed spend, which jumps at each event: a gate
    opens just after the event that had closed it, so a horizon that forgot on billed events
    was read at its peak and held the probability low. Without wins counted, the rate is the
    billed spend over the traffic, over `HORIZON_EVENTS` billed events."""
    now, spent, budget, fraction, price, gated, boost = reading
    if throttle.at == -math.inf:
        return Throttle(
            1.0, now, fraction, spent, gated=gated, served=served[0], expected=served[1]
        )
    t, grown = throttle, fraction - throttle.fraction
    spend, reach, foreseen, recent = t.spend, t.reach, t.foreseen, t.recent
    if not (now < t.at or spent < t.spent or grown < 0):  # not a new day: count the interval
        offered = 0.0 if t.gated else t.probability * grown
        cost, wins = served[1] - t.expected, served[0] - t.served
        spend, reach, foreseen = spend + spent - t.spent, reach + offered, foreseen + cost
        if wins > 0 or recent is not None:
            last = recent or Recent(0.0, 0.0, 0.0)
            recent = Recent(last.cost + cost, last.reach + offered, last.wins + wins)
    horizon, evidence = HORIZON_EVENTS * max(1, price), spend if recent is None else foreseen
    if evidence > horizon:  # forget the oldest evidence, in proportion
        scale = horizon / evidence
        spend, reach, foreseen = spend * scale, reach * scale, foreseen * scale
    if recent is not None and recent.wins > RECENT_WINS:
        scale = RECENT_WINS / recent.wins
        recent = Recent(recent.cost * scale, recent.reach * scale, RECENT_WINS)
    rate = _rate(spend, reach, foreseen, recent)
    probability = _probability(rate, budget - spent, 1.0 - fraction, boost)
    return Throttle(
        probability, now, fraction, spent, spend, reach, gated, *served, foreseen, recent
    )


def _rate(spend: float, reach: float, foreseen: float, recent: Recent | None) -> float:
    """Spend per share of the traffic at probability 1 (0: not measured yet)."""
    if recent is not None and recent.cost > 0 and recent.reach > 0:
        calibration = spend / foreseen if spend > 0 and foreseen > 0 else 1.0
        return calibration * recent.cost / recent.reach
    return spend / reach if spend > 0 and reach > 0 else 0.0


def _probability(rate: float, left: int, ahead: float, boost: float) -> float:
    if rate <= 0:
        return 1.0  # nothing spent yet at any probability: no reason to hold back
    if left <= 0:
        return MIN_PROBABILITY
    wanted = left / max(ahead, 1e-6)  # micros per share of the traffic, from here to the end
    return min(1.0, max(MIN_PROBABILITY, boost * wanted / rate))
