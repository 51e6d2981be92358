"""Frequency-cap exposures in Redis, shared by every `serve` process (`RedisCounters` delegates
here): a few dozen bytes per (viewer, ad group) pair, forgotten without a sweep, and read in one
round trip per decision.

Time is cut into the generations of `exposures.py` (`SPAN`, stamps of 1/`TICKS` s from a
generation's start), so both variants round a window's edge alike and count the same. Keys
(after the prefix):

- `x:{g}:{b}`, a hash per bucket `b` of generation `g`. A field is a viewer (an 8-byte key); its
  value that viewer's exposures in `g`, 6 bytes each: a 4-byte ad group key and a 16-bit stamp.
  A field holds `PER_FIELD` of them (60 bytes: values stay under Redis's default
  `hash-max-listpack-value` of 64), then the viewer's fields `key+\\x01`, `key+\\x02`, `key+\\x03`
  (the last takes any more). A generation has enough buckets for about `PER_BUCKET` viewers each
  (Redis's default `hash-max-listpack-entries` is 128), so every hash stays a compact listpack.
- `x:{g}`, the generation's own hash: `n` its bucket count (fixed when the generation starts,
  from the viewers `v` of the previous one), `v` its viewers, `k` the longest keep recorded in it.
- `x:dir` (generation → "bucket count:keep", of the live generations) and `x:ver` (bumped when a
  generation starts or its keep grows): a process keeps the directory and reads it again only when
  `x:ver` moved. `x:latest`: the latest exposure recorded.

As in memory, what a generation holds counts while younger than its keep, measured from the
latest exposure recorded (the clock of the decisions, not Redis's).

Each generation's keys expire whole (EXPIRE, relative, so the servers' clocks need not agree with
the decisions' clock) once it is older than the longest keep recorded in it. Two pairs whose keys
collide share their count: a cap may then stop an ad early, never let it exceed.

A decision checks caps for the viewer's candidates one by one (`Counters.exposures`); the first
check of a decision (`count_request` marks a new one) reads everything the viewer has in the
window's generations in one pipelined round trip, and the other checks of that decision count
from it."""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sparkads.delivery.exposures import SPAN, TICKS

if TYPE_CHECKING:
    from redis import Redis

PER_FIELD = 10  # exposures in one field's value (6 bytes each)
SPILLS = 3  # further fields of a viewer in a generation
PER_BUCKET = 48  # viewers a bucket is sized for (Redis keeps hashes of ≤ 128 fields compact)
FIRST_BUCKETS = 1_024  # a generation with no previous one to size it from
FRESH_SECONDS = 0.05  # how long what a decision read stays usable (it is read again after)
_ENTRY = 6

# KEYS: the bucket, the generation's hash, the directory, its version, the latest exposure.
# ARGV: viewer key, entries (6 bytes each), ttl, '1' to add only if the viewer has no exposure
# of that ad group there yet (warm-up), the generation, the keep, the latest of the entries.
_ADD = f"""
local field, entries, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local keep = tonumber(ARGV[6])
if keep > tonumber(redis.call('HGET', KEYS[2], 'k') or '0') then
  redis.call('HSET', KEYS[2], 'k', ARGV[6])
  redis.call('HSET', KEYS[3], ARGV[5], redis.call('HGET', KEYS[2], 'n') .. ':' .. ARGV[6])
  redis.call('INCR', KEYS[4])
end
local latest = redis.call('GET', KEYS[5])
if not latest or tonumber(ARGV[7]) > tonumber(latest) then redis.call('SET', KEYS[5], ARGV[7]) end
local values = redis.call('HMGET', KEYS[1], field, field .. '\\1', field .. '\\2', field .. '\\3')
if ARGV[4] == '1' then
  local group = string.sub(entries, 1, 4)
  for i = 1, 4 do
    local value = values[i]
    if value then
      for at = 1, #value, {_ENTRY} do
        if string.sub(value, at, at + 3) == group then return 0 end
      end
    end
  end
end
for i = 1, 4 do
  local value = values[i]
  local name = field
  if i > 1 then name = field .. string.char(i - 1) end
  if not value then
    redis.call('HSET', KEYS[1], name, entries)
    if i == 1 then redis.call('HINCRBY', KEYS[2], 'v', 1) end
    break
  elseif #value + #entries <= {PER_FIELD * _ENTRY} or i == 4 then
    redis.call('HSET', KEYS[1], name, value .. entries)
    break
  end
end
for i = 1, 2 do
  if redis.call('TTL', KEYS[i]) < ttl then redis.call('EXPIRE', KEYS[i], ttl) end
end
return 1
"""

