"""Collectors: fetch public posts since a watermark and land every payload as received."""

from __future__ import annotations

from postwatch.collect.base import Collector
from postwatch.collect.facebook import FacebookCollector
from postwatch.collect.files import FileCollector
from postwatch.collect.http import HttpClient
from postwatch.collect.landing import Lander
from postwatch.collect.rss import RssCollector
from postwatch.collect.web import WebCollector
from postwatch.collect.youtube import YoutubeCollector
from postwatch.collect.zalo import ZaloCollector
from postwatch.registry import Platform, Source

COLLECTORS: dict[Platform, type[Collector]] = {
    Platform.rss: RssCollector,
    Platform.facebook: FacebookCollector,
    Platform.youtube: YoutubeCollector,
    Platform.zalo: ZaloCollector,
    Platform.web: WebCollector,
    Platform.file: FileCollector,
    # TikTok offers no API to a local government: its posts arrive as exported files.
    Platform.tiktok: FileCollector,
}


def collector_for(
    source: Source, client: HttpClient | None, lander: Lander | None, token: str | None
) -> Collector:
    """The collector for ``source``; with no client and lander it can still parse landed payloads."""
    try:
        cls = COLLECTORS[Platform(source.platform)]
    except (KeyError, ValueError):
        raise ValueError(f"no collector for platform {source.platform!r} (source {source.id})") from None
    return cls(source, client, lander, token)


__all__ = ["COLLECTORS", "Collector", "collector_for"]
