"""Ads Manager → reports (KPIs per campaign, ad group or ad, per day or in total, over 7 or 30 days,
with a CSV download of the same rows) and recommendations (what to change, with the evidence, and
one-click actions where one exists), read through the same engine as the native reports API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from fastapi import Query
from fastapi.responses import Response

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.commands import AdGroupChange, AdGroupPlan
from sparkads.errors import SparkadsError
from sparkads.reporting.csv_export import csv_text
from sparkads.reporting.kpis import BY_NAME as KPIS
from sparkads.reporting.report_query import ID_OF_LEVEL, ReportQuery
from sparkads.services.reports import (
    Card,
    Recommendation,
    dismiss_recommendation,
    minimums,
    read_report,
    recommendations,
    undo_dismissal,
)
from sparkads.web.campaigns import acting, parse_budget
from sparkads.web.forms import FormDep, number_among
from sparkads.web.i18n import N_
from sparkads.web.labels import AGE_GROUPS, GENDERS
from sparkads.web.report_totals import report_totals
from sparkads.web.routing import back_to, shows_errors_on, web_router
from sparkads.web.session import Web, WebDep

router = web_router()
LEVELS = {
    "campaign": ("AUCTION_CAMPAIGN", "campaign_name", N_("Campaign")),
    "adgroup": ("AUCTION_ADGROUP", "adgroup_name", N_("Ad group")),
    "ad": ("AUCTION_AD", "ad_name", N_("Ad")),
}
PERIODS = (7, 30)
BREAKDOWNS = {
    "day": N_("By day"),
    "total": N_("Total"),
    "age": N_("By age"),
    "gender": N_("By gender"),
    "country": N_("By country"),
}
# Breakdowns by who saw the ads: an AUDIENCE report with this dimension (column label).
AUDIENCE_BREAKDOWNS = {
    "age": ("age", N_("Age")),
    "gender": ("gender", N_("Gender")),
    "country": ("country_code", N_("Country")),
}
# Ratios and the count they divide by: with nothing to divide by they are undefined, shown "—"
# (and left empty in the CSV), never 0.00.
RATIO_OF = {"ctr": "impressions", "cpc": "clicks", "cpm": "impressions",
            "cost_per_conversion": "conversion"}  # fmt: skip
# The report's columns: metric of the report engine and its label. How its figures read (count,
# money or rate) is the KPI's own kind (reporting/kpis.py).
COLUMN_LABELS = {
    "spend": N_("Spend"),
    "impressions": N_("Impressions"),
    "reach": N_("Reach"),
    "clicks": N_("Clicks"),
    "ctr": N_("CTR"),
    "cpc": N_("CPC"),
    "cpm": N_("CPM"),
    "conversion": N_("Conversions"),
    "cost_per_conversion": N_("CPA"),
    "video_watched_6s": N_("6 s views"),
    "likes": N_("Likes"),
    "shares": N_("Shares"),
    "follows": N_("Follows"),
}
COLUMNS = tuple((name, label, KPIS[name].kind) for name, label in COLUMN_LABELS.items())
# The columns shown until the reader picks others (the page's "Columns" boxes): what fits beside
# the name and the day at 1280 px. The CSV always has them all.
SHOWN_FIRST = ("spend", "impressions", "reach", "clicks", "ctr", "cpc", "conversion",
               "cost_per_conversion", "video_watched_6s")  # fmt: skip
KINDS = {
    "creative_fatigue": N_("Creative fatigue"),
    "cpa_above_target": N_("Cost per result above target"),
    "budget_limited": N_("Limited by budget"),
    "audience_too_narrow": N_("Audience too narrow"),
    "audience_too_broad": N_("Audience too broad"),
    "authorization_expiring": N_("Authorization ends early"),
    "authorization_renewal": N_("Authorization to renew"),
    "authorization_expired": N_("Authorization ended"),
    "post_length": N_("Post length"),
    "music": N_("Music"),
    "better_post_available": N_("Better post available"),
}

EVIDENCE = {
    "first_days_ctr": N_("CTR, first days"),
    "recent_ctr": N_("CTR, last days"),
    "drop": N_("Drop"),
    "first_days": N_("First days"),
    "recent_days": N_("Last days"),
    "suggested_item_id": N_("Suggested post"),
    "cpa": N_("Cost per result"),
    "target": N_("Target"),
    "conversions_7d": N_("Conversions, last 7 days"),
    "days_at_budget": N_("Days at budget"),
    "budget": N_("Budget"),
    "audience_share": N_("Share of the audience"),
    "warning": N_("Warning"),
    "ends_at": N_("Ends on"),
    "code_days": N_("Code length (days)"),
    "running_item_id": N_("Running post"),
    "running_score": N_("Running post's score"),
    "better_item_id": N_("Better post"),
    "better_score": N_("Better post's score"),
    "audience_size": N_("Audience size"),
    "known_viewers": N_("Viewers seen"),
    "suggested_post": N_("Suggested post"),
    "post_duration": N_("Post length (s)"),
    "completion_rate": N_("Completion rate"),
    "impressions": N_("Impressions"),
    "best_band": N_("Best length band"),
    "best_band_completion_rate": N_("Best band's completion rate"),
    "best_band_impressions": N_("Best band's impressions"),
    "complete_views_lost": N_("Complete views lost"),
    "running_post": N_("Running post"),
    "running_engagement": N_("Running post's engagement"),
    "running_views": N_("Running post's organic views"),
    "better_post": N_("Better post"),
    "better_engagement": N_("Better post's engagement"),
    "better_views": N_("Better post's organic views"),
}
RATES = ("first_days_ctr", "recent_ctr", "drop", "audience_share", "completion_rate",
         "best_band_completion_rate", "running_engagement", "better_engagement")  # fmt: skip
COUNTS = ("conversions_7d", "code_days", "audience_size", "known_viewers", "impressions",
          "best_band_impressions", "complete_views_lost", "running_views", "better_views")  # fmt: skip
# How each figure of the evidence reads (anything else is an identifier, shown as it is).
EVIDENCE_KINDS = {
    **dict.fromkeys(RATES, "rate"),
    **dict.fromkeys(("cpa", "target", "budget", "spend_affected"), "money"),
    **dict.fromkeys(("first_days", "recent_days", "days_at_budget", "ends_at"), "days"),
    **dict.fromkeys(COUNTS, "count"),
    **dict.fromkeys(("running_score", "better_score"), "score"),
}


def evidence_text(key: str, value: Any, lang: str, currency: str) -> str:
    """One figure behind a recommendation, through Babel in the reader's locale."""
    kind = EVIDENCE_KINDS.get(key)
    if value is None:
        return "—"
    if kind == "rate":
        return format_percent(value, format="#,##0.0#\u202f%" if lang == "fr" else "#,##0.0#%",
                              locale=lang)  # fmt: skip
    if kind == "money":
        return format_currency(Decimal(str(value)), currency, locale=lang)
    if kind == "days":
        days = value if isinstance(value, list) else [value]
        return ", ".join(format_date(date.fromisoformat(str(d)[:10]), "long", locale=lang)
                         for d in days)  # fmt: skip
    if kind in ("count", "score"):
        return format_decimal(value, format="#,##0.###" if kind == "score" else "#,##0",
                              locale=lang)  # fmt: skip
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


