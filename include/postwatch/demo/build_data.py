"""Build the offline demo dataset (``demo/data/**``) from the hand-written corpus in ``data/corpus/``.

Run ``python -m postwatch.demo.build_data`` after editing the corpus and commit the output: the
recorded files are what ``postwatch.demo.dataset`` serves, nothing is generated at serve time.
Deterministic: ids are hashes of stable corpus keys and the few numbers the corpus leaves open come
from a seeded ``random.Random``, so rebuilding an unchanged corpus reproduces every byte.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import html
import io
import json
import random
import re
import shutil
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec used to plant mojibake
import yaml

DATA_DIR = Path(__file__).parent / "data"
CORPUS_FILES = (
    "events_1.yaml",
    "events_2.yaml",
    "official.yaml",
    "watched.yaml",
    "imposter.yaml",
    "press_other.yaml",
    "broadcast.yaml",
)
OUTPUT_DIRS = ("graph", "youtube", "zalo", "portal", "rss", "imports")
SEED = 20261122
YEAR = 2026
ICT = timezone(timedelta(hours=7), "ICT")
BASE = "{{BASE_URL}}"
TOKEN = "{{ACCESS_TOKEN}}"
GRAPH_VERSION = "v23.0"
FEED_PAGE_SIZE = 25
COMMENT_PAGE_SIZE = 25
PLAYLIST_PAGE_SIZE = 20
YT_FEED_SIZE = 15  # the public channel feed lists the latest 15 uploads
PORTAL_PAGE_SIZE = 15
FEED_FIELDS = (
    "id,message,story,created_time,updated_time,permalink_url,from{id,name},shares,"
    "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
    "attachments{title,description,url,type}"
)
COMMENT_FIELDS = (
    "id,message,created_time,from{id,name},comment_count,"
    "comments.limit(25){id,message,created_time,from{id,name}}"
)

PAGES: dict[str, dict[str, Any]] = {
    "official": {
        "id": "100064123456789",
        "name": "UBND tỉnh Sơn Hà",
        "username": "ubndtinhsonha",
        "category": "Cơ quan chính phủ",
        "fan_count": 186400,
        "verification_status": "blue_verified",
        "about": "Trang thông tin chính thức của Ủy ban nhân dân tỉnh Sơn Hà.",
        "website": "https://sonha.gov.vn",
        "created": "2016-03-14T02:10:00+0000",
    },
    "watched": {
        "id": "100089987654321",
        "name": "Sơn Hà 24h - Tin nóng",
        "username": "sonha24h.tinnong",
        "category": "Trang web tin tức và truyền thông",
        "fan_count": 412700,
        "verification_status": "not_verified",
        "about": "Cập nhật tin nóng Sơn Hà 24/7. Gửi tin bài qua inbox.",
        "website": None,
        "created": "2019-08-02T11:45:00+0000",
    },
    "imposter": {
        "id": "100099111222333",
        "name": "UBND Tinh Son Ha - Tin Tuc",
        "username": "ubnd.tinh.sonha.tintuc",
        "category": "Cơ quan chính phủ",
        "fan_count": 1240,
        "verification_status": "not_verified",
        "about": "Trang tin chinh thuc UBND Tinh Son Ha. Ho tro nguoi dan 24/7.",
        "website": "http://sonha-hotro.gov-vn.top",
        "created": "2026-11-08T16:20:00+0000",
    },
}
CHANNEL = {
    "id": "UCsonha000000000000000001",
    "title": "Đài Phát thanh và Truyền hình Sơn Hà",
    "handle": "@sonhatv",
}
ZALO_OA = {"id": "2318817206398146789", "name": "UBND tỉnh Sơn Hà"}
TIKTOK_ACCOUNT = "sonhatv"
OUTLETS: dict[str, dict[str, str]] = {
    "vnexpress": {"file": "vnexpress.xml", "name": "VnExpress", "host": "https://vnexpress.net"},
    "dantri": {"file": "dantri.xml", "name": "Dân trí", "host": "https://dantri.com.vn"},
    "baosonha": {"file": "baosonha.xml", "name": "Báo Sơn Hà", "host": "https://baosonha.vn"},
    "vov": {"file": "vov.atom", "name": "VOV", "host": "https://vov.vn"},
}

# TCVN3 (ABC) code points as a Windows-1252 reader shows them; upper-case letters with tone marks
# share the lower-case codes (the ".VnTimeH" fonts draw them as capitals).
_TCVN3_BASE = {
    "à": "µ", "ả": "¶", "ã": "·", "á": "¸", "ạ": "¹", "ă": "¨", "ằ": "»", "ẳ": "¼", "ẵ": "½",
    "ắ": "¾", "ặ": "Æ", "â": "©", "ầ": "Ç", "ẩ": "È", "ẫ": "É", "ấ": "Ê", "ậ": "Ë", "đ": "®",
    "è": "Ì", "ẻ": "Î", "ẽ": "Ï", "é": "Ð", "ẹ": "Ñ", "ê": "ª", "ề": "Ò", "ể": "Ó", "ễ": "Ô",
    "ế": "Õ", "ệ": "Ö", "ì": "×", "ỉ": "Ø", "ĩ": "Ü", "í": "Ý", "ị": "Þ", "ò": "ß", "ỏ": "á",
    "õ": "â", "ó": "ã", "ọ": "ä", "ô": "«", "ồ": "å", "ổ": "æ", "ỗ": "ç", "ố": "è", "ộ": "é",
    "ơ": "¬", "ờ": "ê", "ở": "ë", "ỡ": "ì", "ớ": "í", "ợ": "î", "ù": "ï", "ủ": "ñ", "ũ": "ò",
    "ú": "ó", "ụ": "ô", "ư": "\u00ad", "ừ": "õ", "ử": "ö", "ữ": "÷", "ứ": "ø", "ự": "ù",
    "ỳ": "ú", "ỷ": "û", "ỹ": "ü", "ý": "ý", "ỵ": "þ",
}  # fmt: skip
_TCVN3_UPPER = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"}
TOKENS = {"{ZWSP}": "\u200b", "{ZWJ}": "\u200d", "{BOM}": "\ufeff", "{NBSP}": "\u00a0"}


class CorpusError(ValueError):
    """The corpus says something the builder cannot turn into data; names file and story."""


# --------------------------------------------------------------------------- small helpers


def local(at: str) -> datetime:
    """``"11-12 14:20"`` -> 2026-11-12 14:20 in Asia/Ho_Chi_Minh."""
    m = re.fullmatch(r"(\d{2})-(\d{2}) (\d{2}):(\d{2})", at.strip())
    if not m:
        raise CorpusError(f"bad time {at!r}: expected 'MM-DD HH:MM'")
    mo, d, h, mi = (int(g) for g in m.groups())
    return datetime(YEAR, mo, d, h, mi, tzinfo=ICT)


def offset(base: datetime, spec: str) -> datetime:
    """``"+1h20m"`` after ``base``, or an absolute ``"MM-DD HH:MM"``."""
    if not spec.startswith("+"):
        return local(spec)
    m = re.fullmatch(r"\+(?:(\d+)h)?(?:(\d+)m)?", spec.strip())
    if not m or not any(m.groups()):
        raise CorpusError(f"bad relative time {spec!r}: expected '+1h20m'")
    return base + timedelta(hours=int(m.group(1) or 0), minutes=int(m.group(2) or 0))


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def num_id(key: str, digits: int) -> str:
    """A stable numeric id of ``digits`` digits (no leading zero) derived from ``key``."""
    n = int.from_bytes(digest(key), "big")
    low = 10 ** (digits - 1)
    return str(low + n % (9 * low))


def b64_id(key: str, length: int) -> str:
    return base64.urlsafe_b64encode(digest(key)).decode("ascii").rstrip("=")[:length]


def zalo_id(entry: Any) -> str:
    """Zalo article ids are 32 hex digits."""
    return hashlib.sha256(f"zalo/{entry.key}".encode()).hexdigest()[:32]


def graph_time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def iso_z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc822(dt: datetime) -> str:
    return format_datetime(dt.astimezone(ICT))


def epoch_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def fold(text: str) -> str:
    """ASCII slug basis: strip Vietnamese diacritics, map đ."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def slugify(text: str, limit: int = 80) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")
    return s[:limit].rstrip("-")


def body_text(text: str) -> str:
    """Corpus text as posted: block scalar trimmed, placeholder tokens turned into characters."""
    text = text.strip("\n").rstrip()
    for token, char in TOKENS.items():
        text = text.replace(token, char)
    return text


