"""Geometry of the 14-day stacked bar chart; the template draws it as inline SVG (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass

from postwatch.ui.data import DayCoverage

# Stacking order bottom to top: what leadership reads first sits on the baseline.
STACK = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Rect:
    tone: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class Bar:
    day: DayCoverage
    x: float
    label_x: float
    rects: tuple[Rect, ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_top: float
    plot_bottom: float
    max_value: int
    ticks: tuple[tuple[float, int], ...]
    bars: tuple[Bar, ...]


def _nice_max(value: int) -> int:
    """Round the axis up to 1, 2 or 5 times a power of ten so ticks are readable."""
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def build_chart(days: list[DayCoverage], width: int = 720, height: int = 240) -> Chart:
    """Stacked bars, one per day; heights are proportional to post counts on a rounded axis."""
    left, right, top, bottom = 40.0, 10.0, 10.0, 30.0
    plot_h = height - top - bottom
    top_value = _nice_max(max((d.total for d in days), default=0))
    slot = (width - left - right) / max(len(days), 1)
    bar_w = slot * 0.7
    bars = []
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        rects = []
        for tone in STACK:
            value = getattr(day, tone)
            h = plot_h * value / top_value
            y -= h
            if value:
                rects.append(Rect(tone, round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1), value))
        bars.append(Bar(day, round(x, 1), round(x + bar_w / 2, 1), tuple(rects)))
    ticks = tuple(
        (round(top + plot_h - plot_h * k / 4, 1), top_value * k // 4)
        for k in range(5)
        if top_value * k % 4 == 0
    )
    return Chart(width, height, top, top + plot_h, top_value, ticks, tuple(bars))
