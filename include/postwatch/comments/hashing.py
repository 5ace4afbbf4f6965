"""Commenters are private people: they are stored only as keyed hashes (HMAC-SHA256), never by name.

The key belongs to the deployment (env POSTWATCH_HASH_KEY, or the Airflow Variable / Connection the
DAG reads through airflow_glue), never to the repository: without it the same commenter can still be
recognised across comments (same hash), but nobody holding only the database can test a guessed
name against the hashes. No key, no collection: names are never stored in clear as a fallback.
"""

from __future__ import annotations

import hashlib
import hmac
import os

ENV_VAR = "POSTWATCH_HASH_KEY"
MIN_KEY_LENGTH = 16


class HashKeyMissing(RuntimeError):
    """No usable key: the run stops before anything about a commenter is stored."""


def hash_key(value: str | None = None) -> bytes:
    """The key given (from Airflow), else POSTWATCH_HASH_KEY; refused when absent or short."""
    key = value if value is not None else os.environ.get(ENV_VAR)
    if not key:
        raise HashKeyMissing(
            f"no key to hash commenters with: set {ENV_VAR} (or the Airflow Variable postwatch_hash_key)"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise HashKeyMissing(f"the commenter hash key must be at least {MIN_KEY_LENGTH} characters long")
    return key.encode("utf-8")


def author_hash(key: bytes, platform: str, author_id: str | None, author_name: str | None) -> str | None:
    """HMAC-SHA256 of the commenter's platform id (its name when the platform gives no id), hex."""
    ident = author_id or author_name
    if not ident:
        return None
    what = "id" if author_id else "name"
    return hmac.new(key, f"{platform}\x1f{what}\x1f{ident}".encode(), hashlib.sha256).hexdigest()
