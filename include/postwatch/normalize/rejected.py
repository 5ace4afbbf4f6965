"""A record that could not become a post, on its way to quarantine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Rejected:
    """A record that could not become a post; it goes to quarantine with its reason."""

    source_id: str
    platform: str
    item_id: str | None
    stage: str
    reason: str
    record: str  # JSON of the raw item as received
    landing_ref: str
    expectation: str | None = None
