"""Redaction: measured recall and precision on a labelled corpus, and behaviour details."""

from __future__ import annotations

import pytest

from analysis.redact import find_personal_data, redact
from tests.analysis.redaction_corpus import CORPUS


def _gold_spans(text: str, gold: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    spans = []
    for kind, sub in gold:
        start = text.index(sub)
        spans.append((kind, start, start + len(sub)))
    return spans


def test_recall_and_precision_on_labelled_corpus() -> None:
    found = missed = false_positive = predicted = 0
    for text, gold in CORPUS:
        spans = _gold_spans(text, gold)
        pred = find_personal_data(text)
        predicted += len(pred)
        for kind, s, e in spans:
            if any(p.kind == kind and p.start <= s and p.end >= e for p in pred):
                found += 1
            else:
                missed += 1
        false_positive += sum(
            1 for p in pred if not any(p.start < e and p.end > s for _, s, e in spans)
        )
    recall = found / (found + missed)
    precision = (predicted - false_positive) / predicted
    assert found + missed >= 70
    assert recall >= 0.95, f"recall {recall:.3f}"
    assert precision >= 0.95, f"precision {precision:.3f}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email jo@example.com now", "email [EMAIL] now"),
        ("call 07700 900123", "call [PHONE]"),
        ("in E1 6AN", "in [POSTCODE]"),
        ("at 12 Bow Road", "at [ADDRESS]"),
        ("My name is Fatima Begum and I agree", "My name is [NAME] and I agree"),
        ("this is Kwame speaking", "this is [NAME] speaking"),
        ("Nothing", "Nothing"),
    ],
)
def test_placeholders(text: str, expected: str) -> None:
    assert redact(text).text == expected


def test_spans_point_into_original_text() -> None:
    text = "Hi, my name is John Smith, call 020 7946 0018 or john@example.org"
    result = redact(text)
    assert result.kinds() == ["NAME", "PHONE", "EMAIL"]
    for span in result.spans:
        assert text[span.start : span.end] == span.original
    assert (
        "John" not in result.text
        and "7946" not in result.text
        and "@" not in result.text
    )
    assert result.changed


def test_only_selected_kinds() -> None:
    result = redact("jo@example.com 07700 900123", kinds=["PHONE"])
    assert result.text == "jo@example.com [PHONE]"


def test_plain_text_unchanged() -> None:
    text = "Bus 25 every 10 minutes; call 101; A12 and M25 jammed since 2019"
    assert redact(text).text == text
    assert not redact(text).changed
