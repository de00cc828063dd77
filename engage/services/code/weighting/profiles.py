"""How a response's ward, age band and sex are read from its answers (the weighting cell).

The mapping, made explicit:
- ward: the survey's first ward/postcode question (`type: ward-postcode`), whose answer is stored as
  `{"ward": "<ward id>"}` or `{"postcode": "E3 2AB"}`. A postcode alone gives no ward (a postcode
  district spans several wards and no lookup table ships with Engage): the ward is unknown.
- age band: the demographics block's `age` question (id `<block id>-age`, e.g. `about-you-age`),
  stored as an option id ("16-24" ... "65-plus"); these ids are the population CSV's `age_band`.
- sex: the demographics block's `sex` question (e.g. `about-you-sex`): "female" or "male", the CSV's
  `sex`.
- "prefer-not-to-say", "dont-know", a blank or a missing question: unknown. Unknown values keep
  the response in the weighting (its weight is not adjusted on that dimension) but out of any
  quota cell.

The rules are `surveys.respondent_profile`'s; `profile_reader` applies them with the question ids
looked up once per survey version (a test checks both agree on generated answers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from sys import intern
from typing import Any

from sqlalchemy import func, select

import surveys
from engage.extensions import db
from engage.models import Response, SentCount, SurveyVersion
from engage.services.collect.published_surveys import loaded_definition
from surveys import types as t
from surveys.weighting import MISSING

DIMENSIONS: tuple[str, ...] = ("ward", "age", "sex")
"""Weighting dimensions, as `surveys.respondent_profile` names them."""
POPULATION_COLUMNS: dict[str, str] = {"ward": "ward", "age": "age_band", "sex": "sex"}
"""Dimension → column of the population CSV and of the targets tables."""
UNKNOWN: frozenset[str] = frozenset(MISSING)


Profile = dict[str, str | None]


def profile_reader(definition: surveys.Survey) -> Callable[[Mapping[str, object]], Profile]:
    """A function answers → {"ward", "age", "sex"} for this survey definition: the question ids
    are found once (the same rules as `surveys.respondent_profile`), then each response is three
    look-ups."""
    ward_id = next((q.id for q in definition.questions if q.type == t.WARD_POSTCODE), None)
    ids = {dim: getattr(definition.demographic_question(dim), "id", None) for dim in ("age", "sex")}

    def known(value: object) -> str | None:
        return value if isinstance(value, str) and value and value not in UNKNOWN else None

    def read(answers: Mapping[str, object]) -> Profile:
        ward = answers.get(ward_id) if ward_id else None
        return {"ward": known(ward.get("ward")) if isinstance(ward, Mapping) else None,
                "age": known(answers.get(ids["age"])) if ids["age"] else None,
                "sex": known(answers.get(ids["sex"])) if ids["sex"] else None}

    return read


def weighting_profile(definition: surveys.Survey, answers: Mapping[str, object]) -> Profile:
    """{"ward", "age", "sex"}: the response's category ids, None when unknown."""
    return profile_reader(definition)(answers)


def response_cell(definition: surveys.Survey,
                  answers: Mapping[str, object]) -> tuple[str, str, str] | None:
    """(ward, age band, sex) when all three are known, else None."""
    profile = weighting_profile(definition, answers)
    ward, age, sex = (profile[d] for d in DIMENSIONS)
    if ward is None or age is None or sex is None:
        return None
    return ward, age, sex


@dataclass(frozen=True)
class ResponseRow:
    """A complete response as weighting needs it: id, channel, batch, answers and profile."""

    id: int
    channel: str
    batch: str
    answers: Mapping[str, Any]
    profile: Mapping[str, str | None]


def submitted_count(survey_id: int) -> int:
    """The survey's complete responses, from the counts the database keeps by trigger
    (`sent_counts`, migration 0023) instead of counting every response."""
    return int(db.session.scalar(select(func.coalesce(func.sum(SentCount.n), 0))
                                 .where(SentCount.survey_id == survey_id)) or 0)


def data_version(survey_id: int) -> tuple[object, ...]:
    """Complete responses, newest id and change time, newest version: changes with the input
    of anything computed from a survey's complete responses (kept per process on it). Each
    part is read from an index's end or the kept counts, so it costs the same at any size."""
    submitted = (Response.survey_id == survey_id, Response.status == "submitted")
    newest = db.session.scalar(select(func.max(Response.id)).where(*submitted))
    changed = db.session.scalar(select(func.max(Response.updated_at)).where(*submitted))
    version = db.session.scalar(select(func.max(SurveyVersion.id))
                                .where(SurveyVersion.survey_id == survey_id))
    return submitted_count(survey_id), int(newest or 0), str(changed), int(version or 0)


def closed_answers(survey_id: int, question_ids: Iterable[str]) -> dict[str, dict[str, object]]:
    """The answers to these questions per complete response id (as text), strings interned;
    unanswered questions left out. (Taking the answers out of the JSON in PostgreSQL was
    slower: `answers -> 'id'` parses the whole `json` value again for each question.)"""
    kept = frozenset(question_ids)
    query = (select(Response.id, Response.answers)
             .where(Response.survey_id == survey_id, Response.status == "submitted")
             .order_by(Response.id).execution_options(yield_per=1000))
    found: dict[str, dict[str, object]] = {}
    for rid, given in db.session.execute(query):
        found[str(rid)] = {intern(k): _compact(v) for k, v in (given or {}).items()
                           if k in kept and v is not None}
    return found


def _compact(value: object) -> object:
    """The same answer with its strings interned: 100,000 answers share a few option ids."""
    if isinstance(value, str):
        return intern(value)
    if isinstance(value, list):
        return [intern(v) if isinstance(v, str) else v for v in value]
    if isinstance(value, dict):
        return {intern(k): intern(v) if isinstance(v, str) else v for k, v in value.items()}
    return value


def complete_responses(survey_id: int, *, channel: str | None = None, batch: str | None = None,
                       with_profiles: bool = True) -> Iterator[ResponseRow]:
    """Every submitted response of the survey (optionally one channel or fieldwork batch);
    `with_profiles=False` skips reading ward, age and sex (their profile is then empty)."""
    query = select(Response.id, Response.channel, Response.survey_version_id, Response.answers,
                   Response.batch).where(Response.survey_id == survey_id,
                                         Response.status == "submitted").order_by(Response.id)
    if channel:
        query = query.where(Response.channel == channel)
    if batch:
        query = query.where(Response.batch == batch)
    readers: dict[int, Callable[[Mapping[str, object]], Profile]] = {}
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        version_id = row[2]
        reader = readers.get(version_id)
        if reader is None:
            version = db.session.get(SurveyVersion, version_id)
            assert version is not None
            reader = readers[version_id] = profile_reader(loaded_definition(version))
        answers = row[3] or {}
        profile = reader(answers) if with_profiles else {}
        yield ResponseRow(row[0], row[1], row[4] or "", answers, profile)
