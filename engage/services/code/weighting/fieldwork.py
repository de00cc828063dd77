"""The fieldwork dashboard: complete responses against quota targets, per cell and per margin,
optionally for one channel or fieldwork batch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

import surveys
from engage.extensions import db
from engage.models import Response, SentCount, Survey
from engage.services.code.weighting.profiles import DIMENSIONS, complete_responses, data_version
from engage.services.code.weighting.targets import current_quotas, resolve_survey
from engage.services.collect.published_surveys import loaded_definition
from surveys.text import localise


@dataclass(frozen=True)
class Fieldwork:
    """Progress against the quotas, and the channels and batches the filters offer."""

    progress: surveys.FieldworkProgress
    has_quotas: bool
    channels: tuple[str, ...]
    batches: tuple[str, ...]
    channel: str | None
    batch: str | None


_CACHE_SIZE = 16


def _profiles(survey_id: int, channel: str | None,
              batch: str | None) -> list[Mapping[str, str | None]]:
    """The complete responses' profiles, read once per process and data version (reading and
    decoding every response took 5 s at 20,000 responses, issue 21). Equal profiles are one
    object, so the list costs a pointer per response."""
    cache: dict[tuple[object, ...], list[Mapping[str, str | None]]] = \
        current_app.extensions.setdefault("engage_fieldwork_profiles", {})
    key = (survey_id, channel, batch, data_version(survey_id))
    found = cache.get(key)
    if found is None:
        shared: dict[tuple[tuple[str, str | None], ...], Mapping[str, str | None]] = {}
        found = [shared.setdefault(tuple(sorted(row.profile.items())), row.profile)
                 for row in complete_responses(survey_id, channel=channel, batch=batch)]
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = found
    return found


def _distinct(survey_id: int, column: object) -> tuple[str, ...]:
    rows = db.session.scalars(select(column).where(  # type: ignore[call-overload]
        Response.survey_id == survey_id, Response.status == "submitted").distinct())
    return tuple(sorted(str(v) for v in rows if v))


def fieldwork(survey: Survey | str, *, channel: str | None = None,
              batch: str | None = None) -> Fieldwork:
    """Achieved against target per cell and per margin (complete responses only)."""
    found = resolve_survey(survey)
    quotas = current_quotas(found)
    channels = tuple(sorted(db.session.scalars(  # sent responses' channels, kept by the database
        select(SentCount.channel).where(SentCount.survey_id == found.id, SentCount.n > 0)
        .distinct())))
    batches = _distinct(found.id, Response.batch)
    channel = channel if channel in channels else None
    batch = batch if batch in batches else None
    profiles = _profiles(found.id, channel, batch)
    cells: dict[tuple[str, ...], int] = dict(quotas.items())
    progress = surveys.fieldwork_progress(profiles, cells, DIMENSIONS)
    return Fieldwork(progress, bool(quotas), channels, batches, channel, batch)


def category_labels(survey: Survey | str, language: str = "en") -> dict[str, dict[str, str]]:
    """{"ward": {id: name}, "age": {...}, "sex": {...}} from the survey's newest version."""
    found = resolve_survey(survey)
    labels: dict[str, dict[str, str]] = {d: {} for d in DIMENSIONS}
    for ward in surveys.default_wards():
        labels["ward"][ward.id] = localise(ward.text, language, "en")
    if not found.versions:
        return labels
    definition = loaded_definition(found.versions[-1])
    for question in definition.questions:
        if question.type == "ward-postcode":
            dim = "ward"
        elif question.demographic in ("age", "sex"):
            dim = question.demographic
        else:
            continue
        for option in question.options:
            labels[dim][option.id] = definition.text(option.text, language)
    return labels
