"""Compact JSON text for the warehouse's JSON columns (cues, spans, mentions), in one place.

msgspec's encoder writes it in C, about six times faster than ``json``: the analysis writes a
few of these per post. Non-ASCII stays as written (UTF-8), datetimes become RFC 3339 text and
other objects JSON has no type for their ``str``.
"""

from __future__ import annotations

from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder(enc_hook=str)


def dumps(value: Any) -> str:
    """``value`` as compact JSON text (``[]`` for an empty or missing list)."""
    return _ENCODER.encode(value).decode("utf-8") if value else "[]"
