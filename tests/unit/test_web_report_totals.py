"""The reports page's totals row (web.report_totals): counts and money summed, ratios recomputed
from the sums (never the average of the rows' ratios), reach left without a total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sparkads.web.report_totals import report_totals

# Two rows as the report engine gives them (figures as text, undefined ratios None): a small row
# with a high CTR and a big one with a low CTR, so an average of ratios would be far off.
ROWS = [
    {"spend": "1.00", "impressions": "10", "reach": "8", "clicks": "5", "ctr": "50.00",
     "cpc": "0.20", "cpm": "100.00", "conversion": "1", "cost_per_conversion": "1.00",
     "video_watched_6s": "4", "likes": "2", "shares": "0", "follows": "1"},
    {"spend": "9.50", "impressions": "990", "reach": "700", "clicks": "5", "ctr": "0.51",
     "cpc": "1.90", "cpm": "9.60", "conversion": "0", "cost_per_conversion": None,
     "video_watched_6s": "100", "likes": "7", "shares": "3", "follows": "0"},
]  # fmt: skip


def test_counts_and_money_are_summed() -> None:
    totals = report_totals(ROWS)

    assert totals["spend"] == Decimal("10.50")
    assert (totals["impressions"], totals["clicks"], totals["conversion"]) == (1000, 10, 1)
    assert (totals["video_watched_6s"], totals["likes"], totals["shares"]) == (104, 9, 3)
    assert totals["follows"] == 1


def test_ratios_are_recomputed_from_the_sums_not_averaged() -> None:
    totals = report_totals(ROWS)

    assert totals["ctr"] == pytest.approx(1.0)  # 10 / 1,000 × 100, not (50 + 0.51) / 2
    assert totals["cpc"] == pytest.approx(1.05)  # 10.50 / 10, not (0.20 + 1.90) / 2
    assert totals["cpm"] == pytest.approx(10.5)  # 10.50 / 1,000 × 1,000
    assert totals["cost_per_conversion"] == pytest.approx(10.5)  # 10.50 / 1


def test_reach_has_no_total_and_ratios_without_a_divisor_are_none() -> None:
    no_click = [{**row, "clicks": "0", "conversion": "0"} for row in ROWS]

    totals = report_totals(no_click)

    assert totals["reach"] is None  # 708 would count a viewer of both rows twice
    assert totals["cpc"] is None
    assert totals["cost_per_conversion"] is None
    assert totals["ctr"] == 0.0  # clicks can be 0: the ratio is defined


def test_no_rows_total_zero_with_undefined_ratios() -> None:
    totals = report_totals([])

    assert totals["spend"] == Decimal(0)
    assert totals["impressions"] == 0
    assert totals["ctr"] is None
