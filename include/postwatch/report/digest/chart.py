"""The digest's 14-day trend chart: relevant posts per day and tone, as a PNG for an inline image.

Drawn with matplotlib's Agg backend (no display); sized for a phone screen at 2x density. The
Vietnamese labels come from the caller (templates own user-facing text).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

COLORS = {"positive": "#2e7d32", "negative": "#c62828", "neutral": "#78909c"}


def trend_png(
    trend: Sequence[tuple[date, Mapping[str, int]]],
    labels: Mapping[str, str],
    title: str,
    width_px: int = 1120,
    height_px: int = 520,
    dpi: int = 160,
) -> bytes:
    """A line per tone over the days of ``trend``; ``labels`` names each tone in the legend."""
    days = [d for d, _ in trend]
    fig, ax = plt.subplots(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    try:
        for tone, color in COLORS.items():
            values = [counts.get(tone, 0) for _, counts in trend]
            ax.plot(days, values, marker="o", markersize=3, linewidth=2, color=color, label=labels[tone])
        ax.set_title(title, fontsize=12, loc="left")
        ticks = days[::-2][::-1]  # every other day, always ending on the digest's day
        ax.set_xticks(ticks)
        ax.set_xticklabels([d.strftime("%d/%m") for d in ticks], fontsize=10)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="y", labelsize=10)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(fontsize=10, frameon=False, loc="upper left", ncols=3)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi)
        return out.getvalue()
    finally:
        plt.close(fig)
