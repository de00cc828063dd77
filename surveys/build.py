"""Build the object model from a schema-valid definition, expanding the demographics block."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from surveys import types as t
from surveys.builtins import (
    DEMOGRAPHIC_NAMES,
    agreement_options,
    builtin_text,
    default_wards,
    demographics_data,
)
from surveys.model import (
    Condition,
    Operand,
    Option,
    Page,
    Question,
    Route,
    Section,
    Settings,
    Statement,
    Survey,
)
from surveys.problems import Problem, join
from surveys.text import Text, make_text


def _text(raw: Any, languages: Sequence[str] | None = None) -> Text:
    values = {k: v for k, v in dict(raw).items() if languages is None or k in languages}
    return make_text(values)


def _opt_text(raw: Any) -> Text | None:
    return None if raw is None else _text(raw)


def _operand(raw: Any) -> Operand:
    if isinstance(raw, list):
        return tuple(raw)
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        return raw
    return None


def build_condition(raw: Mapping[str, Any] | None) -> Condition | None:
    """Build a condition tree from its JSON form (None stays None)."""
    if raw is None:
        return None
    op = str(raw["op"])
    if op in (t.AND, t.OR):
        children = tuple(c for c in (build_condition(x) for x in raw["conditions"]) if c)
        return Condition(op=op, conditions=children)
    if op == t.NOT:
        child = build_condition(raw["condition"])
        return Condition(op=op, conditions=(child,) if child else ())
    return Condition(
        op=op,
        question=raw.get("question"),
        statement=raw.get("statement"),
        value=_operand(raw.get("value")),
        compare=raw.get("compare"),
    )


def _options(raw: Sequence[Mapping[str, Any]]) -> tuple[Option, ...]:
    return tuple(
        Option(
            id=o["id"],
            text=_text(o["text"]),
            hint=_opt_text(o.get("hint")),
            exclusive=bool(o.get("exclusive", False)),
            group=_opt_text(o.get("group")),
            other=bool(o.get("other", False)),
        )
        for o in raw
    )


_DEFAULT_MAX_LENGTH = {t.SHORT_TEXT: 200, t.LONG_TEXT: 5000}
_WRITE_IN_LENGTH = 100
OTHER_LENGTH = 200
"""Characters an "Other, please specify" box takes."""
OTHER_CHOICE_TYPES = frozenset({t.SINGLE_CHOICE, t.MULTIPLE_CHOICE})
"""Types whose options may be "Other, please specify"."""

# A page's answers must fit the web app's 64 KB request body (S9), whatever the resident types:
# the text questions of a page share PAGE_TEXT_BYTES (the rest is left for the other fields),
# at the longest UTF-8 character (the runner sends pages as multipart, so text is not
# percent-encoded). Their max_length, checked by validation, is cut to that share when it is
# larger, and the runner renders the share as the browser's maxlength (issue 15: nothing
# typed is lost to a 413).
PAGE_TEXT_BYTES = 56 * 1024
BYTES_PER_CHARACTER = 4


def page_text_share(questions: Sequence[Question]) -> int:
    """Characters each text question of a page may hold so the page fits the body cap.

    The runner renders it as the hard maxlength of a long answer (its character count may
    show a lower limit, which validation checks with a message that keeps the text)."""
    texts = sum(1 for q in questions if q.type in _DEFAULT_MAX_LENGTH)
    return PAGE_TEXT_BYTES // (max(1, texts) * BYTES_PER_CHARACTER)


def within_page_budget(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """The page's questions with their text limits cut to the page's share of the body cap."""
    if not any(q.type in _DEFAULT_MAX_LENGTH for q in questions):
        return questions
    share = page_text_share(questions)
    return tuple(replace(q, max_length=min(q.max_length or share, share))
                 if q.type in _DEFAULT_MAX_LENGTH else q for q in questions)


def _builtin(options: Sequence[Option], languages: Sequence[str]) -> tuple[Option, ...]:
    """Built-in options with their text cut down to the survey's languages."""
    return tuple(replace(o, text=_text(o.text, languages)) for o in options)


