"""What every request handler needs, built once per app: settings, clock, units of work, throttles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from sparkads.authorizations.throttle import FailureThrottle
from sparkads.clock import Clock, TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWorkFactory


@dataclass
class AppContext:
    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    code_throttle: FailureThrottle

    @classmethod
    def build(cls, settings: Settings, clock: Clock, uow: UnitOfWorkFactory) -> AppContext:
        throttle = FailureThrottle(
            settings.auth_code_max_failures,
            timedelta(seconds=settings.auth_code_failure_window_seconds),
        )
        return cls(settings=settings, clock=clock, uow=uow, code_throttle=throttle)

    @property
    def test_clock(self) -> TestClock | None:
        return self.clock if isinstance(self.clock, TestClock) else None


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]
