"""Turn a day's DigestData into the subject, the plain-text part, the HTML part and the chart.

Jinja2 templates in report/templates hold every Vietnamese word; autoescape is on for HTML, so a
post whose text contains markup or ``<script>`` shows as text. Post text is also reduced to plain
text with nh3 first (no tags at all), so neither part carries markup from a post.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from postwatch.report.digest.chart import trend_png
from postwatch.report.digest.data import DigestData

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
CHART_CID = "trend14"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    chart_png: bytes
    chart_cid: str = CHART_CID


def plain(value: object, limit: int | None = None) -> str:
    """Post text as plain NFC text: tags removed by nh3, entities decoded, whitespace collapsed."""
    if value is None:
        return ""
    cleaned = nh3.clean(str(value), tags=set(), strip_comments=True)
    # nh3 escapes what it keeps; undo that here, the template escapes exactly once.
    text = Markup(cleaned).unescape()
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def vnnum(value: object, digits: int = 0) -> str:
    """Numbers the Vietnamese way: 1.234 and 4,3."""
    if value is None:
        return "–"
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def signed(value: float, digits: int = 1) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + vnnum(abs(value), digits)


def localtime(ts: datetime | None, fmt: str = "%H:%M %d/%m") -> str:
    return ts.astimezone(TZ).strftime(fmt) if ts else ""


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(plain=plain, vnnum=vnnum, signed=signed, localtime=localtime)
    return env


def strings() -> Any:
    """The shared Vietnamese labels (templates/digest_strings.j2) as a module."""
    return environment().get_template("digest_strings.j2").module


def _block(template: str, name: str, ctx: dict[str, Any]) -> str:
    tpl = environment().get_template(template)
    return "".join(tpl.blocks[name](tpl.new_context(ctx)))


def render(data: DigestData, *, prefix: str, generated_at: datetime) -> Rendered:
    s = strings()
    chart = trend_png(data.trend, s.tone_names, s.chart_title)
    ctx = {"d": data, "prefix": prefix, "generated_at": generated_at, "chart_cid": CHART_CID}
    subject = " ".join(_block("digest.txt.j2", "subject", ctx).split())
    text = _block("digest.txt.j2", "body", ctx).strip() + "\n"
    html = environment().get_template("digest.html.j2").render(ctx)
    return Rendered(
        subject=unicodedata.normalize("NFC", subject),
        text=unicodedata.normalize("NFC", text),
        html=unicodedata.normalize("NFC", html),
        chart_png=chart,
    )
