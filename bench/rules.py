"""Rule-matching throughput on deterministic synthetic Vietnamese posts.

Posts are ~300 characters drawn (Zipf-like) from pseudo-words built of real Vietnamese syllables,
with punctuation, capitals, emoji, about one post in eight typed without diacritics and a few in
NFD. Rules are the shipped packs plus generated queries using every operator, up to ``n_rules``.
Run: ``.venv/bin/python bench/rules.py 200000``.
"""

from __future__ import annotations

import random
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

from postwatch.rules.compile import RuleInfo, RuleSet
from postwatch.rules.match import Matcher
from postwatch.rules.packs import load_packs, pack_rules
from postwatch.rules.text import canonical_tones, fold_text

ROOT = Path(__file__).resolve().parents[1]

_ONSETS = [*"b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x".split(), ""]
_RHYMES = (
    "a ai am an ang anh ao au ay ac ach at ăn ăng ăm ăt ăc âm ân âng âu ây ât âc e em en eo et ê êm ên "
    "ênh êu êt êch i ia im in inh iu ich it iêm iên iêng iêu iêt o oa oai oan oang oanh oat oc oe oi om on "
    "ong ot ô ôi ôm ôn ông ôt ôc ơ ơi ơm ơn ơt u ua ui um un ung uôc uôi uôn uông uôt uy uya uyên uyêt ut "
    "ư ưa ưi ưng ưu ươc ươi ươm ươn ương ươu ươt ưc ưt y yêu"
).split()
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
_FILLER = "và là của có được cho với các những một này đã đang sẽ thì mà nên rằng người dân xã tỉnh".split()
_PUNCT = [", ", ". ", "! ", "? ", " - ", "... ", ": "]
_EMOJI = ["😡", "👍", "🙏", "❤️", "😢"]
_PLATFORMS = ["facebook", "youtube", "rss", "web", "tiktok", "zalo"]


def _syllables(rng: random.Random) -> list[str]:
    """Vietnamese-shaped syllables (onset + rhyme + tone) in a random frequency order."""
    out: dict[str, None] = {}
    for onset in _ONSETS:
        for rhyme in _RHYMES:
            for tone in _TONES:
                if tone and rng.random() < 0.5:
                    continue
                vowel = next(i for i, c in enumerate(rhyme) if c in "aăâeêioôơuưy")
                syl = unicodedata.normalize("NFC", onset + rhyme[: vowel + 1] + tone + rhyme[vowel + 1 :])
                out[canonical_tones(syl)] = None
    syllables = list(out)
    rng.shuffle(syllables)
    return syllables


def _vocab(rng: random.Random, n: int) -> list[str]:
    """``n`` words of 1-3 syllables, syllables drawn with Zipf-like frequencies; most frequent first."""
    syllables = _syllables(rng)
    words: dict[str, None] = {}
    while len(words) < n:
        k = rng.choice((1, 2, 2, 2, 3))
        words[" ".join(syllables[_zipf_index(rng, len(syllables))] for _ in range(k))] = None
    return list(words)


def _zipf_index(rng: random.Random, n: int) -> int:
    """Rank r drawn with probability about 1/r (log-uniform), like word frequencies."""
    return min(int(n ** rng.random()) - 1, n - 1)


def _example_sentences() -> list[str]:
    """Sentences from the shipped packs' examples, mixed into some posts so real rules fire."""
    out = []
    for pack in load_packs(ROOT / "include" / "config" / "rules"):
        for rule in pack.rules:
            out += [ex for ex in rule.examples.match + rule.examples.no_match if isinstance(ex, str)]
    return out


