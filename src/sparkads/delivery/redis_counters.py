"""Counters shared by several `sparkads serve` processes through one Redis server.

What correctness needs is in Redis: spend per budget line, with what billing added to it and in
how many events (the price pacing measures; billing is one Lua script that bills
only if every line of the event still has room, then adds to all of them, so a budget is never
overspent by more than one billable event across processes), refunds, and exposures per (viewer,
ad group) for frequency caps (`redis_exposures.py`: per-generation hashes of packed stamps, a few
dozen bytes per pair, expiring whole).

What stays in each process, in a `MemoryCounters` it holds and delegates to (not a subclass:
both implement the `Counters` protocol): per-ad statistics (the predictions of each process learn
from the events it ingests, plus the history loaded at start), pacing probabilities (each process
runs the controller on the shared spend), why-not-served reasons and the request count
(diagnostics of this process). They are estimates and diagnostics: a process
that sees part of the traffic estimates the same rates.

The decision path reads spend through a cache of `SPEND_CACHE_SECONDS` per key (its budget check
only spares serving ads that cannot be billed; billing itself always asks Redis), and reads a
viewer's exposures once per decision (one round trip, at the first cap the engine checks, lazily,
for its top candidates). Recording the exposure of a decision is one round trip.

Warm-up never lowers what other running processes have raised: spend is set only where the
ledger says more than Redis (`raise_spent`), and exposures are loaded only for pairs Redis has
none of (`load_exposures`)."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from sparkads.delivery.auction import Stats
from sparkads.delivery.counters import BudgetLine, MemoryCounters, Rows
from sparkads.delivery.pacing import PacingInput
from sparkads.delivery.redis_exposures import RedisExposures

if TYPE_CHECKING:
    from redis import Redis

SPEND_CACHE_SECONDS = 0.05  # how stale the decision path's view of spend may be
DAILY_LINE_TTL = 4 * 86_400  # a day's spend line is kept a little longer than warm-up looks back
WARM_BATCH = 500  # commands per pipeline round trip during warm-up
_DAILY = re.compile(r":\d{4}-\d{2}-\d{2}$")
T = TypeVar("T")

# KEYS: n spend lines, then their n billed hashes (micros, events). ARGV: amount, then per line
# its budget ('' = no limit) and ttl (0 = none).
_TRY_BILL = """
local amount = tonumber(ARGV[1])
local n = #KEYS / 2
for i = 1, n do
  local budget = ARGV[2 * i]
  if budget ~= '' and tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(budget) then
    return 0
  end
end
for i = 1, n do
  redis.call('INCRBY', KEYS[i], amount)
  redis.call('HINCRBY', KEYS[n + i], 'paid', amount)
  redis.call('HINCRBY', KEYS[n + i], 'events', 1)
  local ttl = tonumber(ARGV[2 * i + 1])
  if ttl > 0 then
    redis.call('EXPIRE', KEYS[i], ttl)
    redis.call('EXPIRE', KEYS[n + i], ttl)
  end
end
return 1
"""

# KEYS[1]: a spend line. ARGV: value, ttl (0 = none). Sets it only if that raises it.
_RAISE = """
local value = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < value then
  redis.call('SET', KEYS[1], value)
