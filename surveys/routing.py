"""The path through a survey given answers; next, previous and first unanswered pages; pruning.

Conditions are evaluated only over answers to questions on pages already on the path (and, for
a page's routing rules, on that page), so answers that fell off the path never steer it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from surveys.model import Page, Question, Section, Survey
from surveys.rules import evaluate


def _walk(survey: Survey, answers: Mapping[str, object]) -> list[tuple[Page, list[Question]]]:
    """Pages on the path with their visible questions."""
    pages = survey.pages
    sections = {s.id: s for s in survey.sections}
    section_start = {s.id: survey.page_index(s.pages[0].id) for s in survey.sections if s.pages}
    known: dict[str, object] = {}
    out: list[tuple[Page, list[Question]]] = []
    section_ok: dict[str, bool] = {}
    i = 0
    while i < len(pages):
        page = pages[i]
        section = sections.get(page.section_id)
        if page.section_id not in section_ok:
            section_ok[page.section_id] = (
                section is None or section.when is None or evaluate(section.when, known)
            )
        if not section_ok[page.section_id] or (
            page.when is not None and not evaluate(page.when, known)
        ):
            i += 1
            continue
        visible = [q for q in page.questions if q.when is None or evaluate(q.when, known)]
        if not visible:
            i += 1
            continue
        out.append((page, visible))
        for q in visible:
            if q.id in answers:
                known[q.id] = answers[q.id]
        target = i + 1
        for route in page.routes:
            if route.when is None or evaluate(route.when, known):
                if route.end:
                    return out
                if route.page is not None and survey.has_page(route.page):
                    target = survey.page_index(route.page)
                elif route.section is not None and route.section in section_start:
                    target = section_start[route.section]
                break
        i = target if target > i else i + 1
    return out


def path(survey: Survey, answers: Mapping[str, object]) -> list[str]:
    """The ids of the pages a resident with these answers sees, in order."""
    return [page.id for page, _ in _walk(survey, answers)]


def path_questions(survey: Survey, answers: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """The path (in order) with the ids of each page's visible questions: one walk for both."""
    return {page.id: tuple(q.id for q in questions) for page, questions in _walk(survey, answers)}


def visible_questions(survey: Survey, page_id: str, answers: Mapping[str, object]) -> list[str]:
    """Ids of the questions shown on a page given earlier answers (all, if the page is off path)."""
    for page, questions in _walk(survey, answers):
        if page.id == page_id:
            return [q.id for q in questions]
    return [q.id for q in survey.page(page_id).questions]


def next_page(survey: Survey, answers: Mapping[str, object], page_id: str) -> str | None:
    """The page after `page_id` on the path, or None when the next step is check-your-answers."""
    ids = path(survey, answers)
    if page_id in ids:
        position = ids.index(page_id)
        return ids[position + 1] if position + 1 < len(ids) else None
    here = survey.page_index(page_id)
    return next((p for p in ids if survey.page_index(p) > here), None)


def previous_page(survey: Survey, answers: Mapping[str, object], page_id: str) -> str | None:
    """The page before `page_id` on the path (for the back link), or None on the first page."""
    ids = path(survey, answers)
    if page_id in ids:
        position = ids.index(page_id)
        return ids[position - 1] if position > 0 else None
    here = survey.page_index(page_id)
    earlier = [p for p in ids if survey.page_index(p) < here]
    return earlier[-1] if earlier else None


def first_unanswered_page(survey: Survey, answers: Mapping[str, object]) -> str | None:
    """The first page on the path with a visible question missing from answers (None: all done).

    A question left blank on purpose is stored with the value None, so it counts as seen. A
    write-in box counts as seen with its choice question (answers given before a survey had the
    box still complete the page).
    """
    for page, questions in _walk(survey, answers):
        if any(q.id not in answers and q.write_in_for is None for q in questions):
            return page.id
    return None


def is_complete(survey: Survey, answers: Mapping[str, object]) -> bool:
    """Whether every visible question on the path has been seen (answered or left blank)."""
    return first_unanswered_page(survey, answers) is None


def prune(survey: Survey, answers: Mapping[str, object]) -> dict[str, object]:
    """Keep only answers to questions visible on the path; drop off-path and unknown answers."""
    kept: dict[str, object] = {}
    for _, questions in _walk(survey, answers):
        for q in questions:
            if q.id in answers:
                kept[q.id] = answers[q.id]
    return kept


def progress(survey: Survey, answers: Mapping[str, object], page_id: str) -> tuple[int, int]:
    """(position of the page on the path counting from 1, number of pages on the path)."""
    ids = path(survey, answers)
    position = ids.index(page_id) + 1 if page_id in ids else 0
    return position, len(ids)


@dataclass(frozen=True)
class SteadyProgress:
    """Where a page stands in the survey, in numbers that never jump as answers are given.

    `section` is set when the survey has more than one section: `number` of `total` counts
    sections. Otherwise `number` of `total` counts pages, and `may_skip` says whether some may
    be skipped (so `total` is "up to").
    """

    number: int
    total: int
    section: Section | None = None
    may_skip: bool = False


def steady_progress(survey: Survey, page_id: str) -> SteadyProgress:
    """The page's progress, counted over the survey's definition rather than the path.

    The path grows as answers bring pages and sections in (so "page 2 of 13" after "page 1 of
    12"); the definition does not. A route only ever moves forward through the definition, so
    the number never goes back: a section or page the route skips is passed over (the number
    moves on by two), and the total stays the same from the first page to the last.
    """
    page = survey.page(page_id)
    sections = survey.sections
    if len(sections) > 1:
        ids = [s.id for s in sections]
        position = ids.index(page.section_id)
        return SteadyProgress(position + 1, len(sections), sections[position])
    may_skip = any(s.when is not None for s in sections) or any(
        p.when is not None or p.routes or any(q.when is not None for q in p.questions)
        for p in survey.pages)
    return SteadyProgress(survey.page_index(page_id) + 1, len(survey.pages), may_skip=may_skip)
