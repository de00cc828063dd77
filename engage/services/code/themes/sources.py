"""Where the texts of a theme analysis come from: a small registry of pluggable sources.

A source has a key, a label and two functions: ``options()`` lists what an analyst can tick
(e.g. each free-text question of each survey), ``rows(option, filters)`` yields the texts of one
ticked option as :class:`SourceText`. Adding a source is a few lines::

    @text_source("group_session", _l("Group-session notes"))
    def _group_notes() -> list[tuple[str, str]]:
        return [("all", "All group-session notes")]

    @_group_notes.rows
    def _(option: str, filters: Filters) -> Iterator[SourceText]: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engage.extensions import db
from engage.models import FreeTextAnswer, Response, SurveyVersion
from engage.services.collect.published_surveys import loaded_definition

DEMOGRAPHICS = {"age": "age_band", "sex": "sex", "ethnicity": "ethnicity",
                "disability": "disability"}


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the texts to (empty means everything)."""

    survey_ids: tuple[int, ...] = ()
    version_ids: tuple[int, ...] = ()  # survey waves
    channels: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain data for the run's record."""
        return {"survey_ids": list(self.survey_ids), "version_ids": list(self.version_ids),
                "channels": list(self.channels), "wards": list(self.wards),
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Filters:
        """Rebuild from :meth:`to_json` output."""
        return cls(
            survey_ids=tuple(int(x) for x in data.get("survey_ids") or ()),
            version_ids=tuple(int(x) for x in data.get("version_ids") or ()),
            channels=tuple(data.get("channels") or ()), wards=tuple(data.get("wards") or ()),
            date_from=date.fromisoformat(data["date_from"]) if data.get("date_from") else None,
            date_to=date.fromisoformat(data["date_to"]) if data.get("date_to") else None)

    def keeps(self, row: SourceText) -> bool:
        """True when a row passes the channel, ward and date filters."""
        if self.channels and row.channel not in self.channels:
            return False
        if self.wards and row.ward not in self.wards:
            return False
        when = row.submitted_at
        if when is not None:
            local = when.astimezone(ZoneInfo("Europe/London")).date()
            if self.date_from and local < self.date_from:
                return False
            if self.date_to and local > self.date_to:
                return False
        return True


@dataclass(frozen=True)
class SourceText:
    """One text from a source and what is known about who wrote it, where and how."""

    source: str
    source_id: str
    text: str
    survey_id: int | None = None
    question_id: str = ""
    respondent: str = ""
    ward: str = ""
    channel: str = ""
    language: str = ""
    group_name: str = ""
    submitted_at: datetime | None = None
    weight: float | None = None
    attributes: dict[str, str] = field(default_factory=dict)


Options = Callable[[], list[tuple[str, Any]]]
Rows = Callable[[str, Filters], Iterator[SourceText]]


@dataclass
class TextSource:
    """A registered source of texts."""

    key: str
    label: Any
    options: Options
    rows_of: Rows | None = None

    def rows(self, fn: Rows) -> Rows:
        """Decorator: register the function yielding this source's texts."""
        self.rows_of = fn
        return fn


SOURCES: dict[str, TextSource] = {}


def text_source(key: str, label: Any) -> Callable[[Options], TextSource]:
    """Decorator: register a source of texts; the decorated function lists its options."""

    def register(options: Options) -> TextSource:
        source = TextSource(key, label, options)
        SOURCES[key] = source
        return source

    return register


def register_rows_source(key: str, label: Any, option_label: Any,
                         rows: Callable[[], Any]) -> TextSource:
    """Register a source with one option from a function returning rows shaped like
    engage.services.collect.mayor.theme_texts.TextRow (source, id, text, language, channel, ward,
    date)."""
    source = TextSource(key, label, lambda: [("all", option_label)])

    def _rows(option: str, filters: Filters) -> Iterator[SourceText]:
        for row in rows():
            attributes = {k: str(v) for k, v in (getattr(row, "attributes", {}) or {}).items()}
            yield SourceText(
                source=key, source_id=str(row.id), text=str(row.text),
                respondent=f"{key}:{getattr(row, 'respondent', row.id)}",
                ward=str(getattr(row, "ward", "") or ""),
                channel=str(getattr(row, "channel", "") or ""),
                language=str(getattr(row, "language", "") or ""),
                group_name=str(getattr(row, "group", "") or attributes.get("group", "")),
                submitted_at=getattr(row, "date", None),
                attributes=attributes)

    source.rows_of = _rows
    SOURCES[key] = source
    return source


def choices() -> list[tuple[str, Any]]:
    """Every option an analyst can tick, as ("source:option", label)."""
    out: list[tuple[str, Any]] = []
    for source in SOURCES.values():
        for option, label in source.options():
            out.append((f"{source.key}:{option}", label))
    return out


def collect(selected: list[str], filters: Filters) -> Iterator[SourceText]:
    """The texts of the ticked options that pass the filters (each text once)."""
    seen: set[tuple[str, str]] = set()
    for choice in selected:
        key, _, option = choice.partition(":")
        source = SOURCES.get(key)
        if source is None or source.rows_of is None:
            raise KeyError(choice)
        for row in source.rows_of(option, filters):
            if (row.source, row.source_id) in seen or not row.text.strip():
                continue
            if filters.keeps(row):
                seen.add((row.source, row.source_id))
                yield row


# ---------------------------------------------------------------- survey free text


def _survey_options() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pairs = db.session.execute(
        select(FreeTextAnswer.survey_id, FreeTextAnswer.question_id).distinct()
        .join(Response, Response.id == FreeTextAnswer.response_id)
        .where(Response.status == "submitted")  # not an import still being written
        .order_by(FreeTextAnswer.survey_id, FreeTextAnswer.question_id)).all()
    for survey_id, question_id in pairs:
        version = db.session.scalars(
            select(SurveyVersion).where(SurveyVersion.survey_id == survey_id)
            .order_by(SurveyVersion.number.desc()).limit(1)).first()
        title = question_id
        name = str(survey_id)
        if version is not None:
            name = version.title
            try:
                definition = loaded_definition(version)
                title = definition.text(definition.question(question_id).title, "en")
            except (KeyError, ValueError):
                pass
        out.append((f"{survey_id}:{question_id}", f"{name}: {title}"))
    return out


def _demographic_ids(version: SurveyVersion) -> tuple[str | None, dict[str, str]]:
    definition = loaded_definition(version)
    ward = next((q.id for q in definition.questions if q.type == "ward-postcode"), None)
    demo: dict[str, str] = {}
    for name, attr in DEMOGRAPHICS.items():
        question = definition.demographic_question(name)
        if question is not None:
            demo[attr] = question.id
    return ward, demo


def _survey_rows(option: str, filters: Filters) -> Iterator[SourceText]:
    survey_id_text, _, question_id = option.partition(":")
    survey_id = int(survey_id_text)
    if filters.survey_ids and survey_id not in filters.survey_ids:
        return
    ft = FreeTextAnswer
    query = (select(ft.id, ft.text, ft.response_id, ft.survey_version_id, ft.channel,
                    ft.language, ft.submitted_at, Response.answers)
             .join(Response, Response.id == FreeTextAnswer.response_id)
             .where(FreeTextAnswer.survey_id == survey_id,
                    FreeTextAnswer.question_id == question_id,
                    Response.status == "submitted")
             .order_by(FreeTextAnswer.id))
    if filters.version_ids:
        query = query.where(FreeTextAnswer.survey_version_id.in_(filters.version_ids))
    if filters.channels:
        query = query.where(FreeTextAnswer.channel.in_(filters.channels))
    zone = ZoneInfo("Europe/London")
    if filters.date_from:
        query = query.where(FreeTextAnswer.submitted_at
                            >= datetime.combine(filters.date_from, time(0), tzinfo=zone))
    if filters.date_to:
        query = query.where(FreeTextAnswer.submitted_at < datetime.combine(
            filters.date_to + timedelta(days=1), time(0), tzinfo=zone))
    layouts: dict[int, tuple[str | None, dict[str, str]]] = {}
    for answer in db.session.execute(query.execution_options(yield_per=2000)):
        answers = answer.answers
        layout = layouts.get(answer.survey_version_id)
        if layout is None:
            version = db.session.get(SurveyVersion, answer.survey_version_id)
            layout = _demographic_ids(version) if version is not None else (None, {})
            layouts[answer.survey_version_id] = layout
        ward_q, demo = layout
        answers = answers or {}
        ward_value = answers.get(ward_q) if ward_q else None
        ward = str(ward_value.get("ward") or "") if isinstance(ward_value, dict) else ""
        attributes = {attr: str(answers[qid]) for attr, qid in demo.items()
                      if isinstance(answers.get(qid), str)}
        yield SourceText(
            source="survey", source_id=str(answer.id), text=answer.text, survey_id=survey_id,
            question_id=question_id, respondent=f"response:{answer.response_id}", ward=ward,
            channel=answer.channel, language=answer.language, submitted_at=answer.submitted_at,
            attributes=attributes)


def _survey_label() -> Any:
    from flask_babel import lazy_gettext as _l

    return _l("Survey free-text answers")


SOURCES["survey"] = TextSource("survey", _survey_label(), _survey_options, _survey_rows)


def _mayor_rows() -> Any:
    from engage.services.collect.mayor.theme_texts import question_text_rows

    return question_text_rows()


@dataclass(frozen=True)
class _GroupPoint:
    """A group-session point as registry row: one session speaks as one respondent."""

    id: str
    text: str
    respondent: str
    language: str
    channel: str
    ward: str
    date: datetime | None
    group: str
    attributes: dict[str, str]


def _group_session_rows() -> Iterator[_GroupPoint]:
    from engage.services.collect.group_sessions import point_text_rows

    for row in point_text_rows():
        attributes = {k: str(v) for k, v in row.attributes.items() if k != "session_id"}
        yield _GroupPoint(
            id=str(row.id), text=str(row.text),
            respondent=f"session-{row.attributes.get('session_id', row.id)}",
            language=row.language, channel=row.channel, ward=row.ward, date=row.date,
            group=attributes.get("group", ""), attributes=attributes)


def _register_defaults() -> None:
    from flask_babel import lazy_gettext as _l

    register_rows_source("ask_the_mayor", _l("Ask the Mayor"),
                         _l("Ask the Mayor questions"), _mayor_rows)
    register_rows_source("group_session", _l("Group-session notes"),
                         _l("Group-session notes (group, ward and date)"), _group_session_rows)


_register_defaults()


def wave_choices() -> list[tuple[str, str]]:
    """Survey versions (waves) that have free text, for the filter list."""
    rows = db.session.execute(
        select(SurveyVersion.id, SurveyVersion.title, SurveyVersion.number)
        .where(SurveyVersion.id.in_(
            select(FreeTextAnswer.survey_version_id).distinct()
            .join(Response, Response.id == FreeTextAnswer.response_id)
            .where(Response.status == "submitted")))
        .order_by(SurveyVersion.survey_id, SurveyVersion.number)).all()
    return [(str(i), f"{title} ({number})") for i, title, number in rows]
