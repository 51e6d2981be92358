"""Budget pacing (pure): spread a daily budget over the day along the expected traffic curve.

Two mechanisms, as in ad servers that pace well:
- a gate: an ad group may spend only up to its budget × the share of the day's traffic already
  seen (plus a small slack), so spend follows the curve instead of burning out in the morning;
- a throttle probability per ad group, corrected every interval by a feedback controller from the
  spend actually achieved against the spend the curve asked for, so spend within an interval is
  spread over its requests instead of taken by the first ones.
"""

from __future__ import annotations

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

CONTROL_INTERVAL = 300.0  # seconds between throttle corrections
MIN_PROBABILITY = 0.02
SLACK_SHARE = 0.02  # spend may run ahead of the curve by 2 % of the budget


def day_fraction(local: datetime) -> float:
    """Share of the day's traffic seen by this local instant (0 at midnight, 1 at the next)."""
    hour = local.hour
    within = (local.minute * 60 + local.second) / 3600
    return _CUMULATIVE[hour] + HOURLY_TRAFFIC[hour] * within


def lifetime_fraction(start: float, end: float, now: float) -> float:
    if now <= start:
        return 0.0
    return min(1.0, (now - start) / max(1.0, end - start))


def may_spend(spent: int, budget: int, fraction: float, event_cost: int, hour_share: float) -> bool:
    """The gate: spending more now would not run ahead of the curve by more than the slack.

    The slack shrinks as the day runs out (so the budget lasts until midnight, not 23:30) and never
    exceeds half of the current hour's share (so a new day does not open with a burst)."""
    share = min(SLACK_SHARE * (1.0 - fraction), 0.5 * hour_share)
    slack = max(int(budget * share), event_cost)
    return spent < min(budget, int(budget * fraction) + slack)


def next_probability(probability: float, wanted: float, achieved: float) -> float:
    """Feedback: too much spend in the last interval lowers the probability, too little raises it."""
    if wanted <= 0:
        return probability
    ratio = achieved / wanted
    if ratio > 1.1:
        probability *= max(0.5, 1 / ratio)
    elif ratio < 0.9:
        probability = probability * 1.5 + 0.05
    return min(1.0, max(MIN_PROBABILITY, probability))
