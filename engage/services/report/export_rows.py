"""What every export reads: a survey's definition and columns, its submitted responses as rows,
who may see personal data, and the hooks where weights and themes join the table.

Policy on personal data (P3): admins and analysts see free text as residents wrote it;
engagement officers get free text and postcodes redacted (analysis.redact); partner viewers get
aggregates only (results, the report), never one row per response.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, func, select

import surveys
from analysis.redact import redact
from engage.extensions import db
from engage.models import Response, Survey, SurveyVersion, User
from engage.services.code.weighting import profiles, tallies
from engage.services.collect.published_surveys import loaded_definition
from engage.services.report.insight_sources import ThemeColumns, response_weights
from surveys import tabulate
from surveys import types as t
from surveys.builtins import DEMOGRAPHIC_NAMES
from surveys.errors import NotFound
from surveys.profile import respondent_profile
from surveys.weighting.results import SUPPORTED

BATCH = 500
FETCH = 2000
"""Rows read from the database at a time (a server-side cursor on PostgreSQL)."""
PERSONAL_DATA_ROLES = ("admin", "analyst")
"""Roles that see free text and postcodes unredacted."""
ROW_ROLES = ("admin", "analyst", "engagement_officer")
"""Roles that may export one row per response; everyone else gets aggregates only."""
META = ["reference", "submitted_at", "survey_version", "channel", "language", "proxy", "batch",
        "sheet_number", "interviewer", "ward", "weight"]
META_NOTES = {
    "reference": "The response's reference (given to the resident)",
    "submitted_at": "When the response was sent (UTC)",
    "survey_version": "The survey version answered",
    "channel": "online, face_to_face, phone, paper, import or group_session",
    "language": "The language the survey was answered in",
    "proxy": "yes when someone answered on the resident's behalf",
    "batch": "The fieldwork batch (interviews, paper bundles, imports)",
    "sheet_number": "The paper sheet's number within its batch",
    "interviewer": "The interviewer's staff account number (face to face and phone)",
    "ward": "The ward the resident gave (blank when they gave a postcode or skipped it)",
    "weight": "The response's weight to the borough's population (blank until weights exist)",
}


def sees_personal_data(user: User) -> bool:
    """True when the user's role may read free text and postcodes as written."""
    return user.role in PERSONAL_DATA_ROLES


def may_export_rows(user: User) -> bool:
    """True when the user's role may export one row per response (not only aggregates)."""
    return user.role in ROW_ROLES


@dataclass
class Source:
    """A survey ready to export: its row, latest definition, answer columns and response count."""

    survey: Survey
    survey_id: int
    definition: surveys.Survey
    columns: list[tabulate.Column]
    count: int
    versions: dict[int, int]
    kept: frozenset[str]
    """Ids of the questions results and profiles read (closed, ward and demographic ones)."""


