"""Day partitions of the events table on PostgreSQL (migration 0016): made ahead, dropped past the
retention. SQLite keeps one table (nothing to do there).

`maintain` is what `sparkads jobs event-partitions` runs (daily, from cron): partitions for today
and the days ahead (a partition that cannot be made because the default partition already holds
rows of its day, e.g. after a sandbox clock jump, is left out: those rows stay in the default
partition), then the rollups are brought up to date, then the partitions whose whole day is older
than the retention are dropped: their events have been folded into the rollups, which reports read,
and the spend ledger keeps every billed amount."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sparkads.clock import Clock

NAME = re.compile(r"^events_p(\d{8})$")


@dataclass
class Maintenance:
    partitioned: bool
    created: list[date] = field(default_factory=list)
    dropped: list[date] = field(default_factory=list)
    left_out: list[date] = field(default_factory=list)  # rows of that day sit in the default
    kept: int = 0  # day partitions left after the job


def day_partitions(session: Session) -> dict[date, str]:
    """The day partitions of the events table, by day."""
    names = session.scalars(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'events'::regclass"
        )
    ).all()
    days = {}
    for name in names:
        found = NAME.match(name)
        if found:
            raw = found.group(1)
            days[date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))] = name
    return days


def maintain(
    session: Session,
    clock: Clock,
    retention_days: int | None,
    fold: Callable[[Session, Clock], object],
    ahead: int = 7,
) -> Maintenance:
    """Make the partitions of today and `ahead` days, then `fold` (the rollups' refresh, which
    reporting owns), then drop the day partitions older than `retention_days` (None: keep
    everything). Commits as it goes."""
    if session.get_bind().dialect.name != "postgresql":
        return Maintenance(partitioned=False)
    report = Maintenance(partitioned=True)
    today = clock.now().date()
    existing = day_partitions(session)
    for offset in range(-1, ahead + 1):
        day = today + timedelta(days=offset)
        if day in existing:
            continue
        try:
            with session.begin_nested():
                session.execute(
                    text(
                        f'CREATE TABLE "events_p{day:%Y%m%d}" PARTITION OF events '
                        f"FOR VALUES FROM ('{day.isoformat()}') TO ('{day + timedelta(days=1)}')"
                    )
                )
            report.created.append(day)
        except DBAPIError:
            report.left_out.append(day)
    session.commit()
    if retention_days is not None:
        fold(session, clock)  # nothing is dropped before it is in the rollups
        session.commit()
        cutoff = today - timedelta(days=retention_days)
        for day, name in sorted(day_partitions(session).items()):
            if day < cutoff:
                session.execute(text(f'DROP TABLE "{name}"'))
                report.dropped.append(day)
        session.commit()
    report.kept = len(day_partitions(session))
    return report