def tcvn3(text: str) -> str:
    """Unicode Vietnamese -> TCVN3 bytes as a Windows-1252 reader displays them."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[ch])
        elif ch.lower() in _TCVN3_BASE:
            out.append(_TCVN3_BASE[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def mojibake(text: str) -> str:
    """UTF-8 bytes decoded as Windows-1252: the double-encoding ftfy can undo."""
    bad = text.encode("utf-8").decode("sloppy-windows-1252")
    if ftfy.fix_text(bad) != text:
        raise CorpusError(f"mojibake of {text[:40]!r} is not repairable; pick another text")
    return bad


def hazards(text: str, entry: dict[str, Any]) -> str:
    """Apply the deliberate encoding hazards an entry asks for (see data/README.md)."""
    if entry.get("nfd"):
        text = unicodedata.normalize("NFD", text)
    if entry.get("mojibake"):
        text = mojibake(text)
    if entry.get("tcvn3"):
        text = tcvn3(text)
    return text


_EMOJI = re.compile("[\u200d\ufe0f\u2600-\u27bf\U0001f000-\U0001faff]")


def plain_paragraphs(text: str) -> list[str]:
    """Paragraphs of a Facebook text for the portal/Zalo mirrors: no emoji, no all-caps banner."""
    paras = []
    for raw in text.split("\n\n"):
        p = _EMOJI.sub("", raw).strip()
        p = re.sub(r"[ \t]+", " ", p)
        if not p:
            continue
        letters = [c for c in p if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(p) < 160:
            continue
        p = p.strip("[]").strip()
        paras.append(p)
    return paras


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def write_json(path: Path, obj: Any, ascii_only: bool = False) -> None:
    write(path, json.dumps(obj, ensure_ascii=ascii_only, indent=1) + "\n")


# --------------------------------------------------------------------------- corpus model


@dataclass
class Entry:
    """One item of the corpus on one channel, with where it came from (for error messages)."""

    story: str
    channel: str
    index: int
    data: dict[str, Any]
    source: str

    @property
    def key(self) -> str:
        return f"{self.story}/{self.channel}/{self.index}"

    @property
    def at(self) -> datetime:
        return local(str(self.data["at"]))

    def where(self) -> str:
        return f"{self.source}: story {self.story!r} {self.channel}[{self.index}]"


@dataclass
class Corpus:
    entries: list[Entry] = field(default_factory=list)
    comments: dict[str, Any] = field(default_factory=dict)
    seeds: list[dict[str, Any]] = field(default_factory=list)

    def channel(self, name: str) -> list[Entry]:
        return [e for e in self.entries if e.channel == name]


FIELDS: dict[str, set[str]] = {
    "fb": {"page", "at", "text", "story", "link", "attach", "n", "comments", "edited", "repost", "pinned"}
    | {"broken", "nfd", "tags", "portal", "zalo"},
    "yt": {"at", "title", "description", "n", "comments", "comments_disabled", "broken", "nfd", "tags"},
    "zalo": {"at", "title", "description", "body", "n", "nfd", "tags"},
    "portal": {"at", "title", "summary", "body"},
    "press": {"outlet", "at", "title", "text", "tags", "nfd", "mojibake", "tcvn3", "duplicate", "empty"},
    "tiktok": {"at", "caption", "n", "nfd"},
}


def load_corpus(corpus_dir: Path) -> Corpus:
    """Read the corpus files; an unknown field or a bad time fails naming file, story and item."""
    corpus = Corpus()
    stories: set[str] = set()
    for name in CORPUS_FILES:
        path = corpus_dir / name
        for story in yaml.safe_load(path.read_text(encoding="utf-8")):
            key = story["story"]
            if key in stories:
                raise CorpusError(f"{name}: duplicate story {key!r}")
            stories.add(key)
            unknown = set(story) - {"story", *FIELDS}
            if unknown:
                raise CorpusError(f"{name}: story {key!r}: unknown channel(s) {sorted(unknown)}")
            for channel in FIELDS:
                for i, item in enumerate(story.get(channel) or []):
                    entry = Entry(key, channel, i, item, name)
                    bad = set(item) - FIELDS[channel]
                    if bad:
                        raise CorpusError(f"{entry.where()}: unknown field(s) {sorted(bad)}")
                    if "at" not in item:
                        raise CorpusError(f"{entry.where()}: missing 'at'")
                    try:
                        entry.at  # noqa: B018  (validates the time early, with the item's name)
                    except CorpusError as exc:
                        raise CorpusError(f"{entry.where()}: {exc}") from None
                    if channel == "fb" and item.get("page") not in PAGES:
                        raise CorpusError(f"{entry.where()}: page must be one of {sorted(PAGES)}")
                    corpus.entries.append(entry)
                    if channel == "fb":
                        corpus.entries.extend(_mirrors(entry))
    corpus.comments = yaml.safe_load((corpus_dir / "comments.yaml").read_text(encoding="utf-8"))
    corpus.seeds = yaml.safe_load((corpus_dir / "portal_seeds.yaml").read_text(encoding="utf-8"))
    return corpus


def _mirrors(fb: Entry) -> Iterator[Entry]:
    """An official post can be mirrored on the portal and the Zalo OA (R2: same news everywhere)."""
    for channel, delay in (("portal", 45), ("zalo", 30)):
        spec = fb.data.get(channel)
        if not spec:
            continue
        at = fb.at + timedelta(minutes=delay)
        data = {"at": at.strftime("%m-%d %H:%M"), "mirror_of": fb.key, **spec}
        data.setdefault("body", "\n\n".join(plain_paragraphs(body_text(fb.data["text"]))))
        yield Entry(fb.story, channel, 100 + fb.index, data, fb.source)


# --------------------------------------------------------------------------- people


class People:
    """Deterministic citizen names (the product stores them hashed) and their platform ids."""

    def __init__(self, spec: dict[str, list[str]], rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng

    def name(self) -> str:
        s, r = self.spec, self.rng
        if r.random() < 0.12:
            return r.choice(s["nicknames"])
        if r.random() < 0.5:
            return f"{r.choice(s['family'])} {r.choice(s['middle_f'])} {r.choice(s['given_f'])}"
        return f"{r.choice(s['family'])} {r.choice(s['middle_m'])} {r.choice(s['given_m'])}"

    @staticmethod
    def fb_id(name: str, salt: str) -> str:
        return "1000" + num_id(f"user/{name}/{salt}", 11)

    @staticmethod
    def yt_handle(name: str, salt: str) -> str:
        return "@" + slugify(name).replace("-", "") + num_id(f"yt/{name}/{salt}", 4)[:2]


# --------------------------------------------------------------------------- Facebook Graph


def fb_post_num(entry: Entry, suffix: str = "") -> str:
    return num_id(f"fb/{entry.key}{suffix}", 16)


def _attachment(entry: Entry, page: dict[str, Any], post_num: str) -> dict[str, Any] | None:
    link = entry.data.get("link")
    kind = entry.data.get("attach")
    if link:
        return {
            "title": link["title"],
            "description": link.get("description", ""),
            "url": link["url"],
            "type": link.get("type", "share"),
        }
    if kind == "video":
        return {
            "type": "video_inline",
            "url": f"https://www.facebook.com/{page['username']}/videos/{post_num[::-1]}/",
        }
    if kind == "photo":
        return {
            "type": "photo",
            "url": f"https://www.facebook.com/photo.php?fbid={post_num[::-1]}&set=a.{post_num[:12]}&type=3",
        }
    return None


def _counts(entry: Entry, rng: random.Random, page: str) -> list[int]:
    n = entry.data.get("n")
    if n:
        return [int(x) for x in n]
    lo = {"official": (40, 400), "watched": (20, 900), "imposter": (3, 60)}[page]
    r = rng.randint(*lo)
    return [r, rng.randint(r // 30, r // 5 + 2), rng.randint(0, r // 6 + 1)]


def graph_post(
    entry: Entry,
    rng: random.Random,
    *,
    created: datetime,
    message: str | None,
    updated: datetime,
    suffix: str = "",
    counts: list[int] | None = None,
) -> dict[str, Any]:
    page = PAGES[entry.data["page"]]
    post_num = fb_post_num(entry, suffix)
    reactions, comments, shares = counts or _counts(entry, rng, entry.data["page"])
    post: dict[str, Any] = {"id": f"{page['id']}_{post_num}"}
    if message:
        post["message"] = message
    if entry.data.get("story"):
        post["story"] = entry.data["story"]
    post["created_time"] = graph_time(created)
    post["updated_time"] = graph_time(updated)
    post["permalink_url"] = f"https://www.facebook.com/{page['username']}/posts/{post_num}"
    post["from"] = {"id": page["id"], "name": page["name"]}
    if shares:
        post["shares"] = {"count": shares}
    post["reactions"] = {"data": [], "summary": {"total_count": reactions, "viewer_reaction": "NONE"}}
    post["comments"] = {
        "data": [],
        "summary": {"order": "ranked", "total_count": comments, "can_comment": False},
    }
    attachment = _attachment(entry, page, post_num)
    if attachment:
        post["attachments"] = {"data": [attachment]}
    return post


@dataclass
class FeedItem:
    post: dict[str, Any]
    entry: Entry
    sort_time: datetime
    role: str = "post"  # post | edited | repost


def build_feed(entries: list[Entry], rng: random.Random) -> list[FeedItem]:
    """The posts of one page in the order Graph ranks them (mostly newest first, not strictly)."""
    items: list[FeedItem] = []
    for e in entries:
        created = e.at
        text = hazards(body_text(e.data["text"]), e.data) if e.data.get("text") else None
        touched = created + timedelta(minutes=rng.choice((0, 0, 0, 2, 5, 11, 27, 48)))
        post = graph_post(e, rng, created=created, message=text, updated=touched)
        broken = e.data.get("broken")
        sort_time = created
        if broken == "no_id":
            del post["id"]
        elif broken == "negative_reactions":
            post["reactions"]["summary"]["total_count"] = int(e.data["n"][0])
            if post["reactions"]["summary"]["total_count"] >= 0:
                raise CorpusError(f"{e.where()}: negative_reactions needs a negative n[0]")
        elif broken == "epoch":
            post["created_time"] = "1970-01-01T00:00:00+0000"
        elif broken == "future":
            post["created_time"] = post["updated_time"] = "2030-11-20T01:15:00+0000"
        elif broken:
            raise CorpusError(f"{e.where()}: unknown broken kind {broken!r}")
        items.append(FeedItem(post, e, sort_time))
        if e.data.get("edited"):
            ed = e.data["edited"]
            edited = dict(post)
            edited["message"] = body_text(ed["text"])
            edited["updated_time"] = graph_time(local(ed["at"]))
            post["updated_time"] = graph_time(created + timedelta(minutes=4))
            items.append(FeedItem(edited, e, local(ed["at"]), role="edited"))
        if e.data.get("repost"):
            again = local(e.data["repost"])
            n = [max(1, x // 9) for x in _counts(e, rng, e.data["page"])]
            repost = graph_post(
                e, rng, created=again, message=text, updated=again, suffix="#repost", counts=n
            )
            items.append(FeedItem(repost, e, again, role="repost"))
    items.sort(key=lambda it: it.sort_time, reverse=True)
    # Ranking, not chronology: pinned first, an edited post resurfaces near the top, a few swaps.
    for it in [it for it in items if it.entry.data.get("pinned") and it.role == "post"]:
        items.remove(it)
        items.insert(0, it)
    for it in [it for it in items if it.role == "edited"]:
        items.remove(it)
        items.insert(2, it)
    for it in [it for it in items if it.entry.data.get("broken") == "future"]:
        items.remove(it)
        items.insert(1, it)
    for it in [it for it in items if it.entry.data.get("broken") == "epoch"]:
        items.remove(it)
        items.insert(min(len(items), 2 * FEED_PAGE_SIZE + 5), it)
    for _ in range(3):
        i = rng.randrange(4, len(items) - 2)
        items[i], items[i + 1] = items[i + 1], items[i]
    return items


def cursor(key: str) -> str:
    return "QVFIU" + b64_id(f"cursor/{key}", 44)


def graph_pages(
    items: list[dict[str, Any]], node: str, edge: str, query: str, page_size: int
) -> list[dict[str, Any]]:
    """Split a Graph edge into recorded pages linked by ``paging.next`` (absolute, with the token)."""
    chunks = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
    pages = []
    for k, chunk in enumerate(chunks, start=1):
        page: dict[str, Any] = {"data": chunk}
        if chunk:
            page["paging"] = {
                "cursors": {"before": cursor(f"{node}/{edge}/{k}/b"), "after": cursor(f"{node}/{edge}/{k}/a")}
            }
            if k < len(chunks):
                after = page["paging"]["cursors"]["after"]
                page["paging"]["next"] = (
                    f"{BASE}/graph/{GRAPH_VERSION}/{node}/{edge}?{query}&access_token={TOKEN}&after={after}"
                )
        pages.append(page)
    return pages


def build_comments(
    entry: Entry, post: dict[str, Any], corpus: Corpus, people: People, rng: random.Random
) -> list[dict[str, Any]]:
    spec = entry.data.get("comments")
    if isinstance(spec, str):
        thread = corpus.comments["threads"][spec]
    elif spec:
        thread = spec
    elif rng.random() < 0.55:
        pool = corpus.comments["pool"]
        thread = [dict(c, at=f"+{rng.randint(8, 400)}m") for c in rng.sample(pool, rng.randint(1, 3))]
        thread.sort(key=lambda c: int(c["at"][1:-1]))
    else:
        return []
    page = PAGES["official"]
    created = entry.at
    post_num = post["id"].split("_", 1)[1]
    out = []
    for i, c in enumerate(thread):
        at = offset(created, c["at"])
        name = c.get("by") or people.name()
        comment: dict[str, Any] = {
            "id": f"{post_num}_{num_id(f'comment/{entry.key}/{i}', 16)}",
            "message": body_text(c["text"]),
            "created_time": graph_time(at),
            "from": {"id": People.fb_id(name, entry.key), "name": name},
            "comment_count": 0,
        }
        if c.get("reply"):
            r = c["reply"]
            reply_at = offset(created, r["after"])
            comment["comment_count"] = 1
            comment["comments"] = {
                "data": [
                    {
                        "id": f"{post_num}_{num_id(f'reply/{entry.key}/{i}', 16)}",
                        "message": body_text(r["text"]),
                        "created_time": graph_time(reply_at),
                        "from": {"id": page["id"], "name": page["name"]},
                    }
                ]
            }
        out.append(comment)
    return out


def write_graph(
    out: Path, corpus: Corpus, people: People, rng: random.Random, placement: dict[str, list[int]]
) -> dict[str, Any]:
    """Feeds, comment edges and page info of the three pages; ``placement`` gets post id -> feed pages."""
    summary: dict[str, Any] = {}
    fb = corpus.channel("fb")
    fields_q = "fields=" + quote(FEED_FIELDS, safe=",") + f"&limit={FEED_PAGE_SIZE}"
    comments_q = "fields=" + quote(COMMENT_FIELDS, safe=",") + f"&filter=toplevel&limit={COMMENT_PAGE_SIZE}"
    for role, page in PAGES.items():
        write_json(out / "graph" / "pages" / f"{page['id']}.json", _page_info(page), ascii_only=True)
        items = build_feed([e for e in fb if e.data["page"] == role], rng)
        pages = graph_pages([it.post for it in items], page["id"], "feed", fields_q, FEED_PAGE_SIZE)
        for k, p in enumerate(pages, start=1):
            write_json(out / "graph" / page["id"] / f"feed-{k}.json", p, ascii_only=True)
            for post in p["data"]:
                placement.setdefault(post.get("id", post["permalink_url"]), []).append(k)
        summary[role] = {"posts": len(items), "pages": len(pages)}
        if role != "official":
            continue
        threads = 0
        for it in items:
            if it.role != "post":
                continue
            comments = build_comments(it.entry, it.post, corpus, people, rng)
            if not comments:
                continue
            threads += 1
            post_id = it.post["id"]
            for k, p in enumerate(
                graph_pages(comments, post_id, "comments", comments_q, COMMENT_PAGE_SIZE), 1
            ):
                name = f"{post_id}.json" if k == 1 else f"{post_id}-{k}.json"
                write_json(out / "graph" / "comments" / name, p, ascii_only=True)
            if len(comments) > COMMENT_PAGE_SIZE:
                placement[f"{post_id}/comments"] = [len(comments)]
        summary["official"]["comment_threads"] = threads
    return summary


def _page_info(page: dict[str, Any]) -> dict[str, Any]:
    info = {
        "id": page["id"],
        "name": page["name"],
        "username": page["username"],
        "link": f"https://www.facebook.com/{page['username']}",
        "category": page["category"],
        "fan_count": page["fan_count"],
        "followers_count": int(page["fan_count"] * 1.07),
        "verification_status": page["verification_status"],
        "about": page["about"],
        "created_time": page["created"],
    }
    if page["website"]:
        info["website"] = page["website"]
    return info


# --------------------------------------------------------------------------- YouTube


@dataclass
class Video:
    entry: Entry
    video_id: str
    published: datetime
    title: str
    description: str
    views: int
    likes: int
    comments: int

    @property
    def broken(self) -> str | None:
        return self.entry.data.get("broken")


def collect_videos(corpus: Corpus) -> list[Video]:
    videos = []
    for e in corpus.channel("yt"):
        views, likes, comments = (int(x) for x in e.data["n"])
        videos.append(
            Video(
                e,
                b64_id(f"yt/{e.key}", 11),
                e.at,
                hazards(body_text(e.data["title"]), e.data),
                body_text(e.data["description"]),
                views,
                likes,
                comments,
            )
        )
    videos.sort(key=lambda v: v.published, reverse=True)
    return videos


def _x(text: str) -> str:
    return html.escape(text, quote=True)


def youtube_feed(videos: list[Video]) -> str:
    ch = CHANNEL
    latest = [v for v in videos if v.broken != "private"][:YT_FEED_SIZE]
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">',
        f' <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={ch["id"]}"/>',
        f" <id>yt:channel:{ch['id'][2:]}</id>",
        f" <yt:channelId>{ch['id'][2:]}</yt:channelId>",
        f" <title>{_x(ch['title'])}</title>",
        f' <link rel="alternate" href="https://www.youtube.com/channel/{ch["id"]}"/>',
        f" <author>\n  <name>{_x(ch['title'])}</name>\n"
        f"  <uri>https://www.youtube.com/channel/{ch['id']}</uri>\n </author>",
        " <published>2014-05-20T03:12:44+00:00</published>",
    ]
    for v in latest:
        vid = "" if v.broken == "no_video_id" else v.video_id
        updated = v.published + timedelta(hours=3, minutes=int(v.video_id.encode()[0]) % 50)
        entry = [
            " <entry>",
            f"  <id>yt:video:{vid}</id>",
            f"  <yt:videoId>{vid}</yt:videoId>" if vid else "",
            f"  <yt:channelId>{ch['id']}</yt:channelId>",
            f"  <title>{_x(v.title)}</title>",
            f'  <link rel="alternate" href="https://www.youtube.com/watch?v={vid}"/>' if vid else "",
            f"  <author>\n   <name>{_x(ch['title'])}</name>\n"
            f"   <uri>https://www.youtube.com/channel/{ch['id']}</uri>\n  </author>",
            f"  <published>{v.published.astimezone(UTC).isoformat()}</published>",
            f"  <updated>{updated.astimezone(UTC).isoformat()}</updated>",
            "  <media:group>",
            f"   <media:title>{_x(v.title)}</media:title>",
            f'   <media:content url="https://www.youtube.com/v/{vid}?version=3" '
            'type="application/x-shockwave-flash" width="640" height="390"/>'
            if vid
            else "",
            f'   <media:thumbnail url="https://i1.ytimg.com/vi/{vid}/hqdefault.jpg" '
            'width="480" height="360"/>'
            if vid
            else "",
            f"   <media:description>{_x(v.description)}</media:description>",
            "   <media:community>",
            f'    <media:starRating count="{v.likes}" average="5.00" min="1" max="5"/>',
            f'    <media:statistics views="{v.views}"/>',
            "   </media:community>",
            "  </media:group>",
            " </entry>",
        ]
        parts.extend(line for line in entry if line)
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def _thumbs(vid: str) -> dict[str, Any]:
    return {
        "default": {"url": f"https://i.ytimg.com/vi/{vid}/default.jpg", "width": 120, "height": 90},
        "medium": {"url": f"https://i.ytimg.com/vi/{vid}/mqdefault.jpg", "width": 320, "height": 180},
        "high": {"url": f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg", "width": 480, "height": 360},
    }


def write_youtube(out: Path, corpus: Corpus, people: People) -> dict[str, Any]:
    videos = [v for v in collect_videos(corpus) if v.broken != "no_video_id"]
    api = out / "youtube" / "v3"
    ch = CHANNEL
    uploads = "UU" + ch["id"][2:]
    write(out / "youtube" / "feeds" / f"{ch['id']}.xml", youtube_feed(collect_videos(corpus)))
    write_json(
        api / "channels.json",
        {
            "kind": "youtube#channelListResponse",
            "etag": b64_id("etag/channels", 27),
            "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
            "items": [
                {
                    "kind": "youtube#channel",
                    "etag": b64_id("etag/channel", 27),
                    "id": ch["id"],
                    "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": uploads}},
                }
            ],
        },
    )
    chunks = [videos[i : i + PLAYLIST_PAGE_SIZE] for i in range(0, len(videos), PLAYLIST_PAGE_SIZE)]
    for k, chunk in enumerate(chunks, start=1):
        items = []
        for pos, v in enumerate(chunk, start=(k - 1) * PLAYLIST_PAGE_SIZE):
            snippet: dict[str, Any] = {
                "publishedAt": iso_z(v.published + timedelta(minutes=1)),
                "channelId": ch["id"],
                "title": v.title,
                "description": v.description,
                "channelTitle": ch["title"],
                "playlistId": uploads,
                "position": pos,
                "resourceId": {"kind": "youtube#video", "videoId": v.video_id},
            }
            details: dict[str, Any] = {"videoId": v.video_id}
            if v.broken != "private":
                snippet["thumbnails"] = _thumbs(v.video_id)
                snippet["videoOwnerChannelTitle"] = ch["title"]
                snippet["videoOwnerChannelId"] = ch["id"]
                details["videoPublishedAt"] = iso_z(v.published)
            items.append(
                {
                    "kind": "youtube#playlistItem",
                    "etag": b64_id(f"etag/pi/{v.video_id}", 27),
                    "id": b64_id(f"pi/{v.video_id}", 48),
                    "snippet": snippet,
                    "contentDetails": details,
                }
            )
        page: dict[str, Any] = {
            "kind": "youtube#playlistItemListResponse",
            "etag": b64_id(f"etag/playlist/{k}", 27),
        }
        if k < len(chunks):
            page["nextPageToken"] = "EAAa" + b64_id(f"page/{k + 1}", 20)
        if k > 1:
            page["prevPageToken"] = "EAEa" + b64_id(f"page/{k - 1}", 20)
        page["items"] = items
        page["pageInfo"] = {"totalResults": len(videos), "resultsPerPage": PLAYLIST_PAGE_SIZE}
        write_json(api / f"playlistItems-{k}.json", page)
    write_json(
        api / "videos.json",
        {
            "kind": "youtube#videoListResponse",
            "etag": b64_id("etag/videos", 27),
            "items": [_video_resource(v) for v in videos if v.broken != "private"],
            "pageInfo": {"totalResults": len(videos), "resultsPerPage": len(videos)},
        },
    )
    threads = 0
    for v in videos:
        if v.entry.data.get("comments_disabled"):
            write_json(api / "commentThreads" / f"{v.video_id}.error.json", _comments_disabled(v.video_id))
            continue
        spec = v.entry.data.get("comments")
        if not spec:
            continue
        threads += 1
        write_json(api / "commentThreads" / f"{v.video_id}.json", _comment_threads(v, spec, people))
    return {"videos": len(videos), "feed_entries": YT_FEED_SIZE, "comment_threads": threads}


def _video_resource(v: Video) -> dict[str, Any]:
    return {
        "kind": "youtube#video",
        "etag": b64_id(f"etag/video/{v.video_id}", 27),
        "id": v.video_id,
        "snippet": {
            "publishedAt": iso_z(v.published),
            "channelId": CHANNEL["id"],
            "title": v.title,
            "description": v.description,
            "thumbnails": _thumbs(v.video_id),
            "channelTitle": CHANNEL["title"],
            "tags": [t.lstrip("#") for t in re.findall(r"#\w+", v.description)],
            "categoryId": "25",
            "liveBroadcastContent": "none",
            "defaultLanguage": "vi",
            "defaultAudioLanguage": "vi",
        },
        "statistics": {
            "viewCount": str(v.views),
            "likeCount": str(v.likes),
            "favoriteCount": "0",
            "commentCount": str(v.comments),
        },
    }


def _comments_disabled(video_id: str) -> dict[str, Any]:
    message = (
        'The video identified by the <code><a href="/youtube/v3/docs/commentThreads/list#videoId">'
        f"videoId</a></code> parameter has disabled comments. ({video_id})"
    )
    return {
        "error": {
            "code": 403,
            "message": message,
            "errors": [{"message": message, "domain": "youtube.commentThread", "reason": "commentsDisabled"}],
        }
    }


def _yt_comment(cid: str, v: Video, text: str, at: datetime, author: str, channel_id: str) -> dict[str, Any]:
    return {
        "kind": "youtube#comment",
        "etag": b64_id(f"etag/c/{cid}", 27),
        "id": cid,
        "snippet": {
            "channelId": CHANNEL["id"],
            "videoId": v.video_id,
            "textDisplay": html.escape(text, quote=False).replace("\n", "<br>"),
            "textOriginal": text,
            "authorDisplayName": author,
            "authorProfileImageUrl": f"https://yt3.ggpht.com/ytc/{b64_id('avatar/' + author, 32)}=s48-c-k-nd",
            "authorChannelUrl": f"http://www.youtube.com/{author}",
            "authorChannelId": {"value": channel_id},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": int(digest(cid)[0]) % 40,
            "publishedAt": iso_z(at),
            "updatedAt": iso_z(at),
        },
    }


def _comment_threads(v: Video, spec: list[dict[str, Any]], people: People) -> dict[str, Any]:
    items = []
    for i, c in enumerate(spec):
        at = offset(v.published, c["at"])
        name = people.name()
        handle = People.yt_handle(name, v.entry.key)
        cid = "Ugz" + b64_id(f"ytc/{v.entry.key}/{i}", 23) + "4AaABAg"
        top = _yt_comment(cid, v, body_text(c["text"]), at, handle, "UC" + b64_id("ytu/" + handle, 22))
        thread: dict[str, Any] = {
            "kind": "youtube#commentThread",
            "etag": b64_id(f"etag/t/{cid}", 27),
            "id": cid,
            "snippet": {
                "channelId": CHANNEL["id"],
                "videoId": v.video_id,
                "topLevelComment": top,
                "canReply": True,
                "totalReplyCount": 1 if c.get("reply") else 0,
                "isPublic": True,
            },
        }
        if c.get("reply"):
            r = c["reply"]
            rid = f"{cid}.{b64_id(f'ytr/{v.entry.key}/{i}', 22)}"
            reply = _yt_comment(
                rid,
                v,
                body_text(r["text"]),
                offset(v.published, r["after"]),
                CHANNEL["handle"],
                CHANNEL["id"],
            )
            reply["snippet"]["parentId"] = cid
            thread["replies"] = {"comments": [reply]}
        items.append(thread)
    items.reverse()  # newest first, as the API orders by time
    return {
        "kind": "youtube#commentThreadListResponse",
        "etag": b64_id(f"etag/threads/{v.video_id}", 27),
        "pageInfo": {"totalResults": len(items), "resultsPerPage": 100},
        "items": items,
    }


# --------------------------------------------------------------------------- Zalo OA


def write_zalo(out: Path, corpus: Corpus, rng: random.Random) -> dict[str, Any]:
    medias = []
    for e in sorted(corpus.channel("zalo"), key=lambda e: e.at, reverse=True):
        aid = zalo_id(e)
        views, shares = (int(x) for x in e.data["n"]) if e.data.get("n") else (rng.randint(800, 6000), 0)
        if not e.data.get("n"):
            shares = rng.randint(views // 60, views // 12)
        created = e.at
        title = hazards(body_text(e.data["title"]), e.data)
        description = hazards(body_text(e.data["description"]), e.data)
        media = {
            "id": aid,
            "type": "normal",
            "title": title,
            "author": ZALO_OA["name"],
            "description": description,
            "status": "show",
            "total_view": views,
            "total_share": shares,
            "create_date": epoch_ms(created),
            "update_date": epoch_ms(created + timedelta(minutes=rng.choice((0, 0, 3, 12)))),
            "thumb": f"https://photo-zoa.zadn.vn/{ZALO_OA['id']}/{aid[:16]}.jpg",
            "link": f"https://zalo.me/s/{ZALO_OA['id']}/a/{aid}/",
        }
        medias.append(media)
        paras = [hazards(p, e.data) for p in body_text(e.data["body"]).split("\n\n")]
        body: list[dict[str, Any]] = [{"type": "text", "content": f"<p>{_x(p)}</p>"} for p in paras]
        body.insert(1, {"type": "image", "url": media["thumb"].replace(".jpg", "-1.jpg"), "caption": title})
        detail = {"error": 0, "message": "Success", "data": {**media, "comment": "show", "body": body}}
        write_json(out / "zalo" / "detail" / f"{aid}.json", detail)
    write_json(out / "zalo" / "articles.json", {"error": 0, "message": "Success", "medias": medias})
    return {"articles": len(medias)}


# --------------------------------------------------------------------------- portal

PORTAL_NAV = (
    ("Trang chủ", "/portal/"),
    ("Tin tức - Sự kiện", "/portal/tin-tuc.html"),
    ("Văn bản chỉ đạo điều hành", "/portal/tin-tuc.html?chuyen-muc=van-ban"),
    ("Dịch vụ công", "https://dichvucong.sonha.gov.vn"),
    ("Liên hệ", "/portal/lien-he.html"),
)
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass
class Article:
    slug: str
    at: datetime
    title: str
    summary: str
    body_html: str
    category: str
    author: str


def _page(title: str, main: str, description: str = "", extra_head: str = "") -> str:
    nav = "".join(f'<li><a href="{_x(href)}">{_x(label)}</a></li>' for label, href in PORTAL_NAV)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_x(title)}</title>
<meta name="description" content="{_x(description)}">
{extra_head}<link rel="stylesheet" href="/portal/static/css/portal.css">
</head>
<body>
<header class="site-header">
<div class="brand"><a href="/portal/"><img src="/portal/static/img/quoc-huy.png" alt="Quốc huy">
CỔNG THÔNG TIN ĐIỆN TỬ TỈNH SƠN HÀ</a></div>
<nav class="main-nav"><ul>{nav}</ul></nav>
<form class="search" action="/portal/tim-kiem" method="get"><input name="q" placeholder="Tìm kiếm..."></form>
</header>
{main}
<footer class="site-footer">
<p>Cơ quan chủ quản: Ủy ban nhân dân tỉnh Sơn Hà.
Địa chỉ: số 12 đường Lê Lợi, phường Đông Thành, tỉnh Sơn Hà.</p>
<p>Chịu trách nhiệm chính: Chánh Văn phòng UBND tỉnh.
Điện thoại: 0912 345 678. Email: congthongtin@sonha.gov.vn</p>
<p>Ghi rõ nguồn “Cổng thông tin điện tử tỉnh Sơn Hà” khi phát hành lại thông tin từ website này.</p>
</footer>
</body>
</html>
"""