def make_posts(
    n: int, seed: int = 7, vocab: list[str] | None = None, sentences: list[str] | None = None
) -> list[dict[str, Any]]:
    """Deterministic synthetic posts with the columns the matcher reads; one in ten quotes an example."""
    rng = random.Random(seed)
    vocab = vocab or _vocab(random.Random(seed), 20000)
    sentences = _example_sentences() if sentences is None else sentences
    posts = []
    for i in range(n):
        parts: list[str] = []
        size = 0
        while size < 300:
            w = rng.choice(_FILLER) if rng.random() < 0.3 else vocab[_zipf_index(rng, len(vocab))]
            if not parts or parts[-1].endswith((". ", "! ", "? ")):
                w = w[:1].upper() + w[1:]
            parts.append(w)
            parts.append(rng.choice(_PUNCT) if rng.random() < 0.12 else " ")
            size += len(w) + 1
        if sentences and rng.random() < 0.1:
            parts.insert(rng.randrange(len(parts) + 1), " " + rng.choice(sentences) + " ")
        if rng.random() < 0.2:
            parts.append(rng.choice(_EMOJI))
        text = "".join(parts).strip()
        r = rng.random()
        if r < 0.125:
            text = fold_text(text)
        elif r < 0.135:
            text = unicodedata.normalize("NFD", text)
        title = (
            " ".join(vocab[_zipf_index(rng, len(vocab))] for _ in range(6)).capitalize()
            if i % 3 == 0
            else None
        )
        posts.append(
            {
                "platform": rng.choice(_PLATFORMS),
                "post_id": f"p{i}",
                "source_id": f"src-{rng.randrange(40)}",
                "unit_id": rng.choice(["sonha", "sonha.soyte", "sonha.tanlap", None]),
                "kind": rng.choice(["official", "watched", "press"]),
                "title": title,
                "text": text,
                "author": None,
            }
        )
    return posts


def make_queries(n: int, seed: int = 7, vocab: list[str] | None = None) -> list[str]:
    """Generated queries using every operator, on less frequent multi-syllable words, as real
    rules name specific phrases ("sạt lở", "tin giả") rather than common syllables."""
    rng = random.Random(seed + 1)
    vocab = vocab or _vocab(random.Random(seed), 20000)
    mid = [v for v in vocab[1000:] if " " in v]

    def p() -> str:
        return rng.choice(mid)

    def w() -> str:
        return f'"{p()}"'

    def stem() -> str:
        head, last = p().rsplit(" ", 1)
        return f'"{head} {last[: max(2, len(last) - 2)]}*"'

    # (weight, template): mostly lists of phrases, as in real packs; every operator appears.
    templates = [
        (25, lambda: f"{w()} OR {w()} OR {w()} OR {w()}"),
        (15, lambda: f"({w()} OR {w()}) AND {w()}"),
        (10, lambda: f"({w()} OR {w()}) AND NOT {w()}"),
        (10, lambda: f"{w()} NEAR/5 ({w()} OR {w()})"),
        (5, lambda: f"{w()} ONEAR/3 {w()}"),
        (5, lambda: f'"{p()} {p()}"~3'),
        (8, lambda: f"{stem()} OR {w()}"),
        (8, lambda: f"title:{w()} OR text:({w()} AND {w()})"),
        (6, lambda: f"platform:{rng.choice(_PLATFORMS)} AND {w()}"),
        (5, lambda: f'"{fold_text(p())}" OR "{fold_text(p())}"'),
        (3, lambda: f"exact:{w()} OR raw:{w()}"),
    ]
    weights = [t[0] for t in templates]
    return [rng.choices(templates, weights)[0][1]() for _ in range(n)]


def build_rules(n_rules: int, seed: int = 7, vocab: list[str] | None = None) -> RuleSet:
    shipped = pack_rules(load_packs(ROOT / "include" / "config" / "rules"))[:n_rules]
    queries = make_queries(max(n_rules - len(shipped), 0), seed, vocab)
    gen = [(RuleInfo(f"bench.{i}", "bench", "1", "topic", "info"), q) for i, q in enumerate(queries)]
    return RuleSet(shipped + gen)


def run(n_posts: int, n_rules: int = 500, seed: int = 7) -> dict[str, Any]:
    """Match ``n_posts`` synthetic posts against ``n_rules`` rules; throughput of matching alone."""
    vocab = _vocab(random.Random(seed), 20000)
    sentences = _example_sentences()
    ruleset = build_rules(n_rules, seed, vocab)
    matcher = Matcher(ruleset)
    batch = 10_000
    hits = 0
    wall = cpu = 0.0
    done = 0
    while done < n_posts:
        posts = make_posts(min(batch, n_posts - done), seed + done, vocab, sentences)
        w0, c0 = time.perf_counter(), time.process_time()
        hits += len(matcher.match_batch(posts))
        wall += time.perf_counter() - w0
        cpu += time.process_time() - c0
        done += len(posts)
    return {
        # Wall clock of matching alone (generation excluded); the CPU-time rate is what one
        # core sustains when the machine is shared.
        "posts_per_s": round(n_posts / wall) if wall else None,
        "posts_per_cpu_s": round(n_posts / cpu) if cpu else None,
        "n_posts": n_posts,
        "n_rules": len(ruleset),
        "n_keys": ruleset.n_keys,
        "hits": hits,
        "seconds": round(wall, 2),
    }


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