end
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
return 1
"""


def _batches(items: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, WARM_BATCH)):
        yield batch


def _ttl(key: str) -> int:
    return DAILY_LINE_TTL if _DAILY.search(key) else 0


class RedisCounters:
    """`Counters` whose spend and exposures live in Redis, the rest in a `MemoryCounters` of
    this process (see the module docstring)."""

    def __init__(self, client: Redis, prefix: str = "sparkads:") -> None:
        self._local = MemoryCounters()
        self._redis = client
        self._prefix = prefix
        self._try_bill = client.register_script(_TRY_BILL)
        self._raise = client.register_script(_RAISE)
        self._exposures = RedisExposures(client, prefix)
        self._cache: dict[str, tuple[float, int]] = {}
        self._billed_cache: dict[str, tuple[float, tuple[int, int]]] = {}

    @classmethod
    def from_url(cls, url: str, prefix: str = "sparkads:") -> RedisCounters:
        try:
            from redis import Redis
        except ImportError as missing:
            raise RuntimeError(
                "SPARKADS_REDIS_URL needs the Redis client: pip install 'sparkads[redis]'"
            ) from missing
        client = Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        client.ping()  # fail at start, not on the first request
        return cls(client, prefix)

    def _spend_key(self, key: str) -> str:
        return f"{self._prefix}spend:{key}"

    def _billed_key(self, key: str) -> str:
        return f"{self._prefix}billed:{key}"

    def spent(self, key: str) -> int:
        """Spend of a line, through the cache; a miss also reads what was billed on it (pacing
        asks for it next), in the same round trip."""
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(self._spend_key(key))
            pipe.hmget(self._billed_key(key), ["paid", "events"])
            spent, (paid, events) = pipe.execute()
        value = int(spent or 0)
        if len(self._cache) > 100_000:
            self._cache.clear()
            self._billed_cache.clear()
        self._cache[key] = (now + SPEND_CACHE_SECONDS, value)
        self._billed_cache[key] = (now + SPEND_CACHE_SECONDS, (int(paid or 0), int(events or 0)))
        return value

    def try_bill(self, lines: Sequence[BudgetLine], amount: int) -> bool:
        args: list[Any] = [amount]
        for line in lines:
            args += ["" if line.budget is None else line.budget, _ttl(line.key)]
        keys = [self._spend_key(line.key) for line in lines]
        keys += [self._billed_key(line.key) for line in lines]
        billed = self._try_bill(keys=keys, args=args)
        self._forget(lines)
        return bool(billed)

    def refund(self, lines: Sequence[BudgetLine], amount: int) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            for line in lines:
                pipe.decrby(self._spend_key(line.key), amount)
                pipe.hincrby(self._billed_key(line.key), "paid", -amount)
                pipe.hincrby(self._billed_key(line.key), "events", -1)
            pipe.execute()
        self._forget(lines)

    def billed(self, key: str) -> tuple[int, int]:
        """As `MemoryCounters.billed`, shared by every process; read through the same cache as
        spend (pacing reads it once per candidate)."""
        now = time.monotonic()
        cached = self._billed_cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        paid, events = self._redis.hmget(self._billed_key(key), ["paid", "events"])
        value = (int(paid or 0), int(events or 0))
        if len(self._billed_cache) > 100_000:
            self._billed_cache.clear()
        self._billed_cache[key] = (now + SPEND_CACHE_SECONDS, value)
        return value

    def _forget(self, lines: Sequence[BudgetLine]) -> None:
        for line in lines:
            self._cache.pop(line.key, None)
            self._billed_cache.pop(line.key, None)

    def set_spent(self, key: str, amount: int) -> None:
        self._redis.set(self._spend_key(key), amount)
        self._cache.pop(key, None)

    def raise_spent(self, amounts: Mapping[str, int]) -> None:
        for batch in _batches(amounts.items()):
            with self._redis.pipeline(transaction=False) as pipe:
                for key, amount in batch:
                    self._raise(keys=[self._spend_key(key)], args=[amount, _ttl(key)], client=pipe)
                    self._cache.pop(key, None)
                pipe.execute()

    def exposures(self, viewer_id: str, adgroup_id: str, since: float) -> int:
        return self._exposures.count(viewer_id, adgroup_id, since)

    def record_exposure(self, viewer_id: str, adgroup_id: str, at: float, keep: float) -> None:
        self._exposures.record(viewer_id, adgroup_id, at, keep)

    def load_exposures(self, seen: Iterable[tuple[str, str, Sequence[float]]], keep: float) -> None:
        self._exposures.load(seen, keep)

    # what stays in this process: delegated to the local `MemoryCounters`
    def ad_stats(self, ad_id: str) -> Stats:
        return self._local.ad_stats(ad_id)

    def add_ad_stat(self, ad_id: str, field: str, count: int = 1) -> None:
        self._local.add_ad_stat(ad_id, field, count)

    def pacing_probability(self, adgroup_id: str) -> float:
        return self._local.pacing_probability(adgroup_id)

    def pace_served(self, adgroup_id: str, expected: float) -> None:
        self._local.pace_served(adgroup_id, expected)

    def control_pacing(self, adgroup_id: str, reading: PacingInput) -> None:
        self._local.control_pacing(adgroup_id, reading)

    def count_reason(self, adgroup_id: str, reason: str) -> None:
        self._local.count_reason(adgroup_id, reason)

    def reasons(self, adgroup_id: str) -> dict[str, int]:
        return self._local.reasons(adgroup_id)

    def count_request(self) -> None:
        """A decision starts: the exposures read for the last one are not used again."""
        self._exposures.new_decision()
        self._local.count_request()

    def request_count(self) -> int:
        return self._local.request_count()

    def ad_stat_rows(self, ad_ids: Sequence[str]) -> Rows:
        return self._local.ad_stat_rows(ad_ids)

    def stats_table(self) -> npt.NDArray[np.int64]:
        return self._local.stats_table()

    def stat_changes(self, since: int) -> tuple[int, Rows | None]:
        return self._local.stat_changes(since)

    def reason_rows(self, adgroup_ids: Sequence[str]) -> Rows:
        return self._local.reason_rows(adgroup_ids)

    def count_reasons(self, rows: Rows, reason: str) -> None:
        self._local.count_reasons(rows, reason)

    def stats_snapshot(self) -> dict[str, Stats]:
        return self._local.stats_snapshot()

    def load_stats(self, stats: dict[str, Stats]) -> None:
        self._local.load_stats(stats)