def _md_inline(text: str) -> str:
    """The seed letters' light markdown (bold, italics, links, footnote marks) as HTML."""
    t = _x(text).replace("\\_", "_")
    t = re.sub(r"&lt;sup&gt;(\d+)&lt;/sup&gt;", r"<sup>\1</sup>", t)
    t = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', t)
    t = re.sub(r"&lt;(https?://[^&]+)&gt;", r'<a href="\1">\1</a>', t)
    t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", t)


def reflow(text: str) -> list[str]:
    """Paragraphs of a seed letter, rejoining lines broken by PDF extraction and page breaks."""
    paras: list[str] = []
    cur = ""
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        starts_new = bool(re.match(r"^(- |\d+\.|#|\*\*|---|<sup>)", line))
        ended = bool(re.search(r"[.:;!?]\**$", cur)) or (cur.startswith("**") and cur.endswith("**"))
        if cur and (starts_new or ended):
            paras.append(cur)
            cur = line
        else:
            cur = f"{cur} {line}" if cur else line
    if cur:
        paras.append(cur)
    return paras


def adapt_seed(seed: dict[str, Any], seeds_dir: Path) -> list[str]:
    """The seed letter's body as a Sơn Hà document: cut, replaced, checked for leftovers."""
    where = f"portal_seeds.yaml: {seed['seed']}"
    paras = reflow((seeds_dir / seed["seed"]).read_text(encoding="utf-8"))
    start = next((i for i, p in enumerate(paras) if p.startswith(seed["body_from"])), None)
    end = next((i for i, p in enumerate(paras) if p.startswith(seed["body_until"])), None)
    if start is None or end is None or end < start:
        raise CorpusError(f"{where}: body_from/body_until not found")
    body = paras[start : end + 1]
    notes = [p for p in body if p.startswith("<sup>") or p == "---"]
    body = [p for p in body if p not in notes] + [p for p in notes if p != "---"]
    text = "\n".join(body)
    for rep in seed["replace"]:
        old, new = rep["old"], rep["new"]
        if rep.get("regex"):
            text, n = re.subn(old, new, text, flags=re.MULTILINE)
        else:
            n = text.count(old)
            text = text.replace(old, new)
        if n == 0:
            raise CorpusError(f"{where}: replacement not found: {old[:60]!r}")
    for word in seed["forbid"]:
        if word in text:
            line = next(p for p in text.split("\n") if word in p)
            raise CorpusError(f"{where}: {word!r} left after adaptation: {line[:100]!r}")
    return text.split("\n")


