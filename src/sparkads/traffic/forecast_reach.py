"""Reach in a forecast: distinct viewers, counted from a sample of requests, never more than the
audience of the same targeting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sparkads.traffic.store import AudienceEstimate, RequestLog


def audience_bound(audience: AudienceEstimate) -> int:
    """The most distinct viewers a day can reach: the targeting's audience (viewers seen in the
    last 30 days, counted exactly over the profiles; 'fewer than 100' bounds at 99)."""
    return audience.size if audience.size is not None else audience.minimum - 1


@dataclass(frozen=True)
class Viewers:
    """What reach needs to count distinct viewers from a sample of requests. A replayed row stands
    for `1 / chance` requests, but a viewer who asks many times a day is in the sample almost
    surely: scaling distinct sampled viewers by the rows' weight counts them many times over (and
    gave reach above the audience). Each reached viewer counts 1 / P(at least one of their
    requests of the day is replayed) instead (Horvitz–Thompson), their requests a day estimated
    from their sampled requests in the window."""

    scale: float  # matching rows / replayed rows
    chance: float  # a request's chance to be a replayed row: sample rate × replayed / matching
    daily: dict[str, float]  # a viewer's requests on a day they ask (at least one)

    @classmethod
    def of(cls, log: RequestLog, matching: NDArray[np.intp], scale: float, days: int) -> Viewers:
        weight = float(log.weight[matching].mean()) if matching.size else 1.0
        counts = Counter(log.keys[i] for i in matching.tolist())
        daily = {k: max(1.0, n * weight / days) for k, n in counts.items()}
        return cls(scale, min(1.0, 1.0 / (weight * scale)), daily)

    def reach(self, reached: set[str]) -> tuple[float, float]:
        """Distinct viewers reached, and the estimate's standard error (Horvitz–Thompson:
        the square root of the sum of (1 - p) / p² over the reached viewers)."""
        miss = 1.0 - self.chance
        chances = [1.0 - miss ** self.daily.get(k, 1.0) for k in reached]
        estimate = sum(1.0 / p for p in chances)
        return float(estimate), float(sum((1.0 - p) / (p * p) for p in chances) ** 0.5)
