"""Answers as a tidy table and its codebook."""

from __future__ import annotations

import json
import random
from pathlib import Path

import surveys
from surveys import tabulate

DEMO = Path(__file__).resolve().parents[2] / "engage" / "demo" / "residents-2026.json"


def _demo() -> surveys.Survey:
    return surveys.load_survey_or_raise(json.loads(DEMO.read_text("utf-8")))


def test_columns_spread_multiple_choice_ranking_and_grid() -> None:
    survey = _demo()
    cols = tabulate.columns(survey)
    by_question: dict[str, list[tabulate.Column]] = {}
    for column in cols:
        by_question.setdefault(column.question_id, []).append(column)
    for question in survey.questions:
        expected = {"multiple-choice": len(question.options), "ranking": len(question.options),
                    "grid": len(question.statements)}.get(question.type, 1)
        assert len(by_question[question.id]) == expected, question.id
    assert len({c.key for c in cols}) == len(cols)


def test_cells_are_labels_not_ids() -> None:
    from engage.demo.answers import generate_answers

    survey = _demo()
    cols = tabulate.columns(survey)
    answers = generate_answers(survey, random.Random(3))
    row = dict(zip([c.key for c in cols], tabulate.row(survey, cols, answers), strict=True))
    for question in survey.questions:
        answer = answers.get(question.id)
        if question.type == "single-choice" and answer is not None:
            option = question.option(str(answer))
            assert row[question.id] == survey.text(option.text, "en")
        if question.type == "multiple-choice" and answer is not None:
            for option in question.options:
                assert row[f"{question.id}:{option.id}"] == (1 if option.id in answer else 0)
        if question.type == "ranking" and answer:
            assert row[f"{question.id}:{answer[0]}"] == 1


def test_unasked_questions_are_blank_and_bengali_labels_follow() -> None:
    survey = _demo()
    cols = tabulate.columns(survey, "bn")
    assert all(c is None for c in tabulate.row(survey, cols, {}, "bn"))
    assert any("\u0980" <= ch <= "\u09ff" for ch in cols[0].header)


def test_codebook_covers_every_column() -> None:
    survey = _demo()
    book = tabulate.codebook(survey)
    assert [entry["key"] for entry in book] == [c.key for c in tabulate.columns(survey)]
    routed = [entry for entry in book if entry["asked_when"].startswith("always") is False]
    assert routed, "the demo survey's routing should show in the codebook"
    assert all(entry["wording"] and entry["type"] for entry in book)
