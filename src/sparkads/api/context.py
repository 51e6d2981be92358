"""What every request handler needs, built once per app: settings, clock, units of work, throttles,
and the delivery runtime (snapshot store, counters, signing secret, random generator)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from sparkads import keys
from sparkads.accounts.principal import Principal
from sparkads.api.feed_metrics import FeedMetrics
from sparkads.api.throttles import Throttles
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.clock import Clock, TestClock
from sparkads.config import Settings
from sparkads.db.audit import Actor, set_actor
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.delivery.counters import Counters, MemoryCounters
from sparkads.delivery.redis_counters import RedisCounters
from sparkads.delivery.store import SnapshotStore, viewer_secret
from sparkads.errors import SparkadsError
from sparkads.reporting.folder import RollupFolder
from sparkads.reporting.reason_hours import ReasonSaver
from sparkads.services.decisions import EngineConfig
from sparkads.services.sign_in import principal_of
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings


@dataclass
class Delivery:
    store: SnapshotStore
    counters: Counters
    config: EngineConfig
    rng: random.Random


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    code_throttle: FailureThrottle
    delivery: Delivery
    principals: PrincipalCache
    traffic: TrafficRecorder
    throttles: Throttles
    keyring: keys.Keyring
    rollups: RollupFolder
    metrics: FeedMetrics | None = None  # None: /metrics is off and the feed records nothing

    @classmethod
    def build(cls, settings: Settings, clock: Clock, uow: UnitOfWorkFactory) -> AppContext:
        throttle = FailureThrottle(
            settings.auth_code_max_failures,
            timedelta(seconds=settings.auth_code_failure_window_seconds),
        )
        keyring = keys.load(settings.keys_json, settings.keys_file)
        with uow() as unit:
            viewer_secret(unit.session, clock, keyring.sealing)
            unit.commit()
        signing = keyring.decision_tokens
        counters = (
            RedisCounters.from_url(settings.redis_url) if settings.redis_url else MemoryCounters()
        )
        delivery = Delivery(
            store=SnapshotStore(uow, clock, settings.public_base_url, counters),
            counters=counters,
            config=EngineConfig(
                secret=signing.current_key, key_id=signing.current, older_keys=signing.keys
            ),
            rng=random.Random(settings.seed),
        )
        return cls(
            settings=settings,
            clock=clock,
            uow=uow,
            code_throttle=throttle,
            delivery=delivery,
            principals=PrincipalCache(),
            traffic=TrafficRecorder(
                uow,
                clock,
                TrafficSettings(
                    sample_rate=settings.traffic_sample_rate
                    if settings.traffic_sample_rate is not None
                    else (1.0 if settings.sandbox else TrafficSettings.sample_rate),
                    retention_days=settings.traffic_retention_days,
                    enabled=settings.traffic_log,
                ),
                seed=settings.seed,
            ),
            throttles=Throttles(settings.redis_url),
            keyring=keyring,
            metrics=FeedMetrics() if settings.metrics else None,
            # the sandbox folds on read too: little traffic, and what was just sent shows at once
            rollups=RollupFolder(
                uow,
                clock,
                interval=settings.rollup_interval_seconds,
                fold_on_read=settings.sandbox,
                # the engine's reasons saved in the folder's turn, for the delivery statuses
                reasons=ReasonSaver(
                    counters, lambda: [g.adgroup_id for g in delivery.store.snapshot.groups]
                ),
            ),
        )

    def traffic_uow(self) -> UnitOfWork:
        """A unit of work that sees every feed request this process has received: the traffic
        intake's buffer is written first (profiles are otherwise written every 30 s)."""
        self.traffic.flush()
        return self.uow()

    @property
    def test_clock(self) -> TestClock | None:
        return self.clock if isinstance(self.clock, TestClock) else None


# Requests that change nothing although they are not GETs: analysts may send them.
READ_ONLY_POSTS = frozenset(
    {"/open_api/v1.3/tcm/creator/discover/", "/api/v1/forecasts", "/api/v1/feed/decisions"}
)


def actor_of(principal: Principal, surface: str) -> Actor:
    """Who the audit log names for changes made by this principal."""
    return Actor(
        surface,
        principal.scope.value,
        principal.subject_id,
        principal.role.value,
        principal.user_id,
        principal.token_id,
    )


def check_role(request: Request, principal: Principal) -> Principal:
    """Every API call passes here: an analyst reads, and changes nothing. The caller becomes the
    audit log's actor for what this request changes (a context variable: set here, in the
    request's task, it reaches the handler, also when that runs in a worker thread)."""
    set_actor(
        actor_of(principal, "open_api" if request.url.path.startswith("/open_api/") else "api")
    )
    if (
        principal.may_write()
        or request.method in ("GET", "HEAD", "OPTIONS")
        or request.url.path in READ_ONLY_POSTS
    ):
        return principal
    raise SparkadsError(
        "role_not_allowed", role=principal.role.value, needed="the operator or admin role"
    )


def client_address(request: Request) -> str:
    """Where a request comes from (the proxy's view if uvicorn trusts its forwarded headers)."""
    return request.client.host if request.client else "unknown"


async def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


class PrincipalCache:
    """Resolved tokens kept for a minute, so hot endpoints (feed decisions and events) do not
    query the database for the caller on every request."""

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._items: dict[str, tuple[Principal, float]] = {}

    def get(self, token: str) -> Principal | None:
        item = self._items.get(token)
        if item is None or item[1] < time.monotonic():
            return None
        return item[0]

    def clear(self) -> None:
        self._items = {}

    def forget(self, token_id: str) -> None:
        """A revoked token stops working at once in this process (others within the ttl)."""
        self._items = {k: v for k, v in self._items.items() if v[0].token_id != token_id}

    def put(self, token: str, principal: Principal) -> None:
        if len(self._items) > 10_000:
            self._items.clear()
        self._items[token] = (principal, time.monotonic() + self.ttl)


def resolve_principal(context: AppContext, token: str | None) -> Principal:
    """The caller behind a token, from the cache or the database."""
    if token:
        cached = context.principals.get(token)
        if cached is not None:
            return cached
    principal = principal_of(context.uow, context.clock.now(), token)
    context.principals.put(token or "", principal)
    return principal
