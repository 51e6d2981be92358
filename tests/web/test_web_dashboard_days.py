"""Ads Manager → dashboard: days are the ad account's days, not UTC days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import SpendEntry
from sparkads.web.kpis import account_dashboard


def _spend(uow: UnitOfWork, event_id: int, at: datetime, amount: int) -> None:
    uow.session.add(
        SpendEntry(
            event_id=event_id,
            advertiser_id="adv1",
            campaign_id="cmp1",
            adgroup_id="adg1",
            ad_id="ad1",
            amount=amount,
            local_day=at.date().isoformat(),
            at=at,
        )
    )


def test_dashboard_days_follow_the_ad_account_timezone(uow: UnitOfWork, clock: TestClock) -> None:
    _spend(uow, 1, datetime(2026, 11, 1, 22, 30, tzinfo=UTC), 1_000)  # 23:30 in Paris
    _spend(uow, 2, datetime(2026, 11, 1, 23, 30, tzinfo=UTC), 2_000)  # 00:30 on Nov 2 in Paris
    uow.commit()

    paris = dict(account_dashboard(uow.session, "adv1", clock.now(), 7, "Europe/Paris").days)
    utc = dict(account_dashboard(uow.session, "adv1", clock.now(), 7, "UTC").days)

    assert (paris[date(2026, 11, 1)].spend, paris[date(2026, 11, 2)].spend) == (1_000, 2_000)
    assert (utc[date(2026, 11, 1)].spend, utc[date(2026, 11, 2)].spend) == (3_000, 0)


def test_the_window_starts_at_local_midnight(uow: UnitOfWork, clock: TestClock) -> None:
    _spend(uow, 1, datetime(2026, 10, 26, 22, 30, tzinfo=UTC), 500)  # Oct 26 23:30 Paris: out
    _spend(uow, 2, datetime(2026, 10, 26, 23, 30, tzinfo=UTC), 700)  # Oct 27 00:30 Paris: in
    uow.commit()

    board = account_dashboard(uow.session, "adv1", clock.now(), 7, "Europe/Paris")

    assert board.days[0][0] == date(2026, 10, 27)
    assert board.total.spend == 700


def test_days_are_exact_with_a_half_hour_offset(uow: UnitOfWork, clock: TestClock) -> None:
    # Kolkata is UTC+05:30: 18:20 UTC is 23:50 on Nov 1, 18:40 UTC is 00:10 on Nov 2
    _spend(uow, 1, datetime(2026, 11, 1, 18, 20, tzinfo=UTC), 1_000)
    _spend(uow, 2, datetime(2026, 11, 1, 18, 40, tzinfo=UTC), 2_000)
    uow.commit()

    kolkata = dict(account_dashboard(uow.session, "adv1", clock.now(), 7, "Asia/Kolkata").days)

    assert (kolkata[date(2026, 11, 1)].spend, kolkata[date(2026, 11, 2)].spend) == (1_000, 2_000)