def _letter_html(seed: dict[str, Any], body: list[str]) -> str:
    h = seed["header"]
    f = seed["footer"]
    out = [
        '<div class="van-ban">',
        '<table class="quoc-hieu"><tr>',
        f'<td class="co-quan"><strong>{"<br>".join(_x(x) for x in h["issuer"])}</strong><br>'
        f"{_x(h['number'])}<br><em>{_x(h['subject'])}</em></td>",
        '<td class="tieu-ngu"><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><br>'
        f"<strong>Độc lập - Tự do - Hạnh phúc</strong><br><em>{_x(h['place_date'])}</em></td>",
        "</tr></table>",
        "<p><strong>Kính gửi:</strong></p>",
        "<ul>" + "".join(f"<li>{_x(x)}</li>" for x in h["to"]) + "</ul>",
    ]
    in_list = False
    for p in body:
        if p.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_md_inline(p[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if p.startswith("#"):
            out.append(f"<h3>{_md_inline(p.lstrip('#').strip())}</h3>")
        elif p.startswith("<sup>"):
            out.append(f'<p class="chu-thich"><small>{_md_inline(p)}</small></p>')
        else:
            out.append(f"<p>{_md_inline(p)}</p>")
    if in_list:
        out.append("</ul>")
    out += [
        '<table class="ky"><tr>',
        '<td class="noi-nhan"><strong><em>Nơi nhận:</em></strong><br>'
        + "<br>".join(f"- {_x(x)}" for x in f["recipients"])
        + "</td>",
        f'<td class="chu-ky"><strong>{"<br>".join(_x(x) for x in f["signer_title"])}</strong><br><br><br>'
        f"<strong>{_x(f['signer'])}</strong></td>",
        "</tr></table>",
        "</div>",
    ]
    return "\n".join(out)


def collect_articles(corpus: Corpus, seeds_dir: Path) -> list[Article]:
    articles = []
    for e in corpus.channel("portal"):
        title = body_text(e.data["title"])
        paras = body_text(e.data["body"]).split("\n\n")
        body = "\n".join(f"<p>{_x(p)}</p>" for p in paras)
        articles.append(
            Article(
                f"{slugify(title)}-{num_id('portal/' + e.key, 6)}",
                e.at,
                title,
                body_text(e.data["summary"]),
                body,
                "Tin tức - Sự kiện",
                "Văn phòng UBND tỉnh" if e.data.get("mirror_of") else "Phạm Quốc Huy",
            )
        )
    for seed in corpus.seeds:
        title = seed["title"]
        body = f"<p>{_x(body_text(seed['intro']))}</p>\n" + _letter_html(seed, adapt_seed(seed, seeds_dir))
        articles.append(
            Article(
                f"{slugify(title)}-{num_id('portal/seed/' + seed['seed'], 6)}",
                local(seed["at"]),
                title,
                seed["summary"],
                body,
                "Văn bản chỉ đạo điều hành",
                "Văn phòng UBND tỉnh",
            )
        )
    articles.sort(key=lambda a: a.at, reverse=True)
    return articles


def _article_page(a: Article, related: list[Article]) -> str:
    stamp = a.at.strftime("%d/%m/%Y %H:%M")
    canonical = f"https://sonha.gov.vn/tin-tuc/{a.slug}.html"
    head = (
        f'<meta property="og:title" content="{_x(a.title)}">\n'
        f'<meta property="article:published_time" content="{a.at.isoformat()}">\n'
        f'<link rel="canonical" href="https://sonha.gov.vn/tin-tuc/{a.slug}.html">\n'
    )
    rel = "".join(
        f'<li><a href="/portal/bai-viet/{r.slug}.html?utm_source=portal&amp;utm_medium=related">'
        f"{_x(r.title)}</a></li>"
        for r in related
    )
    main = f"""<main class="container">
<nav class="breadcrumb"><a href="/portal/">Trang chủ</a> ›
<a href="/portal/tin-tuc.html">{_x(a.category)}</a></nav>
<article class="news-detail">
<h1 class="title">{_x(a.title)}</h1>
<div class="meta"><span class="date">{WEEKDAYS[a.at.weekday()]}, {stamp} (GMT+7)</span></div>
<p class="sapo"><strong>{_x(a.summary)}</strong></p>
<div class="content">
{a.body_html}
</div>
<p class="author"><strong>{_x(a.author)}</strong></p>
<div class="share">Chia sẻ:
<a href="https://www.facebook.com/sharer/sharer.php?u={canonical}">Facebook</a>
<a href="https://zalo.me/share?url={canonical}">Zalo</a></div>
</article>
<aside class="related"><h2>Tin liên quan</h2><ul>{rel}</ul></aside>
</main>"""
    return _page(f"{a.title} - Cổng thông tin điện tử tỉnh Sơn Hà", main, a.summary, head)


DRAFT = {
    "slug": "quan-tri/ban-nhap.html?id=88",
    "title": "[BẢN NHÁP - KHÔNG ĐĂNG] Báo cáo nhanh thiệt hại do lũ quét tại xã Thủy Nguyên",
    "summary": "Bản nháp nội bộ, chưa được phê duyệt.",
}


def _listing(items: list[Article], page: int, pages: int, draft_at: datetime | None) -> str:
    rows = []
    for i, a in enumerate(items):
        rows.append(
            f"""<article class="news-item">
<a class="thumb" href="bai-viet/{a.slug}.html"><img src="/portal/static/uploads/{a.slug[:24]}.jpg" alt=""></a>
<h3><a href="bai-viet/{a.slug}.html">{_x(a.title)}</a></h3>
<span class="date">{a.at.strftime("%d/%m/%Y %H:%M")}</span>
<p class="summary">{_x(a.summary)}</p>
</article>"""
        )
        if draft_at is not None and i == 2:
            rows.append(
                f"""<article class="news-item">
<h3><a href="/portal/{DRAFT["slug"]}">{_x(DRAFT["title"])}</a></h3>
<span class="date">{draft_at.strftime("%d/%m/%Y %H:%M")}</span>
<p class="summary">{_x(DRAFT["summary"])}</p>
</article>"""
            )
    pager = []
    if page > 1:
        prev = "/portal/tin-tuc.html" if page == 2 else f"/portal/tin-tuc.html?page={page - 1}"
        pager.append(f'<a class="prev" href="{prev}">« Trang trước</a>')
    pager += [
        f'<span class="current">{p}</span>'
        if p == page
        else f'<a href="/portal/tin-tuc.html?page={p}">{p}</a>'
        for p in range(1, pages + 1)
    ]
    if page < pages:
        pager.append(f'<a class="next" href="/portal/tin-tuc.html?page={page + 1}">Trang sau »</a>')
    main = (
        '<main class="container">\n<h1>Tin tức - Sự kiện</h1>\n<section class="news-list">\n'
        + "\n".join(rows)
        + '\n</section>\n<div class="pagination">'
        + " ".join(pager)
        + "</div>\n</main>"
    )
    return _page(
        "Tin tức - Sự kiện - Cổng thông tin điện tử tỉnh Sơn Hà", main, "Tin tức, sự kiện tỉnh Sơn Hà"
    )


def write_portal(out: Path, corpus: Corpus, seeds_dir: Path) -> dict[str, Any]:
    articles = collect_articles(corpus, seeds_dir)
    portal = out / "portal"
    for i, a in enumerate(articles):
        related = [articles[j] for j in (i - 1, i + 1, i + 2) if 0 <= j < len(articles) and j != i]
        write(portal / "bai-viet" / f"{a.slug}.html", _article_page(a, related))
    chunks = [articles[i : i + PORTAL_PAGE_SIZE] for i in range(0, len(articles), PORTAL_PAGE_SIZE)]
    for k, chunk in enumerate(chunks, start=1):
        draft_at = local("11-14 08:10") if k == 1 else None
        name = "tin-tuc.html" if k == 1 else f"tin-tuc-{k}.html"
        write(portal / name, _listing(chunk, k, len(chunks), draft_at))
    draft = _page(
        DRAFT["title"],
        '<main class="container"><h1>Bản nháp</h1><p>Số liệu thiệt hại chưa được kiểm chứng, '
        "không sử dụng để đăng tải.</p></main>",
    )
    write(portal / "quan-tri" / "ban-nhap.html", draft)
    write(
        portal / "robots.txt",
        "User-agent: *\nDisallow: /portal/quan-tri/\nDisallow: /portal/tim-kiem\n\n"
        "User-agent: GPTBot\nDisallow: /\n",
    )
    return {"articles": len(articles), "listing_pages": len(chunks)}


# --------------------------------------------------------------------------- press feeds


@dataclass
class PressItem:
    entry: Entry
    outlet: str
    at: datetime
    title: str
    text: str
    link: str
    image: str
    guid: str


def press_items(corpus: Corpus) -> dict[str, list[PressItem]]:
    by_outlet: dict[str, list[PressItem]] = {k: [] for k in OUTLETS}
    for e in corpus.channel("press"):
        outlet = e.data["outlet"]
        if outlet not in OUTLETS:
            raise CorpusError(f"{e.where()}: unknown outlet {outlet!r}")
        title = str(e.data.get("title") or "")
        text = body_text(str(e.data.get("text") or ""))
        at = e.at
        host = OUTLETS[outlet]["host"]
        slug = slugify(re.sub(r"<[^>]*>", " ", title)) or "bai-viet"
        n = num_id(f"press/{e.key}", 7)
        if outlet == "vnexpress":
            link = f"{host}/{slug}-{n}.html"
            if int(n) % 3 == 0:
                link += "?utm_source=rss&utm_medium=feed&utm_campaign=tin-moi-nhat"
            image = (
                f"https://vcdn1-vnexpress.vnecdn.net/2026/11/{at:%d}/{slug[:20]}-{n}.jpg"
                f"?w=1200&h=0&q=100&dpr=1&fit=crop&s={b64_id('s' + n, 22)}"
            )
        elif outlet == "dantri":
            link = f"{host}/xa-hoi/{slug}-{at:%Y%m%d%H%M%S}{n[:3]}.htm"
            cdn = f"https://cdnphoto.dantri.com.vn/{b64_id('d' + n, 24)}="
            image = f"{cdn}/thumb_w/1020/{at:%Y/%m/%d}/{slug[:20]}.jpg"
        elif outlet == "baosonha":
            link = f"{host}/{slug}-{n[:5]}.html"
            image = f"https://baosonha.vn/uploads/2026/11/{slug[:24]}.jpg?w=600&h=400"
        else:
            link = f"{host}/{slug}-post{n[:7]}.vov"
            image = f"https://media.vov.vn/sites/default/files/styles/large/public/2026-11/{slug[:24]}.jpg"
        if e.data.get("empty"):
            title = text = ""
        guid = {
            "baosonha": f"baosonha-{num_id('g/' + e.key, 6)}",
            "vov": f"tag:vov.vn,2026:post{n}",
        }.get(outlet, link)
        item = PressItem(e, outlet, at, hazards(title, e.data), hazards(text, e.data), link, image, guid)
        by_outlet[outlet].append(item)
        if e.data.get("duplicate"):
            by_outlet[outlet].append(item)
    for items in by_outlet.values():
        items.sort(key=lambda it: it.at, reverse=True)
    return by_outlet


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_vnexpress(items: list[PressItem]) -> str:
    rows = []
    for it in items:
        if it.entry.data.get("empty"):
            desc = ""
        else:
            desc = _cdata(f'<a href="{it.link}"><img src="{_x(it.image)}" ></a></br>{it.text}')
        rows.append(
            f"<item>\n<title>{_x(it.title)}</title>\n<description>{desc}</description>\n"
            f"<pubDate>{rfc822(it.at)}</pubDate>\n<link>{_x(it.link)}</link>\n<guid>{_x(it.link)}</guid>\n"
            f"<slash:comments>{int(digest(it.link)[0]) % 60}</slash:comments>\n</item>"
        )
    return _rss_shell(
        "Tin mới nhất - VnExpress RSS",
        "https://vnexpress.net/rss/tin-moi-nhat.rss",
        "VnExpress RSS - Tin mới nhất",
        items,
        rows,
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"',
    )


def rss_dantri(items: list[PressItem]) -> str:
    rows = []
    for it in items:
        desc = _cdata(f'<a href="{it.link}"><img src="{_x(it.image)}" /></a><br />{it.text}')
        rows.append(
            f"<item>\n<title>{_x(it.title)}</title>\n<link>{_x(it.link)}</link>\n"
            f'<guid isPermaLink="true">{_x(it.link)}</guid>\n<description>{desc}</description>\n'
            f"<pubDate>{rfc822(it.at)}</pubDate>\n</item>"
        )
    return _rss_shell(
        "Dân trí - Xã hội", "https://dantri.com.vn/xa-hoi.htm", "Tin tức xã hội Dân trí", items, rows
    )


def rss_baosonha(items: list[PressItem]) -> str:
    """The provincial paper's old CMS: HTML entity-escaped (not CDATA), & left as &amp; inside."""
    rows = []
    for it in items:
        html_desc = (
            f'<p><a href="{_x(it.link)}"><img src="{_x(it.image)}" alt="" /></a></p><p>{_x(it.text)}</p>'
        )
        rows.append(
            f"<item>\n<title>{_x(it.title)}</title>\n<link>{_x(it.link)}</link>\n"
            f'<guid isPermaLink="false">{it.guid}</guid>\n'
            f"<description>{_x(html_desc)}</description>\n<pubDate>{rfc822(it.at)}</pubDate>\n"
            "<category>Tin tức</category>\n</item>"
        )
    return _rss_shell("Báo Sơn Hà - Tin tức", "https://baosonha.vn/", "Báo Sơn Hà điện tử", items, rows)


def _rss_shell(
    title: str, link: str, desc: str, items: list[PressItem], rows: list[str], ns: str = ""
) -> str:
    newest = max(it.at for it in items)
    ns = f" {ns}" if ns else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"{ns}>\n<channel>\n'
        f"<title>{_x(title)}</title>\n<link>{link}</link>\n<description>{_x(desc)}</description>\n"
        f"<language>vi</language>\n<lastBuildDate>{rfc822(newest)}</lastBuildDate>\n"
        f"<ttl>15</ttl>\n" + "\n".join(rows) + "\n</channel>\n</rss>\n"
    )


def atom_vov(items: list[PressItem]) -> str:
    rows = []
    for it in items:
        summary = f'<p><img src="{_x(it.image)}" alt="" /></p><p>{_x(it.text)}</p>'
        stamp = it.at.isoformat()
        rows.append(
            f" <entry>\n  <id>{it.guid}</id>\n"
            f"  <title>{_x(it.title)}</title>\n"
            f'  <link rel="alternate" type="text/html" href="{_x(it.link)}"/>\n'
            f"  <published>{stamp}</published>\n  <updated>{stamp}</updated>\n"
            f"  <author><name>VOV.VN</name></author>\n"
            f'  <summary type="html">{_x(summary)}</summary>\n </entry>'
        )
    newest = max(it.at for it in items).isoformat()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">\n'
        " <title>VOV.VN - Thời sự</title>\n <id>tag:vov.vn,2026:thoi-su</id>\n"
        ' <link rel="alternate" href="https://vov.vn/thoi-su"/>\n'
        ' <link rel="self" href="https://vov.vn/rss/thoi-su.atom"/>\n'
        f" <updated>{newest}</updated>\n" + "\n".join(rows) + "\n</feed>\n"
    )


