from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base
from sparkads.db.columns import Id, Key, Measure

COUNTED = (
    "impressions",
    "clicks",
    "conversions",
    "views_2s",
    "views_6s",
    "complete_views",
    "views_p25",
    "views_p50",
    "views_p75",
    "likes",
    "comments",
    "shares",
    "follows",
    "profile_visits",
)
SUMMED = (*COUNTED, "play_ms", "spend")


class _Measures:
    """What happened to one ad in one period: counts of each event, watch time, spend (micros)."""

    advertiser_id: Mapped[Id]
    campaign_id: Mapped[Id]
    adgroup_id: Mapped[Id]
    impressions: Mapped[Measure]
    clicks: Mapped[Measure]
    conversions: Mapped[Measure]
    views_2s: Mapped[Measure]
    views_6s: Mapped[Measure]
    complete_views: Mapped[Measure]
    views_p25: Mapped[Measure] = mapped_column(server_default="0")
    views_p50: Mapped[Measure] = mapped_column(server_default="0")
    views_p75: Mapped[Measure] = mapped_column(server_default="0")
    likes: Mapped[Measure]
    comments: Mapped[Measure]
    shares: Mapped[Measure]
    follows: Mapped[Measure]
    profile_visits: Mapped[Measure]
    play_ms: Mapped[Measure]
    spend: Mapped[Measure]


class AdHourRollup(_Measures, Base):
    """Per ad and hour in the advertiser's timezone: hourly reports (a day at most). Local, not
    UTC, so zones with half-hour offsets get their own hours; a repeated hour (clocks going back)
    is one row, as its label is one."""

    __tablename__ = "rollup_ad_hour"
    __table_args__ = (Index("ix_rollup_advertiser_hour", "advertiser_id", "hour"),)

    ad_id: Mapped[Key]
    hour: Mapped[str] = mapped_column(String(13), primary_key=True)  # YYYY-MM-DD HH, local


class AdDayRollup(_Measures, Base):
    """Per ad and day in the advertiser's timezone: every other report reads these."""

    __tablename__ = "rollup_ad_day"
    __table_args__ = (Index("ix_rollup_day_advertiser", "advertiser_id", "day"),)

    ad_id: Mapped[Key]
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, local


class RollupState(Base):
    """How far rollups have read the events (the highest event id folded in)."""

    __tablename__ = "rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_event_id: Mapped[Measure]
    updated_at: Mapped[datetime]


class RollupGap(Base):
    """Event ids below the cursor that were not there when the rollups read past them: an insert
    not committed yet (PostgreSQL hands out ids at insert, transactions commit in any order) or
    never (rolled back, or a duplicate that used up an id). Looked up again at every refresh until
    the events show up or the gap is older than `rollups.GAP_GRACE`."""

    __tablename__ = "rollup_gaps"

    first_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(BigInteger)
    seen_at: Mapped[datetime]


class ReportTask(Base):
    """An asynchronous report (report/task/create/): its rows as a CSV file to download. Reports
    here take milliseconds, so the task runs when it is created; report/task/check/ reads its
    status (SUCCESS, or FAILED with the reason)."""

    __tablename__ = "report_tasks"
    __table_args__ = (Index("ix_report_tasks_advertiser", "advertiser_id", "created_at"),)

    task_id: Mapped[Key]
    advertiser_id: Mapped[Id]
    file_name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20))  # SUCCESS or FAILED
    message: Mapped[str] = mapped_column(String(500), default="")
    rows: Mapped[int] = mapped_column(default=0)
    content: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class ReasonHour(Base):
    """Why an ad group was (not) served, an hour (UTC) at a time: the engine's counted reasons
    (`delivery.reasons.NotServed`) saved from its in-memory counters every fold
    (`reporting.reason_hours`), so a delivery status and the delivery page outlive a restart."""

    __tablename__ = "delivery_reason_hours"

    adgroup_id: Mapped[Key]
    hour: Mapped[str] = mapped_column(String(13), primary_key=True)  # YYYY-MM-DD HH, UTC
    reason: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[Measure]


class RecommendationDismissal(Base):
    """A recommendation an advertiser dismissed: one per object and kind, with what the card said
    and proposed (`signature`) and the spend it affected then, so it comes back only when its
    evidence changes materially (`reporting/recommendation_dismissals.py`). Undo deletes it;
    both are audited."""

    __tablename__ = "recommendation_dismissals"
    __table_args__ = (Index("ix_recommendation_dismissals_advertiser", "advertiser_id"),)

    dismissal_id: Mapped[str] = mapped_column(String(80), primary_key=True)  # object_id:kind
    advertiser_id: Mapped[str] = mapped_column(String(24))
    level: Mapped[str] = mapped_column(String(8))
    object_id: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(40))
    signature: Mapped[str] = mapped_column(String(64))
    spend_affected: Mapped[int] = mapped_column(BigInteger)  # micros, last 7 days, when dismissed
    dismissed_at: Mapped[datetime]