# KEYS: the generation's hash, the previous one's, the directory, its version. ARGV: g, viewers
# per bucket, buckets at least, viewers expected (0: unknown), ttl, keep. Returns {n, version,
# started here (1) or before (0)}.
_START = """
local n = redis.call('HGET', KEYS[1], 'n')
if n then return {tonumber(n), tonumber(redis.call('GET', KEYS[4]) or '0'), 0} end
local viewers = math.max(tonumber(redis.call('HGET', KEYS[2], 'v') or '0'), tonumber(ARGV[4]))
n = math.max(tonumber(ARGV[3]), math.ceil(viewers / tonumber(ARGV[2])))
redis.call('HSET', KEYS[1], 'n', n, 'k', ARGV[6])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
redis.call('HSET', KEYS[3], ARGV[1], n .. ':' .. ARGV[6])
return {n, redis.call('INCR', KEYS[4]), 1}
"""

# KEYS: the directory, then the hashes of the generations it lists. ARGV: those generations.
# Forgets the generations whose keys have expired.
_PRUNE = """
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then redis.call('HDEL', KEYS[1], ARGV[i - 1]) end
end
return 1
"""


def viewer_key(viewer_id: str) -> bytes:
    return hashlib.blake2b(viewer_id.encode(), digest_size=8).digest()


def _ttl(generation: int, at: float, keep: float) -> int:
    """Seconds until an exposure at `at` no longer needs its generation: what is left of the
    generation, plus the keep."""
    return math.ceil((generation + 1) * SPAN - at + keep)


def _stamp(generation: int, at: float) -> int:
    return int((at - generation * SPAN) * TICKS) + 1


class _Read(threading.local):
    viewer: str | None = None
    first = 0  # the oldest generation read
    until = 0.0  # monotonic time it stays usable
    seen: dict[bytes, list[tuple[int, int]]] | None = None  # ad group key -> (generation, stamp)
    latest = 0.0  # the latest exposure recorded, when read


