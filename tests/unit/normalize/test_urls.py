"""Canonical URLs: one article, one URL, whatever tracking tail it was shared with."""

from __future__ import annotations

import pytest

from postwatch.normalize.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Bao.VN:443/a/b.html?utm_source=zalo&id=3&fbclid=xx#top", "https://bao.vn/a/b.html?id=3"),
        ("http://bao.vn:80/x?b=2&a=1", "http://bao.vn/x?a=1&b=2"),
        ("http://bao.vn:8080/x", "http://bao.vn:8080/x"),
        ("https://youtu.be/abc123?si=zz", "https://www.youtube.com/watch?v=abc123"),
        ("https://m.facebook.com/p/1?__cft__[0]=AZ&__tn__=R", "https://www.facebook.com/p/1"),
        ("  https://bao.vn/tin tức  ", "https://bao.vn/tin%20t%E1%BB%A9c"),
        ("https://báo.vn/x", "https://xn--bo-mia.vn/x"),
        ("https://bao.vn", "https://bao.vn/"),
    ],
)
def test_urls_are_canonicalised(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_the_same_article_shared_two_ways_has_one_url() -> None:
    a = canonical_url("https://baosonha.vn/lu-lut.html?utm_medium=social&utm_campaign=x")
    b = canonical_url("https://BAOSONHA.vn/lu-lut.html?zarsrc=30#comments")
    assert a == b == "https://baosonha.vn/lu-lut.html"


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "ftp://x/y", "mailto:a@b.vn", "http://[::1", "https://u:p@x.vn/", "", None]
)
def test_non_http_or_unsafe_urls_are_refused(bad: str | None) -> None:
    assert canonical_url(bad) is None
