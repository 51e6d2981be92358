"""The unit of work as the application services take it: a factory (`AppContext.uow`,
`Web.uow`, the CLI's `unit_of_work_factory`), each use case opening one of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.db.unit_of_work import UnitOfWork

T = TypeVar("T")
Units = Callable[[], UnitOfWork]


def committed(uow: Units, act: Callable[[Session], T]) -> T:
    """`act` in a unit of work of its own, committed once it returns (nothing is written if it
    raises). What it returns stays readable: sessions do not expire on commit."""
    with uow() as unit:
        done = act(unit.session)
        unit.commit()
        return done


def for_advertiser(
    uow: Units, principal: Principal, advertiser_id: str, act: Callable[[Session, Advertiser], T]
) -> T:
    """`committed`, the principal's access to the ad account checked first (40001)."""
    return committed(
        uow, lambda session: act(session, authorize_advertiser(session, principal, advertiser_id))
    )
