"""What only shared counters must do: several processes (here, several `RedisCounters` on one
Redis server, as each `sparkads serve` process has its own) see one spend and one set of
exposures, and a process that starts does not undo what the running ones counted."""

from __future__ import annotations

import threading
import uuid

from redis import Redis

from sparkads.delivery import redis_counters
from sparkads.delivery.counters import BudgetLine
from sparkads.delivery.exposures import SPAN
from sparkads.delivery.redis_counters import RedisCounters

DAY = "ag:g:2026-01-01"


def processes(client: Redis, count: int = 2) -> list[RedisCounters]:
    prefix = f"test-{uuid.uuid4().hex}:"
    return [RedisCounters(client, prefix) for _ in range(count)]


def test_a_budget_filled_by_one_process_refuses_billing_in_another(redis_client: Redis) -> None:
    first, second = processes(redis_client)
    lines = [BudgetLine(DAY, 1_000)]
    assert first.try_bill(lines, 600)
    assert second.try_bill(lines, 600)  # 600 < 1,000: room for one more event
    assert not first.try_bill(lines, 1)
    assert not second.try_bill(lines, 1)
    assert first.spent(DAY) == second.spent(DAY) == 1_200


def test_processes_billing_at_once_overspend_by_less_than_one_event(redis_client: Redis) -> None:
    counters = processes(redis_client, 4)
    lines = [BudgetLine(DAY, 100_000), BudgetLine("cp:c:2026-01-01", 150_000)]
    billed: list[int] = []

    def worker(process: RedisCounters) -> None:
        billed.extend(1 for _ in range(300) if process.try_bill(lines, 777))

    threads = [threading.Thread(target=worker, args=(counters[n % 4],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spent = redis_counters.RedisCounters(redis_client, counters[0]._prefix).spent(DAY)
    assert spent == len(billed) * 777
    assert 100_000 <= spent < 100_000 + 777


def test_an_exposure_in_one_process_counts_towards_the_cap_in_another(
    redis_client: Redis,
) -> None:
    first, second = processes(redis_client)
    first.record_exposure("v", "g", 1_000.0, keep=86_400.0)
    second.record_exposure("v", "g", 1_000.0, keep=86_400.0)
    assert first.exposures("v", "g", since=0.0) == second.exposures("v", "g", since=0.0) == 2


def test_a_starting_process_keeps_what_running_ones_counted(redis_client: Redis) -> None:
    running, starting = processes(redis_client)
    running.try_bill([BudgetLine(DAY, None)], 900)  # billed, not yet in the ledger
    running.record_exposure("v", "g", 1_000.0, keep=86_400.0)
    starting.raise_spent({DAY: 500, "agl:g": 2_000})  # what the ledger says
    starting.load_exposures([("v", "g", [990.0]), ("w", "g", [995.0])], keep=86_400.0)
    assert starting.spent(DAY) == 900
    assert starting.spent("agl:g") == 2_000
    assert starting.exposures("v", "g", since=0.0) == 1  # not counted twice
    assert starting.exposures("w", "g", since=0.0) == 1


def test_spend_of_a_day_expires_and_lifetime_spend_stays(redis_client: Redis) -> None:
    [counters] = processes(redis_client, 1)
    counters.try_bill([BudgetLine(DAY, None), BudgetLine("agl:g", None)], 5)
    assert 0 < redis_client.ttl(f"{counters._prefix}spend:{DAY}") <= redis_counters.DAILY_LINE_TTL
    assert redis_client.ttl(f"{counters._prefix}spend:agl:g") == -1  # no expiry
    counters.record_exposure("v", "g", 1_000.0, keep=3_600.0)
    generation = [
        key.decode()
        for key in redis_client.scan_iter(f"{counters._prefix}x:*")
        if not key.endswith((b":dir", b":ver", b":latest"))  # a few bytes each, kept
    ]
    assert len(generation) == 2  # the generation's hash and the viewer's bucket
    for key in generation:  # what is left of the 6-hour generation, plus the keep
        assert SPAN - 1_000.0 + 3_600 - 5 <= redis_client.ttl(key) <= SPAN - 1_000.0 + 3_600


def test_the_price_paid_per_event_is_shared_and_expires_with_its_day(redis_client: Redis) -> None:
    """Pacing in every process sizes its gate in the price paid per event: what one process
    bills, the others count, refunds included; a day's count expires with that day's spend."""
    first, second = processes(redis_client)
    lines = [BudgetLine(DAY, 1_000_000), BudgetLine("agl:g", None)]
    assert first.try_bill(lines, 20_000)
    assert second.try_bill(lines, 30_000)
    assert second.try_bill(lines, 40_000)
    second.refund(lines, 40_000)
    assert first.billed(DAY) == second.billed(DAY) == (50_000, 2)
    assert first.billed("agl:g") == (50_000, 2)
    billed = f"{first._prefix}billed:"
    assert 0 < redis_client.ttl(billed + DAY) <= redis_counters.DAILY_LINE_TTL
    assert redis_client.ttl(billed + "agl:g") == -1
