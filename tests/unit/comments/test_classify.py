"""Questions and complaints in Vietnamese comments, written with or without diacritics."""

from __future__ import annotations

import pytest

from postwatch.comments.classify import Classifier
from postwatch.comments.config import load_config


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_config())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Xin hỏi thủ tục cấp đổi CCCD ở đâu", "question"),
        ("xin hoi thu tuc cap doi cccd o dau", "question"),
        ("CHO HỎI BAO GIỜ CÓ ĐIỆN LẠI", "question"),
        ("Khi nao thi co ket qua", "question"),
        ("Tại sao đường này vẫn chưa sửa", "question"),
        ("Đường Trần Hưng Đạo giờ đã đi lại được chưa ạ?", "question"),
        ("Dân bức xúc lắm rồi", "complaint"),
        ("dan buc xuc lam roi", "complaint"),
        ("Đề nghị làm rõ trách nhiệm Ban quản lý chợ.", "complaint"),
        ("Sao lâu vậy, phản ánh mãi không ai giải quyết?", "complaint"),
        ("Cảm ơn các chiến sĩ PCCC đã vất vả 🙏", "other"),
        ("", "other"),
    ],
)
def test_a_comment_is_a_question_a_complaint_or_other_with_or_without_diacritics(
    classifier: Classifier, text: str, kind: str
) -> None:
    assert classifier.classify(text).kind.value == kind


def test_cues_match_whole_words_only(classifier: Classifier) -> None:
    assert classifier.classify("Trường mầm non Hoa Sen khai giảng").kind.value == "other"
    assert classifier.classify("Tôi đã khiếu nại từ tháng trước").kind.value == "complaint"
    assert classifier.classify("Khiếu nạiabc").kind.value == "other"


def test_the_cues_that_fired_are_kept_folded(classifier: Classifier) -> None:
    found = classifier.classify("Sao lâu vậy, phản ánh mãi không ai giải quyết?")
    assert set(found.cues) == {"?", "lau vay", "phan anh", "mai khong", "khong ai giai quyet"}
