"""What a report asks for (`ReportQuery`) and its validation: levels, dimensions, metrics,
filters and the period, checked before anything is read (`report.run` reads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sparkads.accounts.models import Advertiser
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText, Np_
from sparkads.reporting import attributes, kpis, periods

ID_OF_LEVEL = {
    "AUCTION_ADVERTISER": "advertiser_id",
    "AUCTION_CAMPAIGN": "campaign_id",
    "AUCTION_ADGROUP": "adgroup_id",
    "AUCTION_AD": "ad_id",
}
TIME_DIMENSIONS = ("stat_time_day", "stat_time_hour")
AUDIENCE_DIMENSIONS = {
    "country_code": "country",
    "age": "age_group",
    "gender": "gender",
    "platform": "platform",
    "province_id": "province_id",
}
# BASIC reports also break down by country, from the events (as AUDIENCE reports do).
BASIC_FROM_EVENTS = {"country_code"}
# The result of an ad group: the event of its optimization goal (docs/kpis.md, "Results").
RESULT_EVENT = {
    "REACH": "impression",
    "CLICK": "click",
    "TRAFFIC_LANDING_PAGE_VIEW": "click",
    "VIDEO_VIEW": "view_6s",
    "ENGAGED_VIEW": "view_6s",
    "FOLLOWERS": "follow",
    "PROFILE_VIEWS": "profile_visit",
    "LEAD_GENERATION": "conversion",
    "INSTALL": "conversion",
    "IN_APP_EVENT": "conversion",
    "CONVERT": "conversion",
}
NEEDS_RESULTS = frozenset(
    {
        "result",
        "cost_per_result",
        "result_rate",
        "real_time_result",
        "real_time_cost_per_result",
        "real_time_result_rate",
    }
)
NEEDS_CLICK_CONVERSIONS = frozenset({"cta_conversion", "vta_conversion"})
FILTER_FIELDS = {"campaign_ids": "campaign_id", "adgroup_ids": "adgroup_id", "ad_ids": "ad_id"}
# Status filters (TikTok's `campaign_status`, `adgroup_status`, `ad_status`): which objects' figures
# count. Without one, every object's do, deleted ones too (their events happened and were billed).
STATUS_FIELDS = {
    "campaign_status": "campaign_ids",
    "adgroup_status": "adgroup_ids",
    "ad_status": "ad_ids",
}
STATUS_VALUES = ("STATUS_ALL", "STATUS_NOT_DELETE", "STATUS_DELETE")
ATTRIBUTES = frozenset(attributes.BY_NAME)
PERIOD = "stat_period"  # the label of the local day or hour column in event queries
MAX_DAYS = {"stat_time_day": 30, "stat_time_hour": 1, None: 365}
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)  # report days (and lifetime)


@dataclass
class ReportQuery:
    advertiser: Advertiser
    report_type: str = "BASIC"
    data_level: str = "AUCTION_AD"
    dimensions: list[str] = field(default_factory=lambda: ["ad_id"])
    metrics: list[str] = field(default_factory=lambda: ["spend", "impressions"])
    start: date | None = None
    end: date | None = None
    lifetime: bool = False
    filters: dict[str, list[str]] = field(default_factory=dict)
    order_field: str | None = None
    order_type: str = "DESC"
    page: int = 1
    page_size: int = 10
    totals: bool = False
    statuses: dict[str, str] = field(default_factory=dict)  # e.g. ad_status -> STATUS_NOT_DELETE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.advertiser.timezone)

    @property
    def id_dimension(self) -> str | None:
        ids = [d for d in self.dimensions if d in ID_OF_LEVEL.values()]
        return ids[0] if ids else None

    @property
    def time_dimension(self) -> str | None:
        times = [d for d in self.dimensions if d in TIME_DIMENSIONS]
        return times[0] if times else None


def validate(q: ReportQuery) -> None:
    if q.report_type not in ("BASIC", "AUDIENCE"):
        raise SparkadsError("field_not_supported", field=f"report_type={q.report_type}")
    if q.data_level not in ID_OF_LEVEL:
        raise SparkadsError("field_not_supported", field=f"data_level={q.data_level}")
    _check_dimensions(q)
    _check_metrics(q)
    _check_period(q)


def _check_dimensions(q: ReportQuery) -> None:
    allowed = {ID_OF_LEVEL[q.data_level], *TIME_DIMENSIONS}
    allowed |= set(AUDIENCE_DIMENSIONS) if q.report_type == "AUDIENCE" else BASIC_FROM_EVENTS
    for dimension in q.dimensions:
        if dimension not in allowed:
            raise SparkadsError(
                "invalid_parameter",
                field="dimensions",
                detail=LocalText(
                    N_(
                        "{dimension} cannot be used with {report_type} at {level}; allowed: {choices}"
                    ),
                    {
                        "dimension": dimension,
                        "report_type": q.report_type,
                        "level": q.data_level,
                        "choices": ", ".join(sorted(allowed)),
                    },
                ),
            )
    if sum(d in TIME_DIMENSIONS for d in q.dimensions) > 1:
        raise SparkadsError(
            "invalid_parameter",
            field="dimensions",
            detail=LocalText(N_("stat_time_day or stat_time_hour, not both")),
        )


def _check_metrics(q: ReportQuery) -> None:
    for metric in q.metrics:
        if metric in kpis.ZERO:
            continue
        if metric in kpis.NOT_COMPUTED:
            raise SparkadsError("metric_not_computed", metric=metric)
        if metric not in kpis.BY_NAME and metric not in ATTRIBUTES:
            raise SparkadsError("field_not_supported", field=f"metrics: {metric}")
        if metric in ATTRIBUTES and metric not in attributes.WITHOUT_ID and q.id_dimension is None:
            raise SparkadsError(
                "invalid_parameter",
                field="metrics",
                detail=LocalText(
                    N_("{metric} needs an id dimension (e.g. {dimension})"),
                    {"metric": metric, "dimension": ID_OF_LEVEL[q.data_level]},
                ),
            )
    if q.order_field is not None and q.order_field not in kpis.BY_NAME:
        raise SparkadsError(
            "invalid_parameter",
            field="order_field",
            detail=LocalText(
                N_("{metric} is not a metric reports can order by (a KPI of docs/kpis.md)"),
                {"metric": q.order_field},
            ),
        )


def _check_period(q: ReportQuery) -> None:
    if q.lifetime:
        if q.time_dimension:
            raise SparkadsError(
                "invalid_parameter",
                field="query_lifetime",
                detail=LocalText(N_("no time dimension with query_lifetime")),
            )
        return
    if q.start is None or q.end is None:
        raise SparkadsError(
            "invalid_parameter",
            field="start_date",
            detail=LocalText(N_("start_date and end_date are required unless query_lifetime")),
        )
    for name, day in (("start_date", q.start), ("end_date", q.end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise SparkadsError(
                "invalid_parameter",
                field=name,
                detail=LocalText(
                    N_("a day from {first} to {last}"),
                    {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                ),
            )
    if q.end < q.start:
        raise SparkadsError(
            "invalid_parameter",
            field="end_date",
            detail=LocalText(
                END_BEFORE_START, {"end": q.end.isoformat(), "start": q.start.isoformat()}
            ),
        )
    limit = MAX_DAYS[q.time_dimension]
    if (q.end - q.start).days + 1 > limit:
        raise SparkadsError(
            "invalid_parameter",
            field="end_date",
            detail=LocalText.counted(PERIOD_TOO_LONG, limit, limit=limit),
        )


END_BEFORE_START = N_("the end date {end} is before the start date {start}: swap them")
PERIOD_TOO_LONG = Np_(
    "a period of at most {limit} day with these dimensions",
    "a period of at most {limit} days with these dimensions",
)


def window(q: ReportQuery) -> tuple[datetime, datetime]:
    if q.lifetime or q.start is None or q.end is None:
        return periods.window(FIRST_DAY, LAST_DAY, ZoneInfo("UTC"))
    return periods.window(q.start, q.end, q.zone)


def time_label(value: str, q: ReportQuery) -> str:
    """TikTok's stat_time_day / stat_time_hour from a local day or hour."""
    return f"{value}:00:00" if q.time_dimension == "stat_time_hour" else f"{value} 00:00:00"