VTC_ERROR_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Hệ thống đang bảo trì - VTC News</title></head>
<body>
<h1>Hệ thống đang được nâng cấp</h1>
<p>Xin lỗi quý độc giả, trang RSS tạm thời gián đoạn để bảo trì. Vui lòng quay lại sau.</p>
<p>Error 503 - upstream timed out (110: Connection timed out) while reading response header from upstream</p>
<hr><center>nginx</center>
</body>
</html>
"""


def write_press(out: Path, corpus: Corpus) -> dict[str, Any]:
    by_outlet = press_items(corpus)
    builders = {"vnexpress": rss_vnexpress, "dantri": rss_dantri, "baosonha": rss_baosonha, "vov": atom_vov}
    headers: dict[str, dict[str, str]] = {}
    summary: dict[str, Any] = {}
    for outlet, items in by_outlet.items():
        body = builders[outlet](items).encode("utf-8")
        name = OUTLETS[outlet]["file"]
        write(out / "rss" / name, body)
        newest = max(it.at for it in items)
        headers[name] = {
            "ETag": '"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            "Last-Modified": format_datetime(newest.astimezone(UTC), usegmt=True),
        }
        summary[outlet] = len(items)
    write(out / "rss" / "vtc.rss", VTC_ERROR_PAGE)
    write_json(out / "rss" / "headers.json", headers)
    return summary


# --------------------------------------------------------------------------- TikTok export

TIKTOK_COLUMNS = ("Video ID", "Video link", "Caption", "Create time", "Likes", "Comments", "Shares", "Views")


def write_tiktok(out: Path, corpus: Corpus) -> dict[str, Any]:
    rows = []
    for e in sorted(corpus.channel("tiktok"), key=lambda e: e.at, reverse=True):
        vid = "7" + num_id(f"tiktok/{e.key}", 18)
        likes, comments, shares, views = e.data["n"]
        rows.append(
            [
                vid,
                f"https://www.tiktok.com/@{TIKTOK_ACCOUNT}/video/{vid}",
                hazards(body_text(e.data["caption"]), e.data),
                e.at.strftime("%d/%m/%Y %H:%M"),
                str(likes),
                str(comments),
                str(shares),
                str(views),
            ]
        )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(TIKTOK_COLUMNS)
    writer.writerows(rows)
    # An Excel-style export: UTF-8 with a byte-order mark, CRLF line ends.
    write(out / "imports" / "tiktok_sonha.csv", "\ufeff" + buf.getvalue())
    return {"rows": len(rows)}


# --------------------------------------------------------------------------- data/README.md

VIRAL_SHARES = 2000
SOURCE_ORDER = (
    "fb-ubnd-sonha",
    "fb-sonha24h",
    "fb-imposter-check",
    "yt-sonha-tv",
    "zalo-ubnd-sonha",
    "portal-sonha",
    "rss-vnexpress",
    "rss-dantri",
    "rss-baosonha",
    "rss-vov",
    "rss-vtc",
    "tiktok-sonha",
)
SOURCE_OF_PAGE = {"official": "fb-ubnd-sonha", "watched": "fb-sonha24h", "imposter": "fb-imposter-check"}
SOURCE_OF_OUTLET = {
    "vnexpress": "rss-vnexpress",
    "dantri": "rss-dantri",
    "baosonha": "rss-baosonha",
    "vov": "rss-vov",
}
TAG_TEXT = {
    "rumour": "rumour / misinformation (tin đồn)",
    "offensive": "offensive language",
    "teencode": "teencode / chat abbreviations",
    "no_diacritics": "written without diacritics",
    "old_tone": "old tone-mark placement (hoà, thuỷ, khoẻ)",
    "unanswered": "negative, never answered by an official post",
    "confuser": "names one of our places but is elsewhere (relevance negative)",
    "sql": "SQL-looking text ('; DROP TABLE posts;--)",
    "script_title": "title contains <script>alert(1)</script>",
}

README_HEAD = """# Recorded demo data (generated: do not edit by hand)

