from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from redis import Redis

from factories.redis_server import throwaway_redis
from sparkads.delivery.compile import geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.redis_counters import RedisCounters
from sparkads.delivery.targeting import Geography


@pytest.fixture(scope="session")
def geo() -> Geography:
    return geography()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway redis-server for the whole run (tests keep apart by key prefix)."""
    with throwaway_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_client(redis_url: str) -> Iterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture(params=["memory", "redis"])
def make_counters(request: pytest.FixtureRequest) -> Callable[[], MemoryCounters]:
    """New, empty counters of each kind: the Redis ones behave as the in-process ones."""
    if request.param == "memory":
        return MemoryCounters
    client = request.getfixturevalue("redis_client")
    return lambda: RedisCounters(client, prefix=f"test-{uuid.uuid4().hex}:")
