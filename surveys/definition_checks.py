"""Checks of meaning on a built survey: ids, targets, operands, texts. Each returns problems."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from surveys import types as t
from surveys.fields import field_names
from surveys.model import Page, Question, Section, Survey
from surveys.problems import Problem, join
from surveys.text import Text


def _problem(
    kind: str,
    path: str,
    message: str,
    section: Section | None = None,
    page: Page | None = None,
    question: Question | None = None,
) -> Problem:
    return Problem(
        kind,
        path,
        message,
        section.id if section else None,
        page.id if page else None,
        question.id if question else None,
    )


def _texts(
    survey: Survey,
) -> Iterator[tuple[str, Text, Section | None, Page | None, Question | None]]:
    yield "title", survey.title, None, None, None
    if survey.description is not None:
        yield "description", survey.description, None, None, None
    for s in survey.sections:
        yield join(s.loc, "title"), s.title, s, None, None
        if s.description is not None:
            yield join(s.loc, "description"), s.description, s, None, None
        for p in s.pages:
            if p.title is not None:
                yield join(p.loc, "title"), p.title, s, p, None
            for q in p.questions:
                for key in ("title", "hint", "name", "suffix", "min_label", "max_label"):
                    value = getattr(q, key)
                    if value is not None:
                        yield join(q.loc, key), value, s, p, q
                label = "wards" if q.type == t.WARD_POSTCODE else "options"
                for i, o in enumerate(q.options):
                    yield join(join(join(q.loc, label), i), "text"), o.text, s, p, q
                    if o.hint is not None:
                        yield join(join(join(q.loc, label), i), "hint"), o.hint, s, p, q
                for i, st in enumerate(q.statements):
                    yield join(join(join(q.loc, "statements"), i), "text"), st.text, s, p, q


def check_languages(survey: Survey) -> tuple[list[Problem], list[Problem]]:
    """Main language listed; every text in the main language; no unlisted languages."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if survey.language not in survey.languages:
        problems.append(
            _problem(
                "language-not-listed",
                "language",
                f"main language '{survey.language}' is not in 'languages'",
            )
        )
    listed = set(survey.languages)
    for path, text, s, p, q in _texts(survey):
        if not (text.get(survey.language) or "").strip():
            problems.append(
                _problem(
                    "missing-text",
                    join(path, survey.language),
                    f"text missing in the main language '{survey.language}'",
                    s,
                    p,
                    q,
                )
            )
        for lang in text:
            if lang not in listed:
                problems.append(
                    _problem(
                        "unknown-language",
                        join(path, lang),
                        f"language '{lang}' is not in 'languages'",
                        s,
                        p,
                        q,
                    )
                )
        for lang in survey.languages:
            if lang != survey.language and not (text.get(lang) or "").strip():
                warnings.append(
                    _problem(
                        "missing-translation", join(path, lang), f"no '{lang}' translation", s, p, q
                    )
                )
    return problems, warnings


def _twice(
    kind: str,
    item_id: str,
    seen: set[str],
    loc: str,
    s: Section,
    p: Page | None = None,
    q: Question | None = None,
) -> list[Problem]:
    """A duplicate-id problem if `item_id` was seen before (then remembered in `seen`)."""
    found = item_id in seen
    seen.add(item_id)
    if not found:
        return []
    return [_problem("duplicate-id", join(loc, "id"), f"{kind} id '{item_id}' is used twice",
                     s, p, q)]


def _field_clashes(q: Question, fields: Counter[str], s: Section, p: Page) -> list[Problem]:
    """A problem for each of the question's form field names another question already has."""
    out: list[Problem] = []
    for name in field_names(q):
        fields[name] += 1
        if fields[name] == 2:
            out.append(
                _problem(
                    "duplicate-field",
                    q.loc,
                    f"form field name '{name}' of question '{q.id}' clashes with "
                    "another question's field; rename one of them",
                    s,
                    p,
                    q,
                )
            )
    return out


def _item_duplicates(q: Question, s: Section, p: Page) -> list[Problem]:
    """A problem for each option (or ward) and statement id used twice in the question."""
    out: list[Problem] = []
    label = "wards" if q.type == t.WARD_POSTCODE else "options"
    groups = ((label, q.option_ids), ("statements", tuple(x.id for x in q.statements)))
    for kind, item_ids in groups:
        ids: set[str] = set()
        for i, item_id in enumerate(item_ids):
            if item_id in ids:
                out.append(
                    _problem(
                        "duplicate-id",
                        join(join(join(q.loc, kind), i), "id"),
                        f"id '{item_id}' is used twice in question '{q.id}'",
                        s,
                        p,
                        q,
                    )
                )
            ids.add(item_id)
    return out


def check_ids(survey: Survey) -> list[Problem]:
    """Ids unique: sections, pages, questions, form fields; options and statements per question."""
    problems: list[Problem] = []
    sections: set[str] = set()
    pages: set[str] = set()
    questions: set[str] = set()
    fields: Counter[str] = Counter()
    for s in survey.sections:
        problems += _twice("section", s.id, sections, s.loc, s)
        for p in s.pages:
            problems += _twice("page", p.id, pages, p.loc, s, p)
            for q in p.questions:
                problems += _twice("question", q.id, questions, q.loc, s, p, q)
                problems += _field_clashes(q, fields, s, p)
                problems += _item_duplicates(q, s, p)
    return problems


