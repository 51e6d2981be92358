"""Budget pacing (pure): spread a daily budget over the day along the expected traffic curve.

Two mechanisms, as in ad servers that pace well:
- a gate: an ad group may spend only up to its budget × the share of the day's traffic already
  seen (plus a small slack), so spend follows the curve instead of burning out in the morning;
- a throttle probability per ad group (`Throttle`, updated by `control` once per
  `CONTROL_INTERVAL`), so spend is spread over the requests instead of taken by the first ones.

The throttle is set feed-forward, not by nudging: the probability is the spend rate still needed
(budget left ÷ share of the traffic still to come) divided by the rate the ad group would spend at
probability 1. That rate is measured: spend over the traffic offered × probability, summed over a
horizon of at least `HORIZON_EVENTS` billable events. Measured in shares of the day's traffic, the
rate is the same all day when the audience and competition are, so a long horizon costs nothing,
and it keeps a budget of a few clicks an hour from swinging the probability at every click (a
correction per interval from the last interval's spend did: one click more or less is ±100 %).
Spend that runs ahead or behind is the feedback: it changes the budget left, so the rest of the day
absorbs it a little at a time.

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
event instead of at the mercy of the draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate

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
BOOST = 1.25  # the probability of a narrowly gated group, over what the plan needs


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
    the recent spend and traffic × probability (decayed sums) that measure its unthrottled rate."""

    probability: float = 1.0
    at: float = -math.inf  # instant of the last update
    fraction: float = 0.0  # share of the traffic (or lifetime) seen then
    spent: int = 0  # spend then, micros
    spend: float = 0.0  # recent spend, micros
    reach: float = 0.0  # recent traffic share × probability


def due(throttle: Throttle, now: float) -> bool:
    return not throttle.at <= now < throttle.at + CONTROL_INTERVAL


def control(
    throttle: Throttle,
    now: float,
    spent: int,
    budget: int,
    fraction: float,
    price: int,
    gated: bool,
    narrow: bool = False,
) -> Throttle:
    """The next state once `due`: `spent` of `budget` with `fraction` of the traffic seen; a
    billable event costs `price` (measured); `gated`: the gate (`may_spend`) is closed now;
    `narrow`: gated narrowly (see `may_spend`), so kept `BOOST` above need.

    An interval that ends with the gate closed is left out of the measured rate: its spend was
    capped by the gate, not by the probability, and counting it would make the rate look low
    and keep the probability too high (spend riding on the gate, ahead of the curve)."""
    if throttle.at == -math.inf:
        return Throttle(1.0, now, fraction, spent)
    grown = fraction - throttle.fraction
    spend = throttle.spend + (spent - throttle.spent)
    reach = throttle.reach + throttle.probability * grown
    if gated or now < throttle.at or spent < throttle.spent or grown < 0:  # or a new day
        spend, reach = throttle.spend, throttle.reach
    horizon = HORIZON_EVENTS * max(1, price)
    if spend > horizon:  # forget the oldest evidence, in proportion
        spend, reach = horizon, reach * horizon / spend
    boost = BOOST if narrow else 1.0
    probability = _probability(spend, reach, budget - spent, 1.0 - fraction, boost)
    return Throttle(probability, now, fraction, spent, spend, reach)


def _probability(spend: float, reach: float, left: int, ahead: float, boost: float) -> float:
    if spend <= 0 or reach <= 0:
        return 1.0  # nothing spent yet at any probability: no reason to hold back
    if left <= 0:
        return MIN_PROBABILITY
    wanted = left / max(ahead, 1e-6)  # micros per share of the traffic, from here to the end
    return min(1.0, max(MIN_PROBABILITY, boost * wanted / (spend / reach)))