@dataclass(frozen=True)
class Choice:
    level: str
    days: int
    by: str
    metrics: tuple[str, ...] = SHOWN_FIRST

    @classmethod
    def of(cls, level: str, days: str, by: str, metrics: list[str] | None = None) -> Choice:
        picked = tuple(name for name in COLUMN_LABELS if name in (metrics or ()))
        return cls(
            level if level in LEVELS else "campaign",
            number_among(days, PERIODS, 7),
            by if by in BREAKDOWNS else "day",
            picked or SHOWN_FIRST,
        )

    def columns(self) -> tuple[tuple[str, str, str], ...]:
        """The report's columns the reader chose, in the table's order."""
        return tuple(column for column in COLUMNS if column[0] in self.metrics)

    def query(self) -> str:
        return f"level={self.level}&days={self.days}&by={self.by}"


def report_rows(web: Web, choice: Choice) -> tuple[Advertiser, list[dict[str, str | None]]]:
    """The rows of the report: the level's id and name, the day unless in total, and the KPIs,
    read as the APIs read them (services.reports)."""
    data_level, name_metric, _ = LEVELS[choice.level]
    dimensions = [ID_OF_LEVEL[data_level]]
    report_type = "BASIC"
    if choice.by == "day":
        dimensions.append("stat_time_day")
    elif choice.by in AUDIENCE_BREAKDOWNS:
        report_type = "AUDIENCE"
        dimensions.append(AUDIENCE_BREAKDOWNS[choice.by][0])
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
    today = web.context.clock.now().astimezone(ZoneInfo(advertiser.timezone)).date()
    result = read_report(
        web.uow,
        web.context.rollups,
        ReportQuery(
            advertiser=advertiser,
            report_type=report_type,
            data_level=data_level,
            dimensions=dimensions,
            metrics=[name_metric, *(name for name, _, _ in COLUMNS)],
            start=today - timedelta(days=choice.days - 1),
            end=today,
            page_size=100_000,
        ),
    ).data
    rows = [
        {
            **row["dimensions"],
            "name": row["metrics"].pop(name_metric) or "",
            **row["metrics"],
        }
        for row in result["list"]
    ]
    for row in rows:
        if "stat_time_day" in row:
            row["stat_time_day"] = row["stat_time_day"][:10]
        for ratio, divisor in RATIO_OF.items():
            if ratio in row and not float(row.get(divisor) or 0):
                row[ratio] = None
    return advertiser, rows


