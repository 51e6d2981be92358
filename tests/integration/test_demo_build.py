"""`sparkads demo` builds its world in one transaction: the creators a sandbox opens without a
token are marked in it, so a failure leaves no world behind (not one whose creators are unmarked,
which a second run would then keep as it is)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sparkads.accounts.models import BusinessCenter, Creator, DemoAccount
from sparkads.cli import demo
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.services import accounts


def test_the_world_and_its_demo_creators_are_written_together(
    database_url: str, uow: UnitOfWork, clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the marking failed")

    monkeypatch.setattr(accounts, "mark_demo", failing)
    with pytest.raises(RuntimeError):
        demo._build(database_url, clock, 7)
    assert uow.session.scalar(select(func.count()).select_from(BusinessCenter)) == 0
    assert uow.session.scalar(select(func.count()).select_from(Creator)) == 0

    monkeypatch.undo()
    world = demo._build(database_url, clock, 7)
    uow.session.rollback()
    marked = set(
        uow.session.scalars(select(DemoAccount.subject_id).where(DemoAccount.kind == "creator"))
    )
    assert marked == {creator.creator_id for creator in world.creators}
