"""KPI definitions (one table, also in docs/kpis.md): formulas over summed measures.

Measures are summed from rollups (or events); ratios are computed after summing, never averaged.
Money is in the advertiser's currency; rates are percentages (TikTok's convention: "1.23" = 1.23 %).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Measures = Mapping[str, int]


def _div(a: float, b: float) -> float | None:
    return a / b if b else None


@dataclass(frozen=True)
class Kpi:
    name: str
    kind: str  # count | money | rate | ratio | seconds
    formula: str
    compute: Callable[[Measures], float | None]


def _money(m: Measures) -> float:
    return m["spend"] / 1_000_000


def _engagements(m: Measures) -> int:
    return m["likes"] + m["comments"] + m["shares"] + m["follows"] + m["profile_visits"]


def _count(name: str, formula: str, measure: str = "") -> Kpi:
    """A count read as it is from one measure (of the KPI's own name unless given)."""
    column = measure or name
    return Kpi(name, "count", formula, lambda m: m[column])


def _of_impressions(name: str, formula: str, count: str | Callable[[Measures], int]) -> Kpi:
    """A rate: a count (a measure's name, or computed) / impressions × 100."""
    counted = (lambda m: m[count]) if isinstance(count, str) else count
    return Kpi(name, "rate", formula, lambda m: _div(100 * counted(m), m["impressions"]))


def _count_cost_rate(
    base: str, formula: str, count: Callable[[Measures], int | None], *, prefix: str = ""
) -> tuple[Kpi, Kpi, Kpi]:
    """A count with its cost (spend / count) and rate (count / impressions × 100), named
    `<prefix><base>`, `<prefix>cost_per_<base>` and `<prefix><base>_rate`."""
    name = prefix + base
    return (
        Kpi(name, "count", formula, count),
        Kpi(f"{prefix}cost_per_{base}", "money", f"spend / {name}",
            lambda m: _div(_money(m), count(m) or 0)),
        Kpi(f"{name}_rate", "rate", f"{name} / impressions × 100",
            lambda m: _div(100 * (count(m) or 0), m["impressions"])),
    )  # fmt: skip


KPIS: tuple[Kpi, ...] = (
    Kpi("spend", "money", "Σ billed cost of events (= spend ledger)", _money),
    Kpi("cash_spend", "money", "spend (all of it is billed to the account: no vouchers)", _money),
    _count("impressions", "impression events"),
    Kpi("reach", "count", "distinct viewers with an impression", lambda m: m.get("reach")),
    Kpi(
        "frequency",
        "ratio",
        "impressions / reach",
        lambda m: _div(m["impressions"], m.get("reach") or 0),
    ),
    _count("clicks", "click events (to the landing page or CTA)"),
    _of_impressions("ctr", "clicks / impressions × 100", "clicks"),
    Kpi("cpc", "money", "spend / clicks", lambda m: _div(_money(m), m["clicks"])),
    Kpi(
        "cpm",
        "money",
        "spend / impressions × 1,000",
        lambda m: _div(1000 * _money(m), m["impressions"]),
    ),
    Kpi(
        "cost_per_1000_reached",
        "money",
        "spend / reach × 1,000",
        lambda m: _div(1000 * _money(m), m.get("reach") or 0),
    ),
    _count(
        "conversion",
        "conversions (reported by the feed, or by the advertiser and "
        "attributed: last click ≤ 7 days, else 6 s view ≤ 1 day)",
        "conversions",
    ),
    Kpi(
        "cost_per_conversion",
        "money",
        "spend / conversion (CPA)",
        lambda m: _div(_money(m), m["conversions"]),
    ),
    Kpi(
        "conversion_rate",
        "rate",
        "conversion / clicks × 100",
        lambda m: _div(100 * m["conversions"], m["clicks"]),
    ),
    _of_impressions("conversion_rate_v2", "conversion / impressions × 100", "conversions"),
    *_count_cost_rate(
        "conversion",
        "conversion (counted as they arrive: the same numbers)",
        lambda m: m["conversions"],
        prefix="real_time_",
    ),
    Kpi(
        "cta_conversion",
        "count",
        "conversions whose decision has a click (click-through)",
        lambda m: m.get("click_conversions"),
    ),
    Kpi(
        "vta_conversion",
        "count",
        "conversion − cta_conversion (view-through)",
        lambda m: m["conversions"] - (m.get("click_conversions") or 0),
    ),
    *_count_cost_rate(
        "result",
        "events of each ad group's optimization goal (see Results)",
        lambda m: m.get("results"),
    ),
    *_count_cost_rate(
        "result",
        "result (counted as they arrive: the same numbers)",
        lambda m: m.get("results"),
        prefix="real_time_",
    ),
    _count("video_play_actions", "impressions of a video (plays start on display)", "impressions"),
    _count("video_watched_2s", "2-second view events", "views_2s"),
    _count("video_watched_6s", "6-second view events", "views_6s"),
    _count("video_views_p25", "25 % play events", "views_p25"),
    _count("video_views_p50", "50 % play events", "views_p50"),
    _count("video_views_p75", "75 % play events", "views_p75"),
    _count(
        "video_views_p100", "complete view events (`complete_view` or `play_100`)", "complete_views"
    ),
    _count("engaged_view", "6-second views (TikTok's focused view)", "views_6s"),
    Kpi(
        "average_video_play",
        "seconds",
        "estimated watch time / impressions (<2 s ≈ 1 s, 2–6 s ≈ "
        "4 s, past 6 s ≈ halfway to the end, complete = length)",
        lambda m: _div(m["play_ms"] / 1000, m["impressions"]),
    ),
    Kpi(
        "average_video_play_per_user",
        "seconds",
        "estimated watch time / reach",
        lambda m: _div(m["play_ms"] / 1000, m.get("reach") or 0),
    ),
    _count("likes", "paid likes (also counted on the original post)"),
    _count("comments", "paid comments"),
    _count("shares", "paid shares"),
    _count("follows", "paid follows (counted on the creator's account)"),
    _count("profile_visits", "paid profile visits"),
    _of_impressions("profile_visits_rate", "profile_visits / impressions × 100", "profile_visits"),
    Kpi(
        "engagements",
        "count",
        "likes + comments + shares + follows + profile_visits",
        lambda m: _engagements(m),
    ),
    _of_impressions("engagement_rate", "engagements / impressions × 100", _engagements),
)
BY_NAME = {kpi.name: kpi for kpi in KPIS}
NEEDS_REACH = frozenset(
    {"reach", "frequency", "cost_per_1000_reached", "average_video_play_per_user"}
)
# Metrics of TikTok's Spark Ads subset that sparkads does not compute, and why (docs/kpis.md,
# "Metrics not computed"): asking for one is refused with `metric_not_computed`.
NOT_COMPUTED: dict[str, str] = {
    "gross_impressions": "impressions including invalid ones: sparkads keeps no invalid "
    "impressions (rejected events are not stored), so there is nothing to add to `impressions`",
    "engaged_view_15s": "the feed reports no 15-second view",
    "paid_engaged_view": "every sparkads report is paid only: `engaged_view` counts the same "
    "6-second views",
    "paid_engaged_view_15s": "the feed reports no 15-second view",
    "paid_engagement_engaged_view": "needs the interactions made within the first 6 seconds of "
    "a view; the feed does not say when in the view an interaction happened",
    "paid_engagement_engaged_view_15s": "see `paid_engagement_engaged_view`",
    "organic_video_views": "organic views are the creator's (GET /api/v1/creator/report), never "
    "in a paid report",
    "ad_profile_image": "an address on the server's public URL: read `profile_image` from "
    "identity/get",
    "tiktok_name": "Smart+ material reports only",
}


_TIKTOK_APP = (
    "a tap on a part of TikTok's own app (music disc, duet, stitch, sound, anchor, hashtag "
    "challenge, playlist) that a sparkads feed does not have"
)
_APP = "app installs: a Spark ad promotes a post, not an app (no app campaigns here)"
_EVENTS = (
    "a typed pixel or app event (purchase, payment, registration, lead, add to cart, page view, "
    "shop): sparkads counts one kind of conversion, reported in `conversion`"
)
_ZERO: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        _TIKTOK_APP,
        "count",
        (
            "clicks_on_music_disc",
            "duet_clicks",
            "stitch_clicks",
            "sound_usage_clicks",
            "anchor_clicks",
            "clicks_on_hashtag_challenge",
            "tt_playlist_visit",
        ),
    ),
    (_TIKTOK_APP, "rate", ("anchor_click_rate", "tt_playlist_visit_rate")),
    (_APP, "count", ("app_install", "real_time_app_install")),
    (_APP, "money", ("cost_per_app_install", "real_time_app_install_cost")),
    (
        _EVENTS,
        "count",
        (
            "purchase",
            "complete_payment",
            "registration",
            "sales_lead",
            "total_sales_lead",
            "total_app_event_add_to_cart",
            "total_pageview",
            "onsite_shopping",
            "cta_purchase",
            "vta_purchase",
        ),
    ),
    (
        _EVENTS,
        "money",
        (
            "cost_per_purchase",
            "value_per_complete_payment",
            "total_purchase_value",
            "cost_per_registration",
            "cost_per_sales_lead",
            "cost_per_total_sales_lead",
            "cost_per_total_app_event_add_to_cart",
            "total_onsite_shopping_value",
        ),
    ),
    (
        _EVENTS,
        "rate",
        ("purchase_rate", "total_complete_payment_rate", "registration_rate", "sales_lead_rate"),
    ),
    (
        "secondary goals are for app and shop campaigns: a Spark ad group has one goal",
        "count",
        ("secondary_goal_result",),
    ),
    (
        "secondary goals are for app and shop campaigns: a Spark ad group has one goal",
        "money",
        ("cost_per_secondary_goal_result",),
    ),
    (
        "secondary goals are for app and shop campaigns: a Spark ad group has one goal",
        "rate",
        ("secondary_goal_result_rate",),
    ),
    ("sparkads has no vouchers: all spend is cash (`cash_spend`)", "money", ("voucher_spend",)),
)
# Metrics of TikTok's list that cannot apply to Spark ads served by sparkads: answered as TikTok
# answers them for such campaigns, zero (docs/kpis.md, "Metrics that are always zero").
ZERO: dict[str, tuple[str, str]] = {
    name: (kind, why) for why, kind, names in _ZERO for name in names
}


def render_zero(name: str) -> str:
    return "0" if ZERO[name][0] == "count" else "0.00"


def render(kpi: Kpi, measures: Measures) -> str:
    """TikTok returns report metrics as strings: counts whole, money and rates to 2 decimals."""
    value = kpi.compute(measures)
    if value is None:
        return "0" if kpi.kind == "count" else "0.00"
    if kpi.kind == "count":
        return str(int(value))
    quantum = Decimal("0.001") if kpi.kind == "ratio" else Decimal("0.01")
    return str(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))
