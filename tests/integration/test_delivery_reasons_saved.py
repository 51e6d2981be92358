"""The delivery reasons saved an hour at a time (`reporting.reason_hours`) count every serve
once: an ad group that leaves the live snapshot (paused, in review, authorization lost) and comes
back adds only what it did since, its unsaved counts stay what was not saved, and a save whose
commit failed is written again at the next fold, not lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.delivery.counters import MemoryCounters
from sparkads.reporting.folder import RollupFolder
from sparkads.reporting.models import ReasonHour
from sparkads.reporting.reason_hours import SAVE_EVERY_S, ReasonSaver

GROUP = "ag-reasons-saved"


class _BusyOnce(UnitOfWorkFactory):
    """Units of work whose first commit fails as a busy SQLite database does."""

    failures = 1

    def __call__(self) -> UnitOfWork:
        unit, factory = super().__call__(), self

        class Busy(UnitOfWork):
            def commit(self) -> None:
                if factory.failures:
                    factory.failures -= 1
                    raise OperationalError("COMMIT", {}, Exception("database is locked"))
                super().commit()

        return Busy(unit.session)


@pytest.fixture
def factory(database_url: str) -> Iterator[_BusyOnce]:
    engine = make_engine(database_url)
    made = _BusyOnce(engine)
    made.failures = 0
    yield made
    with made() as unit:
        unit.session.execute(ReasonHour.__table__.delete().where(ReasonHour.adgroup_id == GROUP))
        unit.commit()
    engine.dispose()


def _saved(factory: UnitOfWorkFactory) -> int:
    with factory() as unit:
        total = unit.session.scalar(
            select(func.sum(ReasonHour.count)).where(ReasonHour.adgroup_id == GROUP)
        )
    return int(total or 0)


def _serve(counters: MemoryCounters, times: int) -> None:
    for _ in range(times):
        counters.count_reason(GROUP, "served")


def _folder(
    factory: UnitOfWorkFactory, clock: TestClock, live: list[str]
) -> tuple[RollupFolder, ReasonSaver, MemoryCounters]:
    """A folder saving the reasons of the ad groups `live` holds, its saver and counters."""
    counters = MemoryCounters()
    saver = ReasonSaver(counters, lambda: list(live))
    return RollupFolder(factory, clock, reasons=saver), saver, counters


def _fold_later(folder: RollupFolder, clock: TestClock) -> None:
    clock.advance(timedelta(seconds=SAVE_EVERY_S))
    folder.fold_now()


@pytest.mark.parametrize(
    ("before_leaving", "after_return"),
    [(0, 1), (3, 0), (3, 2)],
    ids=["served-after-return", "served-just-before-leaving", "both"],
)
def test_an_ad_group_out_of_the_snapshot_and_back_is_counted_once(
    factory: _BusyOnce, clock: TestClock, before_leaving: int, after_return: int
) -> None:
    """Served 10 times, saved; maybe served again just before leaving the snapshot (paused, in
    review); back, maybe served again: every serve saved once (the review's 10 + 1 gave 21)."""
    live = [GROUP]
    folder, saver, counters = _folder(factory, clock, live)
    _serve(counters, 10)
    _fold_later(folder, clock)
    _serve(counters, before_leaving)
    live.clear()
    _fold_later(folder, clock)
    assert _saved(factory) == 10 + before_leaving
    assert saver.pending([GROUP]) == {}  # its saved total is not pending again
    live.append(GROUP)
    _serve(counters, after_return)
    _fold_later(folder, clock)
    assert _saved(factory) == 10 + before_leaving + after_return
    assert saver.pending([GROUP]) == {}


def test_a_failed_commit_saves_its_counts_at_the_next_fold(
    factory: _BusyOnce, clock: TestClock
) -> None:
    folder, saver, counters = _folder(factory, clock, [GROUP])
    _serve(counters, 5)
    factory.failures = 1
    clock.advance(timedelta(seconds=SAVE_EVERY_S))
    with pytest.raises(OperationalError):
        folder.fold_now()
    assert _saved(factory) == 0
    assert saver.pending([GROUP]) == {(GROUP, "served"): 5}  # still to save
    folder.fold_now()  # right away: the failed save did not count as one
    assert _saved(factory) == 5
    assert saver.pending([GROUP]) == {}