Everything here except `corpus/` and `seeds/` is written by `python -m postwatch.demo.build_data`
from the hand-written corpus in `corpus/` (schema: `corpus/README.md`). `postwatch.demo.dataset`
serves these files on 127.0.0.1 exactly as recorded (`{{BASE_URL}}` and `{{ACCESS_TOKEN}}` in Graph
`paging.next` links are filled in per request). The fictional province is Sơn Hà; the window is the
14 local days 2026-11-09 .. 2026-11-22 (Asia/Ho_Chi_Minh). `seeds/` holds verbatim copies of the four
public letters the portal republishes, adapted to Sơn Hà, as articles.

| path | serves |
| --- | --- |
| `graph/<page_id>/feed-N.json` | Graph `/{page}/feed` page N (linked by `paging.next`, `after` cursor) |
| `graph/comments/<post_id>[-N].json` | Graph `/{post}/comments` of official posts (others: `{"data": []}`) |
| `graph/pages/<page_id>.json` | Graph `/{page}` page info (name, verification, fans) |
| `youtube/feeds/<channel>.xml` | channel Atom feed (latest 15 uploads, like the real one) |
| `youtube/v3/*.json` | Data API: channels, playlistItems pages, videos, commentThreads per video |
| `zalo/articles.json`, `zalo/detail/<id>.json` | Zalo OA getslice (sliced by offset/limit) and getdetail |
| `portal/` | portal listing (3 pages), articles, an admin draft, robots.txt |
| `rss/` | press feeds, their recorded ETag/Last-Modified (`headers.json`) and VTC's HTML error page |
| `imports/tiktok_sonha.csv` | TikTok export (UTF-8 with BOM, CRLF, local times) |