@router.get("/ads/reports")
def reports_page(
    web: WebDep,
    level: str = "campaign",
    days: str = "7",
    by: str = "day",
    metric: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The report, its chosen columns and, over several rows, their totals (web.report_totals)."""
    choice = Choice.of(level, days, by, metric)
    advertiser, rows = report_rows(web, choice)
    return web.render(
        "ads/reports.html", section="reports", choice=choice, rows=rows, levels=LEVELS,
        periods=PERIODS, breakdowns=BREAKDOWNS, audience=AUDIENCE_BREAKDOWNS,
        labels=COLUMN_LABELS, columns=choice.columns(),
        totals=report_totals(rows) if len(rows) > 1 else None,
        currency=advertiser.currency, age_groups=AGE_GROUPS, genders=GENDERS,
    )  # fmt: skip


@router.get("/ads/reports.csv")
def reports_csv(web: WebDep, level: str = "campaign", days: str = "7", by: str = "day") -> Response:
    choice = Choice.of(level, days, by)
    _, rows = report_rows(web, choice)
    id_name = ID_OF_LEVEL[LEVELS[choice.level][0]]
    fields = [id_name, "name", *(["stat_time_day"] if choice.by == "day" else [])]
    if choice.by in AUDIENCE_BREAKDOWNS:
        fields.append(AUDIENCE_BREAKDOWNS[choice.by][0])
    fields += [name for name, _, _ in COLUMNS]
    name = f"sparkads-{choice.level}-{choice.days}d-{choice.by}.csv"
    return Response(
        csv_text(fields, rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _items(web: Web) -> tuple[Advertiser, list[Recommendation]]:
    _, principal, advertiser_id = acting(web)
    context = web.context
    return recommendations(web.uow, context.rollups, context.clock, principal, advertiser_id)


@router.get("/ads/recommendations")
def show_recommendations(web: WebDep) -> Response:
    """The recommendations; a refused one-click budget comes back here as a flashed problem."""
    advertiser, items = _items(web)
    return web.render(
        "ads/recommendations.html", section="recommendations", items=items, kinds=KINDS,
        evidence_labels=EVIDENCE, evidence_text=evidence_text, currency=advertiser.currency,
        minimums=minimums(),
    )  # fmt: skip


def _card(form: FormDep) -> Card:
    object_id, kind = form.get("object_id"), form.get("kind")
    if not object_id or not kind:
        raise SparkadsError("invalid_parameter", field="kind", detail=N_("missing"))
    return Card(object_id, kind)


@router.post("/ads/recommendations/dismiss")
@shows_errors_on(back_to("/ads/recommendations"))
def dismiss(web: WebDep, form: FormDep) -> Response:
    """Dismiss a card for this ad account (audited); it is listed under "Dismissed" to undo."""
    _, principal, advertiser_id = acting(web)
    context = web.context
    dismiss_recommendation(
        web.uow, context.rollups, context.clock, principal, advertiser_id, _card(form)
    )
    web.flash(N_("Recommendation dismissed; it is listed under “Dismissed” to show it again."))
    return web.redirect("/ads/recommendations")


@router.post("/ads/recommendations/undo")
@shows_errors_on(back_to("/ads/recommendations"))
def undo(web: WebDep, form: FormDep) -> Response:
    """Undo a dismissal: the card is shown again, in its place."""
    _, principal, advertiser_id = acting(web)
    undo_dismissal(web.uow, principal, advertiser_id, _card(form))
    web.flash(N_("Recommendation shown again."))
    return web.redirect("/ads/recommendations")


@router.post("/ads/recommendations/budget")
@shows_errors_on(back_to("/ads/recommendations"))  # the refusal is shown there
def apply_budget(web: WebDep, form: FormDep) -> Response:
    """The "set_budget" action: the ad group's budget, through the same service as adgroup/update."""
    budget = parse_budget(form.get("budget"))
    adgroup_id = form.get("adgroup_id")
    if not adgroup_id:
        raise SparkadsError("invalid_parameter", field="adgroup_id", detail=N_("missing"))
    campaigns, principal, advertiser_id = acting(web)
    change = AdGroupChange(adgroup_id=adgroup_id, plan=AdGroupPlan(budget=budget))
    campaigns.update_adgroup(principal, advertiser_id, change)
    web.flash(N_("Budget saved."))
    return web.redirect("/ads/recommendations")