def load_source(slug: str) -> Source:
    """The survey with this slug and its latest definition; NotFound when unknown."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not survey.versions:
        raise NotFound(slug)
    definition = loaded_definition(survey.versions[-1])
    count = profiles.submitted_count(survey.id)  # the kept counts, not every response
    versions = dict(db.session.execute(select(SurveyVersion.id, SurveyVersion.number).where(
        SurveyVersion.survey_id == survey.id)).all())
    kept = {q.id for q in definition.questions if q.type in SUPPORTED or q.type == t.WARD_POSTCODE}
    kept |= {q.id for name in DEMOGRAPHIC_NAMES
             if (q := definition.demographic_question(name)) is not None}
    return Source(survey, survey.id, definition, tabulate.columns(definition), count, versions,
                  frozenset(kept))


def personal_keys(definition: surveys.Survey, columns: list[tabulate.Column]) -> set[str]:
    """Keys of the columns that can hold personal data (free text, postcodes, email addresses
    and postal addresses)."""
    kinds = t.TEXT_TYPES | t.PERSONAL_TYPES | {t.WARD_POSTCODE}
    return {c.key for c in columns if definition.question(c.question_id).type in kinds}


PLACEHOLDERS = {t.EMAIL: "[EMAIL]", t.UK_ADDRESS: "[ADDRESS]"}
"""What replaces a whole email or address answer for roles that see redacted text."""

Hider = Callable[[object], object]


def _placeholder(text: str) -> Hider:
    """A hider that replaces any non-empty value with `text`."""
    def hide(value: object) -> object:
        return text if value not in (None, "") else value
    return hide


def cell_hiders(definition: surveys.Survey, columns: list[tabulate.Column],
                personal_data: bool) -> list[Hider | None]:
    """Per column, the function that hides its personal data (None: shown as it is).

    Free text and postcodes go through the redactor; an email or address answer is personal
    data as a whole, so it is replaced by its placeholder."""
    if personal_data:
        return [None] * len(columns)
    hide = redactor(False)
    personal = personal_keys(definition, columns)
    out: list[Hider | None] = []
    for column in columns:
        placeholder = PLACEHOLDERS.get(definition.question(column.question_id).type)
        if placeholder is not None:
            out.append(_placeholder(placeholder))
        else:
            out.append(hide if column.key in personal else None)
    return out


def redactor(personal_data: bool) -> Callable[[object], object]:
    """A function applied to personal cells: identity when personal data may be shown."""
    if personal_data:
        return lambda value: value

    def hide(value: object) -> object:
        return redact(value).text if isinstance(value, str) and value else value

    return hide


def ward_label(definition: surveys.Survey, answers: Mapping[str, Any]) -> str:
    """The label of the ward the resident chose, '' when none."""
    ward = respondent_profile(definition, answers).get("ward")
    if not ward:
        return ""
    for question in definition.questions:
        if question.type == t.WARD_POSTCODE:
            option = question.option(ward)
            return definition.text(option.text, definition.language) if option else ward
    return ward


def ward_labeller(definition: surveys.Survey) -> Callable[[Mapping[str, Any]], str]:
    """A fast `ward_label` for many responses (the ward question and its labels found once)."""
    question = next((q for q in definition.questions if q.type == t.WARD_POSTCODE), None)
    if question is None:
        return lambda answers: ""
    names = {o.id: definition.text(o.text, definition.language) for o in question.options}

    def label(answers: Mapping[str, Any]) -> str:
        value = answers.get(question.id)
        ward = value.get("ward") if value.__class__ is dict or isinstance(value, Mapping) \
            else None
        return names.get(ward, ward) if isinstance(ward, str) and ward else ""

    return label


def headers(source: Source, themes: ThemeColumns | None = None) -> list[str]:
    """The header row of the responses table."""
    return [*META, *(c.header for c in source.columns), *(themes.headers if themes else [])]


def rows(source: Source, personal_data: bool, themes: ThemeColumns | None = None,
         weights: Mapping[int, float] | None = None,
         defuse: Callable[[object], str] | None = None) -> Iterator[list[object]]:
    """Every submitted response as a row (in `headers` order), read in batches; free text and
    postcodes redacted unless `personal_data` (see `sees_personal_data`).

    `defuse` (the CSV's `exports.safe_cell`) is applied to every cell that could hold text
    a spreadsheet would run (after redaction); the other cells (dates, counts, version and
    account numbers, theme flags) are passed as they are, and write as the same text."""
    hiders = cell_hiders(source.definition, source.columns, personal_data)
    weights = weights if weights is not None else response_weights(source.survey_id)
    themes = themes or ThemeColumns([], {})
    blank_themes = [""] * len(themes.headers)
    make = tabulate.row_maker(source.definition, source.columns,
                              hiders=hiders if any(hiders) else None, defuse=defuse)
    ward_of = ward_labeller(source.definition)
    text: Callable[[object], object] = defuse or _same
    weight_cell = {rid: text(round(w, 6)) for rid, w in weights.items()}
    no_weight = text("")
    # Channels, languages, batches and wards repeat: each value is finished once.
    channel_cell, language_cell, batch_cell, ward_cell = (_Finished(text) for _ in range(4))
    theme_cells = themes.cells
    versions = source.versions
    loads = _loads
    table = Response.__table__
    postgres = db.session.get_bind().dialect.name == "postgresql"
    # The answers as text, decoded here: psycopg's own JSON loader was twice as slow. On
    # PostgreSQL the sending time comes as the text Python would write (UTC, to the second).
    sent = (func.to_char(func.timezone("UTC", table.c.submitted_at), SENT_FORMAT)
            if postgres else table.c.submitted_at)
    query = (select(table.c.id, table.c.reference, sent,
                    table.c.survey_version_id, table.c.channel, table.c.language,
                    table.c.proxy, table.c.batch, table.c.sheet_number,
                    table.c.interviewer_id, cast(table.c.answers, Text))
             .where(table.c.survey_id == source.survey_id, table.c.status == "submitted")
             .order_by(table.c.id)
             .execution_options(yield_per=FETCH))
    for (rid, reference, submitted_at, version_id, channel, language, proxy, batch,
         sheet_number, interviewer_id, raw) in db.session.execute(query):
        answers = (loads(raw) if raw else None) or {}
        yield [text(reference), submitted_at if submitted_at.__class__ is str else
               submitted_at.isoformat(timespec="seconds") if submitted_at else "",
               versions.get(version_id), channel_cell[channel], language_cell[language],
               "yes" if proxy else "no", batch_cell[batch or ""], text(sheet_number or ""),
               interviewer_id or "", ward_cell[ward_of(answers)],
               weight_cell.get(rid, no_weight), *make(answers),
               *theme_cells.get(rid, blank_themes)]


SENT_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'
"""PostgreSQL's `to_char` of a UTC timestamp as Python's `isoformat(timespec="seconds")` of
the same moment, timezone-aware, writes it (seconds truncated, not rounded, by both)."""


class _Finished(dict[object, object]):
    """A cell finished once per distinct value (up to 1,000 values kept: bounded memory)."""

    def __init__(self, finish: Callable[[object], object]) -> None:
        super().__init__()
        self.finish = finish

    def __missing__(self, value: object) -> object:
        cell = self.finish(value)
        if len(self) < 1000:
            self[value] = cell
        return cell


_decode = json.JSONDecoder().raw_decode


def _loads(raw: str) -> Any:
    """`json.loads(raw)`, through the decoder's public `raw_decode` when `raw` is one object
    and nothing else (as the database keeps answers): the C scanner without `loads`'s
    whitespace handling around it."""
    if raw[:1] == "{":
        try:
            found, end = _decode(raw)
        except ValueError:
            return json.loads(raw)  # the same error, with json.loads's message
        if end == len(raw):
            return found
    return json.loads(raw)


def _same(value: object) -> object:
    return value


def closed_answers(source: Source) -> tallies.GroupedAnswers:
    """Answers to closed, ward and demographic questions, grouped by answer in the database
    (each distinct answer with its responses' ids), for results and the report."""
    return tallies.grouped_answers(source.survey_id, source.kept)
