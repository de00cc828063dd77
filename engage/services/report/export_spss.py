"""Responses as an SPSS .sav file (pyreadstat): the same rows, roles, results policy and
redaction as the CSV, with what SPSS users expect of a survey file.

- variable labels: the question's wording (with the option or statement for split columns);
- value labels: choice answers coded 1..n in option order, labelled with the option text;
- multiple choice: one 0/1 variable per option (1 = selected);
- missing values declared: -1 "Not answered" (seen, left blank), -2 "Not asked" (off the
  resident's path) on every coded variable; numbers and text leave a missing answer empty
  (system missing), since any code could be a real number;
- free-text themes and codes: one 0/1 variable per column the CSV adds for them (the same
  ``insight_sources.response_themes``: codes of the final codeframe only), labelled with the
  theme's or code's name; 1 = the response's free text was themed or coded to it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

import surveys
from engage.extensions import db
from engage.models import Response, User
from engage.services.platform import audit, results_policy
from engage.services.platform.transactions import in_transaction
from engage.services.report import export_rows
from engage.services.report.exports import Export
from engage.services.report.insight_sources import ThemeColumns, response_themes, response_weights
from surveys import tabulate
from surveys import types as t

NOT_ANSWERED = -1
NOT_ASKED = -2
MISSING_LABELS = {NOT_ANSWERED: "Not answered", NOT_ASKED: "Not asked"}
LABEL_LENGTH = 250
NAME_LENGTH = 64
CODED_TYPES = frozenset({t.SINGLE_CHOICE, t.AGREEMENT, t.GRID, t.MULTIPLE_CHOICE, t.RANKING,
                         t.RATING})
META = [("reference", "The response's reference", False),
        ("submitted_at", "When the response was sent (UTC)", False),
        ("survey_version", "The survey version answered", True),
        ("channel", "How the response was collected", False),
        ("language", "The language the survey was answered in", False),
        ("weight", "The response's weight to the borough's population", True)]
GROUPING_LABELS = {"code": {0: "Not coded", 1: "Coded"},
                   "theme": {0: "Not in this theme", 1: "In this theme"}}


@dataclass
class Variable:
    """One SPSS variable: its name, label, how to compute it from the answers, its codes."""

    name: str
    label: str
    value: Callable[[Mapping[str, Any]], object]
    numeric: bool
    labels: dict[int, str] = field(default_factory=dict)
    coded: bool = False


def _name(raw: str, taken: set[str]) -> str:
    """An SPSS variable name: a letter first, letters, digits and _, at most 64 bytes, unique
    regardless of case."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", raw)
    if not name[:1].isalpha():
        name = "q_" + name
    name = name[:NAME_LENGTH]
    base, n = name, 2
    while name.lower() in taken:
        suffix = f"_{n}"
        name = base[:NAME_LENGTH - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _missing(answers: Mapping[str, Any], qid: str) -> int:
    return NOT_ANSWERED if qid in answers else NOT_ASKED


def _coded(question: surveys.Question, part: str | None) -> Callable[[Mapping[str, Any]], object]:
    """The code of one coded column (choice, grid statement, option of a list, rating)."""
    qid, kind = question.id, question.type
    codes = {o.id: i for i, o in enumerate(question.options, start=1)}

    def value(answers: Mapping[str, Any]) -> object:
        answer = answers.get(qid)
        if answer is None or answer == [] or answer == {}:
            return _missing(answers, qid)
        if kind == t.MULTIPLE_CHOICE:
            return 1 if part in answer else 0
        if kind == t.RANKING:
            return answer.index(part) + 1 if part in answer else 0
        if kind == t.GRID:
            chosen = answer.get(part or "") if isinstance(answer, dict) else None
            return codes.get(chosen, NOT_ANSWERED) if chosen is not None else NOT_ANSWERED
        if kind == t.RATING:
            return answer if isinstance(answer, (int, float)) else NOT_ANSWERED
        return codes.get(str(answer), NOT_ANSWERED)

    return value


def _value_labels(definition: surveys.Survey, question: surveys.Question) -> dict[int, str]:
    main = definition.language
    if question.type == t.MULTIPLE_CHOICE:
        labels = {0: "Not selected", 1: "Selected"}
    elif question.type == t.RANKING:
        labels = {0: "Not ranked"}
    elif question.type == t.RATING:
        labels = {}
    else:
        labels = {i: definition.text(o.text, main)[:LABEL_LENGTH]
                  for i, o in enumerate(question.options, start=1)}
    return {**labels, **MISSING_LABELS}


def variables(source: export_rows.Source, personal_data: bool) -> list[Variable]:
    """Every variable of the file, in the CSV's order (meta, then one per answer column)."""
    taken: set[str] = set()
    found = [Variable(_name(key, taken), label, lambda a: None, numeric)
             for key, label, numeric in META]
    definition = source.definition
    hiders = export_rows.cell_hiders(definition, source.columns, personal_data)
    for column, hide in zip(source.columns, hiders, strict=True):
        question = definition.question(column.question_id)
        label = column.header[:LABEL_LENGTH]
        name = _name(column.key.replace(":", "_"), taken)
        if question.type in CODED_TYPES:
            found.append(Variable(name, label, _coded(question, column.part), True,
                                  _value_labels(definition, question), coded=True))
            continue
        make = tabulate.row_maker(definition, [column])
        numeric = question.type == t.NUMBER

        def value(answers: Mapping[str, Any], make: Any = make, hide: Any = hide,
                  numeric: bool = numeric) -> object:
            cell = make(answers)[0]
            if numeric:
                return cell if isinstance(cell, (int, float)) else None
            text = "" if cell is None else str(cell)
            return str(hide(text)) if hide and text else text

        found.append(Variable(name, label, value, numeric))
    return found


def grouping_variables(themes: ThemeColumns, taken: set[str]) -> list[Variable]:
    """A 0/1 variable per theme or code column of the CSV (``response_themes``), in its order."""
    kinds = themes.kinds or ["theme"] * len(themes.headers)
    labels = themes.labels or themes.headers
    return [Variable(_name(f"{kind}_{label}", taken), label[:LABEL_LENGTH], lambda a: None,
                     True, dict(GROUPING_LABELS[kind]))
            for kind, label in zip(kinds, labels, strict=True)]


def _rows(source: export_rows.Source, answer_vars: list[Variable],
          themes: ThemeColumns) -> Iterator[list[object]]:
    none = [0] * len(themes.headers)
    weights = response_weights(source.survey_id)
    table = Response.__table__
    query = (select(table.c.id, table.c.reference, table.c.submitted_at,
                    table.c.survey_version_id, table.c.channel, table.c.language,
                    table.c.answers)
             .where(table.c.survey_id == source.survey_id, table.c.status == "submitted")
             .order_by(table.c.id).execution_options(yield_per=export_rows.BATCH))
    for row in db.session.execute(query):
        answers = row.answers or {}
        submitted = row.submitted_at.isoformat(timespec="seconds") if row.submitted_at else ""
        weight = weights.get(row.id)
        yield [row.reference, submitted, source.versions.get(row.survey_version_id),
               row.channel, row.language, None if weight is None else round(weight, 6),
               *(v.value(answers) for v in answer_vars),
               *([1 if c else 0 for c in marked] if (marked := themes.cells.get(row.id))
                 else none)]


def write_sav(source: export_rows.Source, personal_data: bool, path: str) -> int:
    """Write the survey's submitted responses to `path` as a .sav; return the row count."""
    import pandas as pd
    import pyreadstat

    found = variables(source, personal_data)
    answer_vars = found[len(META):]
    themes = response_themes(source.survey_id)
    found += grouping_variables(themes, {v.name.lower() for v in found})
    columns: list[list[object]] = [[] for _ in found]
    count = 0
    for cells in _rows(source, answer_vars, themes):
        for values, cell in zip(columns, cells, strict=True):
            values.append(cell)
        count += 1
    frame = pd.DataFrame({
        v.name: pd.Series(values, dtype="float64" if v.numeric else "object")
        .fillna("" if not v.numeric else float("nan"))
        for v, values in zip(found, columns, strict=True)})
    pyreadstat.write_sav(
        frame, path, file_label=source.survey.slug[:64],
        column_labels={v.name: v.label for v in found},
        variable_value_labels={v.name: {float(k): s for k, s in v.labels.items()}
                               for v in found if v.labels},
        missing_ranges={v.name: [float(NOT_ANSWERED), float(NOT_ASKED)]
                        for v in found if v.coded},
        variable_measure={v.name: "nominal" if v.labels or not v.numeric else "scale"
                          for v in found})
    return count


def responses_sav(slug: str, actor: User, ip_address: str = "") -> Export:
    """All submitted responses of a survey as an SPSS .sav file; audited like the CSV.

    The same rules as the CSV: roles that may only see aggregates, and anyone the survey's
    results policy refuses, get PermissionError; text is redacted unless the role may see
    personal data."""
    if not export_rows.may_export_rows(actor):
        raise PermissionError(actor.role)
    source = export_rows.load_source(slug)
    results_policy.require(actor, source.survey)
    personal = export_rows.sees_personal_data(actor)
    detail = {"rows": source.count, "slug": slug, "redacted": not personal}
    in_transaction(lambda: audit.record("export.responses_sav", actor=actor,
                                        object_type="survey", object_id=source.survey_id,
                                        ip_address=ip_address, detail=detail))
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        write_sav(source, personal, path)
        with open(path, "rb") as file:
            data = file.read()
    finally:
        os.unlink(path)
    return Export(filename=f"{slug}-responses.sav", rows=source.count, chunks=iter([data]))
