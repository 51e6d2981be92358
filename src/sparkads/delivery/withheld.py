"""Counting the ad groups a minor's request refused for profiling (`campaigns/minors.py`): one
`NotServed.MINOR_PROFILING` each, so an ad group's diagnosis tells them from targeting.

Only minors' requests in the EEA, the UK and Switzerland reach this; few refused ad groups are
counted one by one, many at once on the counters' rows (as `scoring.count_reasons` does)."""

from __future__ import annotations

from sparkads.delivery import scoring
from sparkads.delivery.columns import columns_of
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import Snapshot
from sparkads.delivery.reasons import NotServed
from sparkads.delivery.targeting import bits


def count_withheld(refused: int, snapshot: Snapshot, counters: Counters, many: int) -> None:
    """One `MINOR_PROFILING` for each ad group of `refused` (a bitset of positions); from `many`
    of them, on NumPy rows."""
    if refused.bit_count() < many:
        groups = snapshot.groups
        for position in bits(refused):
            counters.count_reason(groups[position].adgroup_id, NotServed.MINOR_PROFILING)
        return
    known = scoring.estimates(snapshot, columns_of(snapshot), counters)
    at = scoring.positions(refused, snapshot.size)
    counters.count_reasons(known.reason_rows[at], NotServed.MINOR_PROFILING)
