"""Canonical URLs: the same article shared with different tracking tails is one URL.

Copies of a story are grouped and posts are keyed by URL for feeds and portals, so
``?utm_source=zalo`` or ``fbclid=...`` must not make a second post.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from postwatch import native

# The two shortcuts below in one C pass (plainurl.pyx); None where it was not compiled.
_plainurl = native.load("postwatch.normalize.plainurl")

# Query parameters that identify the click, not the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "spm",
        "zarsrc", "zalo_source", "mibextid", "rdid", "share_url", "__tn__", "__xts__",
        "_ga", "_gl", "vero_id", "oly_anon_id", "oly_enc_id", "s_cid", "cmpid", "si",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "__cft__", "__eep__", "pk_", "hsa_")
# Mobile and alternate hosts that serve the same page as the canonical host.
HOST_ALIASES = {
    "m.facebook.com": "www.facebook.com",
    "mbasic.facebook.com": "www.facebook.com",
    "web.facebook.com": "www.facebook.com",
    "facebook.com": "www.facebook.com",
    "m.youtube.com": "www.youtube.com",
    "youtube.com": "www.youtube.com",
    "music.youtube.com": "www.youtube.com",
    "m.tiktok.com": "www.tiktok.com",
    "tiktok.com": "www.tiktok.com",
}
# Hosts whose URLs the careful path rewrites, so no shortcut may return them as they are.
_REWRITTEN_HOSTS = frozenset({*HOST_ALIASES, "youtu.be"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_PATH_RE = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~-]*|[A-Za-z0-9/:@!$&'()*+,;=._~%-]*")
# Lower-case http(s), a plain host, no port, query, fragment, credentials or odd characters.
_ALREADY_CANONICAL = re.compile(r"https?://[a-z0-9.-]+\.[a-z]{2,}(?:/[A-Za-z0-9/:@!$'()*+,;=._~%-]*)?$")
# The usual shape of a shared link: as above, but with a query (often a tracking tail) and
# maybe a fragment. For these the pieces are plain slices; anything else goes through urlsplit.
_PLAIN_WITH_QUERY = re.compile(
    r"(https?)://([a-z0-9.-]+\.[a-z]{2,})(/[A-Za-z0-9/:@!$&'()*+,;=._~-]*)?\?([!\"$-~]*)(?:#[!-~]*)?"
)


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=4096)
def _is_tracking_raw(key: str) -> bool:
    """``_is_tracking`` of a key as it stands in a URL: a few keys come back in every link."""
    return _is_tracking(unquote(key))


def _clean_query(query: str) -> str:
    """Tracking parameters dropped, the rest sorted; values keep the encoding they came with."""
    if not query:
        return ""
    kept = [p for p in query.split("&") if p and not _is_tracking_raw(p.partition("=")[0])]
    return "&".join(sorted(kept))


def canonical_url(url: str | None) -> str | None:
    """http(s) URL in canonical form, or None when the value is not an http(s) URL.

    Lower-case scheme and host, IDNA host, default port dropped, fragment dropped,
    tracking parameters removed and the rest sorted, ``youtu.be/ID`` → ``watch?v=ID``.
    """
    if not url:
        return None
    url = url.strip()
    if _plainurl is not None:
        out = _plainurl.canonical_plain(url, _is_tracking_raw, HOST_ALIASES, _REWRITTEN_HOSTS)
        if out is not None:
            return out
    return canonical_url_python(url)


def canonical_url_python(url: str) -> str | None:
    """canonical_url of a stripped URL as Python: the shortcuts the compiled module is tested against."""
    # (A "?" is never part of _ALREADY_CANONICAL: the one-character test spares the regex's backtracking.)
    if "?" not in url and _ALREADY_CANONICAL.match(url) and url.split("/", 3)[2] not in _REWRITTEN_HOSTS:
        return url if url.count("/") > 2 else url + "/"
    m = _PLAIN_WITH_QUERY.fullmatch(url)
    if m is not None and m[2] != "youtu.be":
        scheme, host, path, query = m.groups()
        query = _clean_query(query)
        base = f"{scheme}://{HOST_ALIASES.get(host, host)}{path or '/'}"
        return f"{base}?{query}" if query else base
    return _canonical_url_careful(url)


def _canonical_url_careful(url: str) -> str | None:
    """The general path (any http(s) URL, stripped): urlsplit, IDNA, ports, youtu.be."""
    if re.search(r"\s", url):
        url = re.sub(r"\s", "%20", url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or parts.username:
        return None  # credentials in a URL are never something to store
    host = parts.hostname
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
    host = HOST_ALIASES.get(host, host)
    path = parts.path if _SAFE_PATH_RE.fullmatch(parts.path) else quote(unquote(parts.path), safe=_SAFE_PATH)
    query = _clean_query(parts.query)
    if host == "youtu.be" and len(path) > 1:
        host, path = "www.youtube.com", "/watch"
        query = "&".join(sorted(filter(None, [f"v={parts.path.strip('/')}", *query.split("&")])))
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, path or "/", query, ""))
