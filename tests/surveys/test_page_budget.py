"""Issue 15 / S9: a page's text limits keep its answers under the 64 KB request body cap."""

from __future__ import annotations

from typing import Any

import surveys
from surveys.build import BYTES_PER_CHARACTER

T = lambda en: {"en": en}  # noqa: E731


def _definition(*limits: int | None) -> dict[str, Any]:
    questions = []
    for n, limit in enumerate(limits):
        q: dict[str, Any] = {"id": f"q{n}", "type": "long-text", "title": T(f"Question {n}")}
        if limit is not None:
            q["max_length"] = limit
        questions.append(q)
    questions.append({"id": "name", "type": "short-text", "title": T("Your name")})
    return {"id": "budget", "title": T("Budget"), "language": "en", "languages": ["en"],
            "settings": {"layout": "grouped", "max_questions_per_page": 6},
            "sections": [{"id": "s", "title": T("S"), "pages": [
                {"id": "p", "title": T("A page"), "questions": questions},
                {"id": "alone", "questions": [{"id": "one", "type": "long-text",
                                               "title": T("One")}]}]}]}


def _page_bytes(survey: surveys.Survey, page_id: str) -> int:
    page = survey.page(page_id)
    return sum((q.max_length or 0) * BYTES_PER_CHARACTER for q in page.questions)


def test_text_limits_of_a_page_fit_the_body_cap() -> None:
    result = surveys.load_survey(_definition(20000, 20000, None))
    assert result.ok, result.problems
    survey = result.survey
    assert _page_bytes(survey, "p") <= surveys.PAGE_TEXT_BYTES < 64 * 1024
    share = surveys.page_text_share(survey.page("p").questions)
    assert [q.max_length for q in survey.page("p").questions] == [share, share, share, 200]


def test_limits_already_under_the_share_are_kept() -> None:
    survey = surveys.load_survey(_definition(500)).survey
    assert [q.max_length for q in survey.page("p").questions] == [500, 200]
    assert survey.page("alone").questions[0].max_length == 5000  # the default fits on its own
