"""The lexicon's modifiers: how far a negator reaches, what stops it, what an intensifier needs."""

from __future__ import annotations

from postwatch.nlp.lexicon import Lexicon

FILLER = "cán bộ phường đi kiểm tra từng hộ dân ở khu phố bốn"  # no tone word, no punctuation


def weight_of(text: str, term: str) -> tuple[str, float]:
    """The cue whose words end with ``term`` (its label as shown, its weight)."""
    for cue in Lexicon.default().score(text).cues:
        if cue.term.endswith(term):
            return cue.term, cue.weight
    raise AssertionError(f"no cue for {term!r} in {text!r}")


def test_a_negator_reaches_the_tone_word_across_up_to_two_words() -> None:
    assert weight_of("không hài lòng", "hài lòng") == ("không hài lòng", -0.64)
    label, w = weight_of("không thấy ai hài lòng", "hài lòng")
    assert label == "không … hài lòng" and w == -0.64


def test_a_negator_three_words_away_does_not_reach() -> None:
    assert weight_of("không thấy người nào hài lòng", "hài lòng") == ("hài lòng", 0.8)


def test_punctuation_or_a_line_break_between_stops_the_negator() -> None:
    assert weight_of("không. hài lòng", "hài lòng") == ("hài lòng", 0.8)
    assert weight_of("không\nhài lòng", "hài lòng") == ("hài lòng", 0.8)


def test_a_negator_a_long_unpunctuated_passage_away_does_not_reach() -> None:
    # The gap between the two hits is long and has no punctuation: words are counted, not read.
    text = "không " + " ".join([FILLER] * 200) + " hài lòng"
    assert weight_of(text, "hài lòng") == ("hài lòng", 0.8)


def test_an_intensifier_after_counts_across_spaces_but_not_across_a_comma() -> None:
    assert weight_of("tốt lắm", "lắm") == ("tốt lắm", 0.84)
    assert weight_of("tốt \u00a0  lắm", "lắm")[1] == 0.84  # any whitespace, a no-break space too
    assert weight_of("tốt, lắm", "tốt") == ("tốt", 0.6)


def test_an_intensifier_before_must_be_adjacent() -> None:
    assert weight_of("rất tốt", "tốt") == ("rất tốt", 0.9)
    assert weight_of("rất nhiều người thấy tốt", "tốt") == ("tốt", 0.6)