Tokens: Graph accepts `demo-page-token` and `demo-app-token` (else code 190), Zalo `demo-oa-token` in
the `access_token` header (else error -216), the YouTube Data API key `demo-youtube-key` (else 400
keyInvalid; no key: 403 forbidden).

Recorded pages are served as recorded: Graph `limit` and `since` are ignored (feed pages hold 25
posts, ranked rather than strictly newest-first), so collectors stop at their own watermark; YouTube
playlist pages hold 20 items whatever `maxResults` says; Zalo `getslice` slices the recorded list.
"""


def _fb_id(e: Entry, suffix: str = "") -> str:
    return f"{PAGES[e.data['page']]['id']}_{fb_post_num(e, suffix)}"


def _planted(
    corpus: Corpus, placement: dict[str, list[int]], press: dict[str, list[PressItem]]
) -> list[tuple[str, str, str]]:
    """(source, item id, what is planted) for every deliberate hazard and broken record."""
    rows: list[tuple[str, str, str]] = []
    for e in corpus.channel("fb"):
        src, pid = SOURCE_OF_PAGE[e.data["page"]], _fb_id(e)
        d = e.data
        broken = {
            "no_id": "post WITHOUT `id` (permalink ends in /posts/" + fb_post_num(e) + ")",
            "negative_reactions": f"negative reactions count ({d['n'][0]})",
            "epoch": "created_time 1970-01-01T00:00:00+0000",
            "future": "created_time 2030-11-20T01:15:00+0000 (future)",
        }.get(d.get("broken", ""))
        if broken:
            rows.append((src, "-" if d["broken"] == "no_id" else pid, "BROKEN: " + broken))
        if d.get("edited"):
            pages = placement.get(pid, [])
            rows.append(
                (
                    src,
                    pid,
                    f"EDIT: listed twice, edited message first (feed page {pages[0]}, updated "
                    f"{graph_time(local(d['edited']['at']))}), original later (feed page {pages[-1]})",
                )
            )
        if d.get("repost"):
            rows.append((src, _fb_id(e, "#repost"), f"RE-POST of {pid} (same message, {d['repost']} local)"))
        if d.get("pinned"):
            rows.append((src, pid, "PINNED: first on feed page 1 although older than the posts after it"))
        if d.get("story") and not d.get("text"):
            rows.append((src, pid, "no `message`: only `story` + a shared link attachment (utm_*, fbclid)"))
        if d.get("nfd"):
            rows.append((src, pid, "text in NFD (decomposed) Unicode"))
        raw = str(d.get("text") or "")
        for token, what in (
            ("{ZWSP}", "zero-width space"),
            ("{ZWJ}", "zero-width joiner"),
            ("{BOM}", "leading U+FEFF"),
        ):
            if token in raw:
                rows.append((src, pid, f"contains a {what}"))
        for tag in d.get("tags", []):
            rows.append((src, pid, TAG_TEXT[tag]))
        if d["page"] == "watched" and d.get("n") and int(d["n"][2]) >= VIRAL_SHARES:
            rows.append((src, pid, f"viral: {int(d['n'][2]):,} shares, {int(d['n'][0]):,} reactions"))
        if d["page"] == "official" and isinstance(d.get("comments"), str):
            n = placement.get(f"{pid}/comments", [0])[0]
            rows.append((src, pid, f"comments edge spans 2 pages ({n} top-level comments, paging.next)"))
    for outlet, items in press.items():
        seen: set[str] = set()
        for it in items:
            d, src = it.entry.data, SOURCE_OF_OUTLET[outlet]
            if it.guid in seen:
                rows.append((src, it.guid, "DUPLICATE: the same item listed twice in the feed"))
                continue
            seen.add(it.guid)
            if d.get("empty"):
                rows.append((src, it.guid, "BROKEN: empty title and empty description"))
            if d.get("mojibake"):
                rows.append(
                    (src, it.guid, "double-encoded UTF-8 (mojibake) title and description, repairable")
                )
            if d.get("tcvn3"):
                rows.append(
                    (src, it.guid, "legacy TCVN3 text (as Windows-1252 shows it): must be quarantined")
                )
            if d.get("nfd"):
                rows.append((src, it.guid, "title and summary in NFD Unicode"))
            for tag in d.get("tags", []):
                rows.append((src, it.guid, TAG_TEXT[tag]))
    rows.append(("rss-vtc", "-", "BROKEN SOURCE: /rss/vtc.rss answers 200 with an HTML maintenance page"))
    rows.append(
        (
            "fb-imposter-check",
            "(all posts)",
            "impersonation: unverified page named like the official one without diacritics, created "
            "2026-11-08; copies official announcements and adds scam cues (nhận hỗ trợ, chuyển khoản, "
            "link đăng ký, personal bank accounts, OTP)",
        )
    )
    for v in collect_videos(corpus):
        d = v.entry.data
        if v.broken == "no_video_id":
            rows.append(("yt-sonha-tv", "-", f"BROKEN: feed entry without yt:videoId (title {v.title!r})"))
        elif v.broken == "private":
            rows.append(
                (
                    "yt-sonha-tv",
                    v.video_id,
                    "Data API only: private video in playlistItems, absent from videos",
                )
            )
        if d.get("comments_disabled"):
            rows.append(("yt-sonha-tv", v.video_id, "commentThreads answers 403 commentsDisabled"))
        if "utm_" in v.description or "fbclid" in v.description:
            rows.append(("yt-sonha-tv", v.video_id, "description link with tracking parameters"))
    for e in corpus.channel("zalo"):
        if e.data.get("nfd"):
            aid = zalo_id(e)
            rows.append(("zalo-ubnd-sonha", aid, "title, description and body in NFD Unicode"))
    for e in corpus.channel("tiktok"):
        vid = "7" + num_id(f"tiktok/{e.key}", 18)
        if "N/A" in [str(x) for x in e.data["n"]]:
            rows.append(("tiktok-sonha", vid, 'BROKEN: Likes is "N/A"'))
        if e.data.get("nfd"):
            rows.append(("tiktok-sonha", vid, "caption in NFD Unicode"))
    rows.append(
        ("tiktok-sonha", "-", "file starts with a UTF-8 BOM; CRLF line ends; times dd/mm/YYYY HH:MM local")
    )
    rows.append(
        (
            "portal-sonha",
            "/portal/quan-tri/ban-nhap.html?id=88",
            "listing page 1 links an admin draft under a path robots.txt disallows",
        )
    )
    order = {s: i for i, s in enumerate(SOURCE_ORDER)}
    return sorted(rows, key=lambda r: order.get(r[0], len(order)))


def _timing(corpus: Corpus) -> list[str]:
    """Watched-page first report -> first official post after it, per story (the 2-hour rule)."""
    lines = []
    by_story: dict[str, list[Entry]] = {}
    for e in corpus.channel("fb"):
        by_story.setdefault(e.story, []).append(e)
    for story, entries in by_story.items():
        watched = sorted(
            (e for e in entries if e.data["page"] == "watched" and not e.data.get("broken")),
            key=lambda e: e.at,
        )
        official = sorted((e for e in entries if e.data["page"] == "official"), key=lambda e: e.at)
        if not watched or not official:
            continue
        first = watched[0]
        answer = next((o for o in official if o.at >= first.at), None)
        if answer is None:
            continue
        minutes = int((answer.at - first.at).total_seconds() // 60)
        verdict = "within 2 h" if minutes <= 120 else "LATE"
        lines.append(
            f"| {story} | {_fb_id(first)} | {first.at:%m-%d %H:%M} | {_fb_id(answer)} | "
            f"{answer.at:%m-%d %H:%M} | {minutes // 60}h{minutes % 60:02d} | {verdict} |"
        )
    return lines


def write_readme(out: Path, corpus: Corpus, summary: dict[str, Any], placement: dict[str, list[int]]) -> None:
    press = press_items(corpus)
    parts = [README_HEAD, "## Counts\n", "```", json.dumps(summary, indent=1), "```\n"]
    parts += [
        "## Planted hazards and broken records\n",
        "Item ids: Graph post id, RSS guid / Atom id, YouTube videoId, Zalo article id, TikTok Video ID.\n",
        "| source | item id | what |",
        "| --- | --- | --- |",
    ]
    parts += [f"| {s} | `{i}` | {w} |" for s, i, w in _planted(corpus, placement, press)]
    parts += [
        "\n## Response times (watched page first report -> first official post after it)\n",
        "Paired mechanically per story; the official post does not always answer the complaint "
        "(giai-chay-son-ha: the complaint is never addressed; cuu-san-phu-bang-huyet is praise). "
        "Press sometimes reports before the official page (lu-quet-khe-mat: VnExpress 08:40, "
        "official 10:20).\n",
        "| story | watched post | at (local) | official post | at (local) | delay | 2-hour rule |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *_timing(corpus),
        "",
    ]
    write(out / "README.md", "\n".join(parts))


# --------------------------------------------------------------------------- main


def build(
    out: Path = DATA_DIR, corpus_dir: Path | None = None, seeds_dir: Path | None = None
) -> dict[str, Any]:
    """Write every recorded response under ``out`` (its generated folders are replaced)."""
    corpus = load_corpus(corpus_dir or DATA_DIR / "corpus")
    seeds_dir = seeds_dir or DATA_DIR / "seeds"
    for name in OUTPUT_DIRS:
        shutil.rmtree(out / name, ignore_errors=True)
    rng = random.Random(SEED)
    people = People(corpus.comments["names"], random.Random(SEED + 1))
    placement: dict[str, list[int]] = {}
    summary = {
        "facebook": write_graph(out, corpus, people, rng, placement),
        "youtube": write_youtube(out, corpus, people),
        "zalo": write_zalo(out, corpus, random.Random(SEED + 2)),
        "portal": write_portal(out, corpus, seeds_dir),
        "press": write_press(out, corpus),
        "tiktok": write_tiktok(out, corpus),
    }
    write_readme(out, corpus, summary, placement)
    return summary


def _size(paths: Iterable[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DATA_DIR, help="output folder (default: the package's data/)"
    )
    args = parser.parse_args(argv)
    summary = build(args.out)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"{_size(args.out.rglob('*')) / 1e6:.2f} MB under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