def build_question(
    raw: Mapping[str, Any], loc: str, wards: tuple[Option, ...], languages: Sequence[str] = ("en",)
) -> Question:
    """Build one question from its JSON form; built-in text keeps only the survey's languages."""
    qtype = raw["type"]
    options: tuple[Option, ...] = ()
    if qtype == t.AGREEMENT or (qtype == t.GRID and "options" not in raw):
        options = _builtin(agreement_options(bool(raw.get("dont_know", False))), languages)
    elif "options" in raw:
        options = _options(raw["options"])
    elif qtype == t.WARD_POSTCODE:
        inline = raw.get("wards")
        options = (
            tuple(Option(id=w["id"], text=_text(w["name"])) for w in inline)
            if inline
            else _builtin(wards, languages)
        )
    minimum, maximum = raw.get("min"), raw.get("max")
    if qtype == t.RATING:
        minimum, maximum = 0, 10
    is_date = qtype == t.DATE
    return Question(
        id=raw["id"],
        type=qtype,
        title=_text(raw["title"]),
        hint=_opt_text(raw.get("hint")),
        name=_opt_text(raw.get("name")),
        required=bool(raw.get("required", True)),
        when=build_condition(raw.get("when")),
        options=options,
        statements=tuple(
            Statement(id=s["id"], text=_text(s["text"])) for s in raw.get("statements", ())
        ),
        min_value=None if is_date or minimum is None else float(minimum),
        max_value=None if is_date or maximum is None else float(maximum),
        decimal=bool(raw.get("decimal", False)),
        decimal_places=int(raw.get("decimal_places", 2)),
        suffix=_opt_text(raw.get("suffix")),
        min_label=_opt_text(raw.get("min_label")),
        max_label=_opt_text(raw.get("max_label")),
        min_date=str(minimum) if is_date and minimum is not None else None,
        max_date=str(maximum) if is_date and maximum is not None else None,
        max_length=raw.get("max_length", _DEFAULT_MAX_LENGTH.get(qtype)),
        max_words=raw.get("max_words"),
        max_choices=raw.get("max_choices"),
        top=raw.get("top"),
        demographic=raw.get("demographic"),
        write_in_for=_write_in_for(raw.get("write_in_for")),
        loc=loc,
    )


def _write_in_for(raw: object) -> tuple[str, str] | None:
    if isinstance(raw, (list, tuple)) and len(raw) == 2:
        return str(raw[0]), str(raw[1])
    return None


def with_other_boxes(question: Question, languages: Sequence[str]) -> tuple[Question, ...]:
    """The question, then a required write-in box for each of its "Other" options.

    The box is a short-text question "QUESTION-OPTION" shown with the question (same `when`);
    validation asks for it only when its option is chosen, and its text is free text like any
    other (copied for themes and coding, a column after the choice in exports)."""
    if question.type not in OTHER_CHOICE_TYPES:
        return (question,)
    boxes = tuple(
        Question(
            id=f"{question.id}-{option.id}",
            type=t.SHORT_TEXT,
            title=_text(builtin_text("other-label"), languages),
            name=_text(builtin_text("other-name"), languages),
            required=True,
            when=question.when,
            max_length=OTHER_LENGTH,
            write_in_for=(question.id, option.id),
            loc=join(join(question.loc, "options"), i),
        )
        for i, option in enumerate(question.options)
        if option.other
    )
    return (question, *boxes)


def _route(raw: Mapping[str, Any], loc: str) -> Route:
    go_to = raw["go_to"]
    return Route(
        when=build_condition(raw.get("when")),
        page=go_to.get("page"),
        section=go_to.get("section"),
        end=bool(go_to.get("end", False)),
        loc=loc,
    )


def _demographic_pages(
    include: Sequence[str], per_page: int, groups: Sequence[Mapping[str, Any]]
) -> list[tuple[list[str], Any]]:
    """(names, title or None) per page: one question a page, or the block's page groups."""
    wanted = [n for n in DEMOGRAPHIC_NAMES if n in include]
    if per_page <= 1:
        return [([n], None) for n in wanted]
    pages: list[tuple[list[str], Any]] = []
    for group in groups:
        names = [n for n in group["include"] if n in wanted]
        for i in range(0, len(names), per_page):
            chunk = names[i : i + per_page]
            pages.append((chunk, group["title"] if len(chunk) > 1 else None))
    return pages


