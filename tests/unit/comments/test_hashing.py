"""Keyed hashes of commenters: stable for one key, unguessable without it, refused without a key."""

from __future__ import annotations

import json

import pytest

from postwatch.collect.comments_base import scrub_names
from postwatch.comments.hashing import HashKeyMissing, author_hash, hash_key

KEY = hash_key("deployment-key-0123456789")


def test_the_same_commenter_gets_the_same_hash_and_the_name_is_not_in_it() -> None:
    a = author_hash(KEY, "facebook", "501", "Nguyễn Văn An")
    assert a == author_hash(KEY, "facebook", "501", "Nguyễn Văn An (đổi tên)"), "the id decides, not the name"
    assert a != author_hash(KEY, "youtube", "501", None), "ids of two platforms never collide"
    assert a != author_hash(hash_key("another-key-0123456789"), "facebook", "501", None)
    assert len(a) == 64 and "An" not in a


def test_a_missing_or_short_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTWATCH_HASH_KEY", raising=False)
    with pytest.raises(HashKeyMissing, match="POSTWATCH_HASH_KEY"):
        hash_key()
    with pytest.raises(HashKeyMissing, match="at least 16"):
        hash_key("short")
    monkeypatch.setenv("POSTWATCH_HASH_KEY", "from-the-environment-123")
    assert hash_key() == b"from-the-environment-123"


def test_scrubbing_hashes_commenters_but_keeps_the_pages_own_name() -> None:
    body = {
        "data": [
            {
                "id": "c1",
                "from": {"id": "501", "name": "Nguyễn Văn An"},
                "comments": {"data": [{"id": "r1", "from": {"id": "1000", "name": "UBND tỉnh Sơn Hà"}}]},
            }
        ]
    }
    out = json.loads(scrub_names(json.dumps(body).encode(), "1000", lambda i, n: f"h({i})"))
    assert out["data"][0]["from"] == {"id": "501", "name": "hmac:h(501)"}
    assert out["data"][0]["comments"]["data"][0]["from"]["name"] == "UBND tỉnh Sơn Hà"
    assert scrub_names(b"<html>not json</html>", "1000", lambda i, n: "x") == b"<html>not json</html>"
