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

`surveys.respondent_profile` does the reading; this module names the dimensions and loads rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import surveys
from engage.extensions import db
from engage.models import Response, SurveyVersion
from engage.services.surveys import loaded_definition
from surveys.weighting import MISSING

DIMENSIONS: tuple[str, ...] = ("ward", "age", "sex")
"""Weighting dimensions, as `surveys.respondent_profile` names them."""
POPULATION_COLUMNS: dict[str, str] = {"ward": "ward", "age": "age_band", "sex": "sex"}
"""Dimension → column of the population CSV and of the targets tables."""
UNKNOWN: frozenset[str] = frozenset(MISSING)


def weighting_profile(definition: surveys.Survey,
                      answers: Mapping[str, object]) -> dict[str, str | None]:
    """{"ward", "age", "sex"}: the response's category ids, None when unknown."""
    profile = surveys.respondent_profile(definition, answers)
    out: dict[str, str | None] = {}
    for dim in DIMENSIONS:
        value = profile.get(dim)
        out[dim] = value if value and value not in UNKNOWN else None
    return out


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


def complete_responses(survey_id: int, *, channel: str | None = None,
                       batch: str | None = None) -> Iterator[ResponseRow]:
    """Every submitted response of the survey (optionally one channel or fieldwork batch)."""
    batch_column = getattr(Response, "batch", None)
    columns: list[Any] = [Response.id, Response.channel, Response.survey_version_id,
                          Response.answers]
    if batch_column is not None:
        columns.append(batch_column)
    query = select(*columns).where(Response.survey_id == survey_id,
                                   Response.status == "submitted").order_by(Response.id)
    if channel:
        query = query.where(Response.channel == channel)
    if batch is not None and batch_column is not None:
        query = query.where(batch_column == batch)
    definitions: dict[int, surveys.Survey] = {}
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        version_id = row[2]
        definition = definitions.get(version_id)
        if definition is None:
            version = db.session.get(SurveyVersion, version_id)
            assert version is not None
            definition = definitions[version_id] = loaded_definition(version)
        answers = row[3] or {}
        row_batch = (row[4] or "") if batch_column is not None else ""
        yield ResponseRow(row[0], row[1], row_batch, answers,
                          weighting_profile(definition, answers))