class RedisExposures:
    def __init__(self, client: Redis, prefix: str) -> None:
        self._redis = client
        self._prefix = f"{prefix}x:"
        self._add = client.register_script(_ADD)
        self._start = client.register_script(_START)
        self._prune = client.register_script(_PRUNE)
        self._directory: dict[int, tuple[int, float]] = {}  # live generation -> buckets, keep
        self._version = -1
        self._groups: dict[str, bytes] = {}
        self._read = _Read()

    def new_decision(self) -> None:
        self._read.viewer = None

    def count(self, viewer_id: str, adgroup_id: str, since: float) -> int:
        first = int(since // SPAN)
        read = self._read
        if (
            read.viewer != viewer_id
            or read.first > first
            or read.seen is None
            or read.until < time.monotonic()
        ):
            read.seen, read.latest = self._fetch(viewer_key(viewer_id), first)
            read.viewer, read.first, read.until = viewer_id, first, time.monotonic() + FRESH_SECONDS
        total = 0
        for generation, stamp in read.seen.get(self._group(adgroup_id), ()):
            kept = self._directory.get(generation, (0, 0.0))[1]
            start = max(since, read.latest - kept)
            if stamp >= _stamp(generation, max(start, generation * SPAN)):
                total += 1
        return total

    def record(self, viewer_id: str, adgroup_id: str, at: float, keep: float) -> None:
        self._read.viewer = None
        self.add(viewer_id, adgroup_id, [at], keep, only_new=False)

    def load(self, seen: Iterable[tuple[str, str, Sequence[float]]], keep: float) -> None:
        """Exposures from the ledger, each generation of a pair only where Redis has none of that
        pair (running processes recorded it already)."""
        batch = list(seen)
        viewers: dict[int, set[str]] = {}
        earliest: dict[int, float] = {}
        for viewer_id, _, stamps in batch:
            for at in stamps:
                generation = int(at // SPAN)
                viewers.setdefault(generation, set()).add(viewer_id)
                earliest[generation] = min(at, earliest.get(generation, at))
        for generation, among in viewers.items():
            ttl = _ttl(generation, earliest[generation], keep)
            self._generation(generation, ttl, keep, len(among))
        with self._redis.pipeline(transaction=False) as pipe:
            for n, (viewer_id, adgroup_id, stamps) in enumerate(batch, 1):
                self.add(viewer_id, adgroup_id, stamps, keep, only_new=True, client=pipe)
                if n % 500 == 0:
                    pipe.execute()
            pipe.execute()

    def add(
        self,
        viewer_id: str,
        adgroup_id: str,
        stamps: Sequence[float],
        keep: float,
        only_new: bool,
        client: Redis | None = None,
    ) -> None:
        field, group = viewer_key(viewer_id), self._group(adgroup_id)
        by_generation: dict[int, list[float]] = {}
        for at in stamps:
            by_generation.setdefault(int(at // SPAN), []).append(at)
        prefix = self._prefix
        for generation, moments in by_generation.items():
            ttl = _ttl(generation, min(moments), keep)
            buckets = self._generation(generation, ttl, keep)
            entries = b"".join(group + _stamp(generation, at).to_bytes(2, "big") for at in moments)
            self._add(
                keys=[
                    self._bucket(generation, buckets, field),
                    f"{prefix}{generation}",
                    f"{prefix}dir",
                    f"{prefix}ver",
                    f"{prefix}latest",
                ],
                args=[
                    field,
                    entries,
                    ttl,
                    "1" if only_new else "0",
                    generation,
                    repr(float(keep)),
                    repr(float(max(moments))),
                ],
                client=client,
            )

    def _group(self, adgroup_id: str) -> bytes:
        key = self._groups.get(adgroup_id)
        if key is None:
            if len(self._groups) > 1_000_000:
                self._groups.clear()
            key = hashlib.blake2b(adgroup_id.encode(), digest_size=4).digest()
            self._groups[adgroup_id] = key
        return key

    def _bucket(self, generation: int, buckets: int, field: bytes) -> str:
        return f"{self._prefix}{generation}:{int.from_bytes(field[:4], 'big') % buckets}"

    def _generation(self, generation: int, ttl: int, keep: float, expected: int = 0) -> int:
        """The bucket count of `generation`, starting it if no process has."""
        known = self._directory.get(generation)
        if known is not None:
            return known[0]
        buckets, version, started = self._start(
            keys=[
                f"{self._prefix}{generation}",
                f"{self._prefix}{generation - 1}",
                f"{self._prefix}dir",
                f"{self._prefix}ver",
            ],
            args=[
                generation,
                PER_BUCKET,
                FIRST_BUCKETS,
                expected,
                ttl,
                repr(float(keep)),
            ],
        )
        self._directory[generation] = (int(buckets), keep)
        # the directory is still whole if nothing but this generation started meanwhile
        whole = bool(started) and int(version) == self._version + 1
        self._version = int(version) if whole else -1
        return int(buckets)

    def _fetch(self, field: bytes, first: int) -> tuple[dict[bytes, list[tuple[int, int]]], float]:
        """What the viewer has from generation `first` on, in one round trip (two or three when
        a generation started since the directory was read)."""
        names = [field, field + b"\x01", field + b"\x02", field + b"\x03"]
        generations = [g for g in self._directory if g >= first]
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(f"{self._prefix}ver")
            pipe.get(f"{self._prefix}latest")
            for generation in generations:
                buckets = self._directory[generation][0]
                pipe.hmget(self._bucket(generation, buckets, field), names)
            version, latest, *values = pipe.execute()
        if int(version or 0) != self._version:
            self._refresh(int(version or 0))
            return self._fetch(field, first)
        seen: dict[bytes, list[tuple[int, int]]] = {}
        for generation, fields in zip(generations, values, strict=True):
            for value in fields:
                if value:
                    for at in range(0, len(value), _ENTRY):
                        stamp = int.from_bytes(value[at + 4 : at + _ENTRY], "big")
                        seen.setdefault(value[at : at + 4], []).append((generation, stamp))
        return seen, float(latest or 0.0)

    def _refresh(self, version: int) -> None:
        listed = self._redis.hgetall(f"{self._prefix}dir")
        self._directory = {}
        for generation, value in listed.items():
            text = value.decode() if isinstance(value, bytes) else str(value)
            buckets, keep = text.split(":")
            self._directory[int(generation)] = (int(buckets), float(keep))
        self._version = version
        if self._directory:
            generations = list(self._directory)
            self._prune(
                keys=[f"{self._prefix}dir", *(f"{self._prefix}{g}" for g in generations)],
                args=generations,
            )
