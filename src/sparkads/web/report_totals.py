"""The totals row of the reports page: counts and money summed over the rows, ratios recomputed
from those sums with the KPI table's own formulas (CTR = clicks / impressions × 100, CPC = spend /
clicks, …), never averaged. Reach counts distinct viewers, who may appear in several rows (days,
ads, ages): it has no total here (None, shown "—")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from sparkads.money import to_micros
from sparkads.reporting.kpis import BY_NAME as KPIS

# The report's counts that add up across rows (each event is in exactly one row).
ADDITIVE_COUNTS = ("impressions", "clicks", "conversion", "video_watched_6s", "likes", "shares",
                   "follows")  # fmt: skip
# The measures the KPI formulas read, and the report column each is the sum of.
MEASURE_OF = {"impressions": "impressions", "clicks": "clicks", "conversions": "conversion"}
# Ratios recomputed from the summed measures.
RATIOS = ("ctr", "cpc", "cpm", "cost_per_conversion")


def _figure(value: str | None) -> Decimal:
    return Decimal(value) if value not in (None, "") else Decimal(0)


def report_totals(
    rows: Iterable[Mapping[str, str | None]],
) -> dict[str, Decimal | int | float | None]:
    """The totals of the report's rows (metric name → total; None where there is none)."""
    listed = list(rows)
    spend = sum((_figure(row.get("spend")) for row in listed), Decimal(0))
    counts = {
        name: int(sum((_figure(row.get(name)) for row in listed), Decimal(0)))
        for name in ADDITIVE_COUNTS
    }
    measures = {"spend": to_micros(spend)} | {
        measure: counts[column] for measure, column in MEASURE_OF.items()
    }
    totals: dict[str, Decimal | int | float | None] = {"spend": spend, **counts, "reach": None}
    for ratio in RATIOS:
        totals[ratio] = KPIS[ratio].compute(measures)
    return totals
