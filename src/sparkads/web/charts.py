"""Charts drawn on the server as inline SVG (no JavaScript library): bars for one series per day,
with a line for a second series on its own scale. Pure: numbers in, markup out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from babel.numbers import format_decimal

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 56, 16, 36


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]
    color: str
    label: str  # how one value reads, e.g. "1,234 impressions"


def _nice_max(value: float) -> float:
    """The top of the axis: 1, 2, 4 or 5 × a power of ten, so the four gridlines read well."""
    if value <= 0:
        return 4.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def bars_and_line(
    chart_id: str,
    title: str,
    days: list[str],
    bars: Series,
    line: Series,
    formats: tuple[list[str], list[str]],
    lang: str = "en",
) -> str:
    """`formats` gives each value as the page shows it (bars', then line's), for tooltips; the
    axes' figures are written the `lang` way ("0,5" in French)."""
    count = max(1, len(days))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / count
    top_bars, top_line = (
        _nice_max(max(bars.values, default=0)),
        _nice_max(max(line.values, default=0)),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{escape(title)}</title>'
    ]
    for i in range(5):
        y = TOP + plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>'
        )
        left_value, right_value = top_bars * (4 - i) / 4, top_line * (4 - i) / 4
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555b69">'
            f"{_short(left_value, lang)}</text>"
            f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}" font-size="11" fill="#555b69">'
            f"{_short(right_value, lang)}</text>"
        )
    points = []
    for index, day in enumerate(days):
        x = LEFT + slot * index
        height = plot_h * bars.values[index] / top_bars if top_bars else 0
        parts.append(
            f'<rect x="{x + slot * 0.18:.1f}" y="{TOP + plot_h - height:.1f}" width="{slot * 0.64:.1f}" '
            f'height="{height:.1f}" fill="{bars.color}" rx="3"><title>{escape(day)}: '
            f"{escape(formats[0][index])}</title></rect>"
        )
        y = TOP + plot_h - plot_h * line.values[index] / top_line
        points.append((x + slot / 2, y, f"{day}: {formats[1][index]}"))
        if count <= 14 or index % max(1, count // 10) == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - 14}" text-anchor="middle" font-size="11" '
                f'fill="#555b69">{escape(day)}</text>'
            )
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
    parts.append(
        f'<polyline points="{path}" fill="none" stroke="{line.color}" stroke-width="2.5"/>'
    )
    for x, y, tip in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="{line.color}" '
            f'stroke-width="2"><title>{escape(tip)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(value: float, lang: str) -> str:
    """An axis figure, short: "2.5k", "1M", "0.4" ("2,5k", "0,4" in French)."""
    size, suffix = next(
        ((size, suffix) for size, suffix in ((1_000_000, "M"), (1_000, "k")) if value >= size),
        (1, ""),
    )
    return format_decimal(value / size, format="0.##", locale=lang) + suffix