def _valid_date(value: str | None) -> bool:
    if value is None:
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def check_questions(survey: Survey) -> list[Problem]:
    """Per-type settings make sense: ranges, top-N, exclusive options, page sizes."""
    problems: list[Problem] = []
    limit = (
        1 if survey.settings.layout == "one-question" else survey.settings.max_questions_per_page
    )
    for s in survey.sections:
        for p in s.pages:
            shown = [q for q in p.questions if q.write_in_for is None]  # write-ins sit in a choice
            if len(shown) > limit:
                problems.append(
                    _problem(
                        "too-many-questions",
                        join(p.loc, "questions"),
                        f"page '{p.id}' has {len(shown)} questions; "
                        f"the layout allows {limit}",
                        s,
                        p,
                    )
                )
            if len(shown) > 1 and p.title is None:
                problems.append(
                    _problem(
                        "page-title-needed",
                        join(p.loc, "title"),
                        f"page '{p.id}' has several questions, so it needs a title (its heading)",
                        s,
                        p,
                    )
                )
            for q in p.questions:
                problems.extend(_check_question(q, s, p))
    return problems


def _check_question(q: Question, s: Section, p: Page) -> list[Problem]:
    out: list[Problem] = []
    if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
        out.append(
            _problem("invalid-range", join(q.loc, "min"), "'min' is more than 'max'", s, p, q)
        )
    if q.type == t.DATE:
        out.extend(_check_dates(q, s, p))
    out.extend(_check_counts(q, s, p))
    out.extend(_check_exclusive(q, s, p))
    out.extend(_check_other(q, s, p))
    return out


def _check_dates(q: Question, s: Section, p: Page) -> list[Problem]:
    """A date question's `min` and `max` are dates, the first not after the second."""
    out: list[Problem] = []
    for key, value in (("min", q.min_date), ("max", q.max_date)):
        if not _valid_date(value):
            out.append(
                _problem(
                    "invalid-date",
                    join(q.loc, key),
                    f"'{value}' is not a date in the form YYYY-MM-DD",
                    s,
                    p,
                    q,
                )
            )
    if (
        q.min_date
        and q.max_date
        and _valid_date(q.min_date)
        and _valid_date(q.max_date)
        and q.min_date > q.max_date
    ):
        out.append(_problem("invalid-range", join(q.loc, "min"), "'min' is after 'max'", s, p, q))
    return out


def _check_counts(q: Question, s: Section, p: Page) -> list[Problem]:
    """`top` and `max_choices` are no more than the number of options."""
    out: list[Problem] = []
    if q.top is not None and q.top > len(q.options):
        out.append(
            _problem(
                "invalid-range",
                join(q.loc, "top"),
                f"'top' is {q.top} but there are only {len(q.options)} options",
                s,
                p,
                q,
            )
        )
    if q.max_choices is not None and q.max_choices > len(q.options):
        out.append(
            _problem(
                "invalid-range",
                join(q.loc, "max_choices"),
                "'max_choices' is more than the number of options",
                s,
                p,
                q,
            )
        )
    return out


def _check_exclusive(q: Question, s: Section, p: Page) -> list[Problem]:
    """One exclusive option at most, and only in a multiple-choice question."""
    exclusive = [i for i, o in enumerate(q.options) if o.exclusive]
    if exclusive and q.type != t.MULTIPLE_CHOICE:
        where, message = exclusive[0], "only multiple-choice questions can have an exclusive option"
    elif len(exclusive) > 1:
        where, message = exclusive[1], "a question can have only one exclusive option"
    else:
        return []
    return [
        _problem("exclusive-option", join(join(q.loc, "options"), where), message, s, p, q)
    ]


def check_anonymous(survey: Survey) -> list[Problem]:
    """An anonymous survey asks no email address and no postal address: say where each is."""
    return [
        _problem(
            "personal-question",
            q.loc,
            f"question '{q.id}' asks for an email address or a postal address, so the survey "
            "cannot be anonymous: remove the question or make the survey identified",
            s, p, q,
        )
        for s in survey.sections for p in s.pages for q in p.questions
        if q.type in t.PERSONAL_TYPES
    ]


def _check_other(q: Question, s: Section, p: Page) -> list[Problem]:
    """"Other, please specify" only on single and multiple choice, once, and not exclusive."""
    others = [i for i, o in enumerate(q.options) if o.other]
    if not others:
        return []
    where = join(join(q.loc, "options"), others[0])
    if q.type not in (t.SINGLE_CHOICE, t.MULTIPLE_CHOICE):
        message = "only single and multiple choice questions can have an 'other' option"
    elif len(others) > 1:
        where = join(join(q.loc, "options"), others[1])
        message = "a question can have only one 'other' option"
    elif q.options[others[0]].exclusive:
        message = "an 'other' option cannot also be exclusive"
    else:
        return []
    return [_problem("other-option", where, message, s, p, q)]
