"""Batch paths (a whole chunk of posts at once) give each post what the one-post paths give it."""

from __future__ import annotations

import numpy as np
import pytest

from postwatch.nlp.features import (
    PreparedBatch,
    TermMatcher,
    _word_codes,
    model_token_stream,
    model_tokens,
    prepare,
    word_ngrams,
)
from postwatch.nlp.lexicon import Lexicon
from postwatch.nlp.ngram_hash import char_ngram_counts, ngram_column
from postwatch.nlp.offensive import offensive_terms, offensive_terms_batch
from postwatch.nlp.textclf import FeatureConfig, stream_counts

POSTS = [
    "Dịch vụ KHÔNG tốt lắm 😡😡 ko thik :) quáaaa tệ, www.abc.vn @tanlap #sonha 12.500 đồng",
    "",
    "   ",
    "không những tốt mà còn đẹp. chẳng hài lòng!!! chưa   được\n\nok =)) :( <3 ❤️ a_b kbh",
    "Xã Hoà Bình, thuỷ lợi khoẻ; NFD: Ho\u0300a Bi\u0300nh và İstanbul ß",
    "chữ NUL\x00ở giữa :) xddd ĐẸP QUÁAAA 👍👍👍",
    "không",
    "tốt lắm",
    "hay quá =)))) 3.5 triệu, 1,2 tỷ… “trích dẫn” — gạch_nối",
]


def test_a_batch_prepares_every_post_exactly_as_one_at_a_time() -> None:
    batch = PreparedBatch(POSTS)
    assert batch.items == [prepare(t) for t in POSTS]


def test_the_batch_token_stream_gives_each_post_its_model_tokens() -> None:
    stream = model_token_stream(PreparedBatch(POSTS).items)
    assert [stream.tokens(k) for k in range(len(POSTS))] == [model_tokens(t) for t in POSTS]


def test_a_negation_at_the_end_of_one_post_does_not_reach_into_the_next() -> None:
    stream = model_token_stream(PreparedBatch(["rất không", "tốt"]).items)
    assert stream.tokens(1) == ["tốt"]
    assert stream.tokens(0) == ["rất", "không"]


def test_batch_word_counts_count_each_posts_word_ngrams_at_their_one_at_a_time_column() -> None:
    stream = model_token_stream(PreparedBatch(POSTS).items)
    got, _ = stream_counts(stream, FeatureConfig(word_bits=18, word_ngrams=(1, 3)))
    expected = np.zeros(got.shape, dtype=np.float32)
    for k in range(len(POSTS)):
        for g in word_ngrams(model_tokens(POSTS[k]), 1, 3):
            expected[k, ngram_column(g, 2**18)] += 1
    assert expected.sum() > 100  # the posts have n-grams at all
    assert np.array_equal(got.toarray(), expected)


def test_batch_char_counts_are_the_char_ngram_counts_of_each_posts_plain_words() -> None:
    stream = model_token_stream(PreparedBatch(POSTS).items)
    _, got = stream_counts(stream, FeatureConfig(char_bits=18, char_ngrams=(1, 5)))
    plain = [
        " ".join(t for t in model_tokens(p) if not t.startswith("neg_") and t not in "!?.,;:") for p in POSTS
    ]
    assert abs(got - char_ngram_counts(plain, (1, 5), 2**18)).sum() == 0


def test_a_word_ngram_column_depends_on_its_tokens_and_their_order() -> None:
    columns = {g: ngram_column(g, 2**18) for g in ["không", "neg_tốt", "rất tốt", "tốt rất", "rất tốt lắm"]}
    assert len(set(columns.values())) == len(columns)
    assert all(0 <= c < 2**18 for c in columns.values())


@pytest.mark.parametrize(
    ("terms", "text", "found"),
    [
        (["con chó"], "đồ con-chó", []),  # another separator inside a two-word term is another text
        (["con chó"], "đồ con  chó", []),
        (["con chó"], "Đồ CON CHÓ!", ["CON CHÓ"]),
        (["👍"], "tốt👍 👍👍", ["👍", "👍"]),  # a symbol keeps its own boundary rule
        (["ngu"], "ngu_ngốc ngủ ngu.", ["ngu"]),
    ],
)
def test_terms_are_found_on_word_boundaries_only(terms: list[str], text: str, found: list[str]) -> None:
    matcher = TermMatcher((t, t) for t in terms)
    assert [h.surface for h in matcher.find(prepare(text))] == found


def test_a_term_is_never_found_across_two_posts_of_a_batch() -> None:
    matcher = TermMatcher([("con chó", 1), ("tốt", 2)])
    batch = PreparedBatch(["xem con", "chó tốt", "tốt"])
    found = matcher.find_batch(batch)
    spans = [[(h.start, h.end, h.surface) for h in hits] for hits in found]
    assert spans == [[], [(4, 7, "tốt")], [(0, 3, "tốt")]]