def expand_demographics(
    raw: Mapping[str, Any], loc: str, languages: Sequence[str], per_page: int = 1
) -> tuple[dict[str, Any], list[Problem]]:
    """Expand a demographics reference into a plain section definition of optional questions."""
    data = demographics_data()
    block_id = raw["id"]
    problems: list[Problem] = []
    include = list(raw["include"])
    for i, name in enumerate(include):
        if name not in DEMOGRAPHIC_NAMES:
            known = ", ".join(DEMOGRAPHIC_NAMES)
            problems.append(
                Problem(
                    "unknown-demographic",
                    join(join(loc, "include"), i),
                    f"unknown demographics question '{name}' (known: {known})",
                    section=block_id,
                )
            )
    pages: list[dict[str, Any]] = []
    for names, title in _demographic_pages(include, per_page, data["pages"]):
        page: dict[str, Any] = {
            "id": f"{block_id}-{names[0]}",
            "questions": [question for n in names
                          for question in _demographic_questions(block_id, n, data, languages)],
        }
        if title is not None:
            page["title"] = _text(title, languages)
        pages.append(page)
    section: dict[str, Any] = {
        "id": block_id,
        "title": raw.get("title") or _text(data["title"], languages),
        "description": raw.get("description") or _text(data["description"], languages),
        "pages": pages,
        "demographics": True,
    }
    if "when" in raw:
        section["when"] = raw["when"]
    return section, problems


def _demographic_questions(
    block_id: str, name: str, data: Mapping[str, Any], languages: Sequence[str]
) -> list[dict[str, Any]]:
    """The demographic question, then a write-in box for each option that has one (the Census
    "Any other ... background, please write in"): optional short text shown under its option."""
    q = data["questions"][name]
    question_id = f"{block_id}-{name}"
    question: dict[str, Any] = {
        "id": question_id,
        "type": t.SINGLE_CHOICE,
        "title": _text(q["title"], languages),
        "required": False,
        "options": [
            {
                **{k: v for k, v in o.items() if k != "write_in"},
                "text": _text(o["text"], languages),
                **({"group": _text(o["group"], languages)} if "group" in o else {}),
            }
            for o in q["options"]
        ],
        "demographic": name,
    }
    if "hint" in q:
        question["hint"] = _text(q["hint"], languages)
    write_ins = [
        {
            "id": f"{question_id}-{o['id']}",
            "type": t.SHORT_TEXT,
            "title": _text(o["write_in"], languages),
            "name": _text(q.get("write_in_name", o["write_in"]), languages),
            "required": False,
            "max_length": _WRITE_IN_LENGTH,
            "write_in_for": [question_id, o["id"]],
        }
        for o in q["options"]
        if "write_in" in o
    ]
    return [question, *write_ins]



def build_survey(raw: Mapping[str, Any], wards: tuple[Option, ...] | None = None) -> Survey:
    """Build a Survey from a schema-valid definition whose demographics blocks are expanded."""
    ward_options = wards if wards is not None else default_wards()
    sections: list[Section] = []
    for si, rs in enumerate(raw["sections"]):
        sloc = join("sections", si)
        pages: list[Page] = []
        for pi, rp in enumerate(rs.get("pages", ())):
            ploc = join(join(sloc, "pages"), pi)
            questions = within_page_budget(tuple(
                question
                for qi, rq in enumerate(rp["questions"])
                for question in with_other_boxes(build_question(
                    rq, join(join(ploc, "questions"), qi), ward_options, raw["languages"]
                ), raw["languages"])
            ))
            routes = tuple(
                _route(rr, join(join(ploc, "routing"), ri))
                for ri, rr in enumerate(rp.get("routing", ()))
            )
            pages.append(
                Page(
                    id=rp["id"],
                    section_id=rs["id"],
                    questions=questions,
                    title=_opt_text(rp.get("title")),
                    when=build_condition(rp.get("when")),
                    routes=routes,
                    loc=ploc,
                )
            )
        sections.append(
            Section(
                id=rs["id"],
                title=_text(rs["title"]),
                pages=tuple(pages),
                description=_opt_text(rs.get("description")),
                when=build_condition(rs.get("when")),
                demographics=bool(rs.get("demographics", False)),
                loc=sloc,
            )
        )
    settings = raw.get("settings", {})
    return Survey(
        id=raw["id"],
        title=_text(raw["title"]),
        language=raw["language"],
        languages=tuple(raw["languages"]),
        sections=tuple(sections),
        description=_opt_text(raw.get("description")),
        estimated_minutes=raw.get("estimated_minutes"),
        settings=Settings(
            layout=settings.get("layout", "one-question"),
            max_questions_per_page=settings.get("max_questions_per_page", 4),
        ),
    )
