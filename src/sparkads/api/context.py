"""What every request handler needs, built once per app: settings, clock, units of work, throttles,
and the delivery runtime (snapshot store, counters, signing secret, random generator)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from sparkads.authorizations.throttle import FailureThrottle
from sparkads.clock import Clock, TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig
from sparkads.delivery.store import SnapshotStore, signing_secret


@dataclass
class Delivery:
    store: SnapshotStore
    counters: MemoryCounters
    config: EngineConfig
    rng: random.Random


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    code_throttle: FailureThrottle
    delivery: Delivery

    @classmethod
    def build(cls, settings: Settings, clock: Clock, uow: UnitOfWorkFactory) -> AppContext:
        throttle = FailureThrottle(
            settings.auth_code_max_failures,
            timedelta(seconds=settings.auth_code_failure_window_seconds),
        )
        with uow() as unit:
            secret = signing_secret(unit.session, clock)
            unit.commit()
        delivery = Delivery(
            store=SnapshotStore(uow, clock, settings.public_base_url),
            counters=MemoryCounters(),
            config=EngineConfig(secret=secret),
            rng=random.Random(settings.seed),
        )
        return cls(
            settings=settings, clock=clock, uow=uow, code_throttle=throttle, delivery=delivery
        )

    @property
    def test_clock(self) -> TestClock | None:
        return self.clock if isinstance(self.clock, TestClock) else None


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]