def test_terms_keep_their_word_boundaries_around_symbols_digits_and_astral_letters() -> None:
    # "_", digits, "½" and "²" are word characters (re's \\w), and so is an astral letter; an
    # emoji is not. A term with a space inside is found only with a space there.
    matcher = TermMatcher([("tốt", 1), ("a b", 2)])
    texts = ["tốt_ tốt1 1tốt 𝒜tốt tốt😀 (tốt)", "a-b a_b ½a b² a\u00a0b (a b)"]
    batch = PreparedBatch(texts)
    found = [[(h.start, h.surface, h.payload) for h in hits] for hits in matcher.find_batch(batch)]
    assert found == [[(20, "tốt", 1), (26, "tốt", 1)], [(19, "a b", 2)]]


def test_a_term_with_a_letter_past_the_bmp_is_found() -> None:
    # Such a key is searched with pyahocorasick (the compiled table is numbered over the BMP).
    matcher = TermMatcher([("x𝒜", 1), ("tốt", 2)])
    found = matcher.find_batch(PreparedBatch(["rất tốt x𝒜 y", "x𝒜b"]))
    assert [[(h.start, h.surface, h.payload) for h in hits] for hits in found] == [
        [(4, "tốt", 2), (8, "x𝒜", 1)],
        [],
    ]


def test_lexicon_and_offensive_terms_score_a_batch_as_post_by_post() -> None:
    lexicon = Lexicon.default()
    batch = PreparedBatch(POSTS)
    assert lexicon.score_batch(batch) == [lexicon.score(t) for t in POSTS]
    assert offensive_terms_batch(batch) == [offensive_terms(t) for t in POSTS]


@pytest.mark.parametrize(
    "posts", [POSTS, ["", "tốt", "", ""], ["", " "]], ids=["posts", "trailing-empty", "empty"]
)
def test_decisions_from_a_batch_match_the_weighed_feature_matrix(posts: list[str]) -> None:
    from postwatch.nlp.tone import shipped_tone_model

    clf = shipped_tone_model().classifier
    assert clf is not None
    x = clf._featurizer.weigh(clf._featurizer.counts(posts))
    expected = np.asarray((x @ clf.weights).todense()) + clf.intercept
    assert np.allclose(clf.decision(posts), expected, atol=1e-5)


def test_a_batch_with_spaces_reads_as_the_posts_written_with_those_spaces() -> None:
    batch = PreparedBatch(["Tiêu đề\nNội dung", "", "Xã Hoà\nBình"])
    spaced = batch.with_spaces([7, 24])
    assert spaced.items == [prepare("Tiêu đề Nội dung"), prepare(""), prepare("Xã Hoà Bình")]
    assert spaced.text == "Tiêu đề Nội dung\n\nXã Hoà Bình"
    assert batch.items[0] == prepare("Tiêu đề\nNội dung")  # the batch it came from is unchanged


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x85a\u3000\u3000b\x1c c\u2029",
        "\x0b\x85é\x85 ả\n",
        "tốt\u200b quá \ufeff\x00 x",
        "lone \ud800 surrogate  \udfff",  # Arrow cannot hold it: the Python path
    ],
)
def test_words_are_numbered_exactly_as_python_splits_them(text: str) -> None:
    codes, distinct = _word_codes(text)
    assert [distinct[c] for c in codes.tolist()] == text.split()
    assert distinct == list(dict.fromkeys(text.split()))


def test_a_post_with_a_lone_surrogate_gets_its_model_tokens_in_a_batch() -> None:
    posts = ["tốt \ud83d quá", "không tốt"]
    stream = model_token_stream(PreparedBatch(posts).items)
    assert [stream.tokens(k) for k in range(2)] == [model_tokens(t) for t in posts]


def test_urls_are_replaced_as_the_url_regex_replaces_them_on_fuzz() -> None:
    import random

    from postwatch.nlp.features import _URL_RE, replace_urls

    pieces = ["http", "https://", "http://", "www.", "wwww.", "httphttp://", "ww", "w.", ":/", "/", "a.vn"]
    pieces += [" ", "\n", "\u00a0", "\u2028", "đường", "x", "?q=1&b", "\x00", "👍", "HTTP://", "www"]
    rnd = random.Random(11)
    replaced = 0
    for _ in range(30_000):
        s = "".join(rnd.choices(pieces, k=rnd.randint(0, 12)))
        expected = _URL_RE.sub(" url ", s)
        assert replace_urls(s) == expected, repr(s)
        replaced += expected != s
    assert replaced > 10_000, "the fuzz must hold many URLs"
    assert replace_urls("xem https://a.vn/x?y=1 và www.b.vn.") == "xem  url  và  url "
