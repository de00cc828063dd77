"""Population targets (uploaded CSV, ward × age band × sex) and quota targets per cell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select

import surveys
from engage.extensions import db
from engage.models import PopulationCell, PopulationTarget, QuotaTarget, Survey, User
from engage.models._types import utcnow
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound
from surveys.weighting import RowProblem, default_categories
from surveys.weighting.population import ILLUSTRATIVE

Cell = tuple[str, str, str]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_QUOTA = 1_000_000
ILLUSTRATIVE_LABEL = "ILLUSTRATIVE population (made-up figures, not official)"


def population_categories() -> dict[str, tuple[str, ...]]:
    """The wards, age bands and sexes a population file and quotas use."""
    return default_categories()


def resolve_survey(survey: Survey | str) -> Survey:
    """The survey itself, or the survey with this slug (NotFound if there is none)."""
    if isinstance(survey, Survey):
        return survey
    found = db.session.scalar(select(Survey).where(Survey.slug == survey))
    if not isinstance(found, Survey):
        raise NotFound(survey)
    return found


@dataclass(frozen=True)
class PopulationUpload:
    """The saved target (None when the file had problems) and every problem found."""

    target: PopulationTarget | None
    problems: tuple[RowProblem, ...] = ()


def _save_population(survey: Survey, population: surveys.Population, *, label: str,
                     filename: str, illustrative: bool, actor: User | None) -> PopulationTarget:
    target = PopulationTarget(survey_id=survey.id, label=label[:200], filename=filename[:200],
                              illustrative=illustrative, total=population.total,
                              uploaded_by_id=actor.id if actor is not None else None,
                              uploaded_at=utcnow())
    target.cells = [PopulationCell(ward=w, age_band=a, sex=s, population=n)
                    for (w, a, s), n in population.cells.items()]
    db.session.add(target)
    db.session.flush()
    audit.record("weighting.population_upload", actor=actor, object_type="survey",
                 object_id=survey.id, detail={"target": target.id, "filename": filename[:200],
                                              "illustrative": illustrative, "cells":
                                              len(target.cells), "total": population.total})
    return target


def upload_population(survey: Survey | str, data: bytes, *, filename: str = "",
                      label: str = "", actor: User | None = None) -> PopulationUpload:
    """Check an uploaded population CSV; save it as the survey's current targets only when
    every row is good (otherwise nothing is saved and every bad row is reported)."""
    found = resolve_survey(survey)
    if len(data) > MAX_UPLOAD_BYTES:
        return PopulationUpload(None, (RowProblem(None, None, None, "The file must be smaller "
                                                  "than 2 MB."),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return PopulationUpload(None, (RowProblem(None, None, None, "The file must be a CSV "
                                                  "saved as UTF-8 text."),))
    result = surveys.load_population(text)
    if result.population is None:
        return PopulationUpload(None, result.problems)
    population = result.population
    name = label.strip() or filename or "Population targets"
    target = in_transaction(lambda: _save_population(
        found, population, label=name, filename=filename, illustrative=False, actor=actor))
    return PopulationUpload(target)


def load_illustrative_population(survey: Survey | str,
                                 actor: User | None = None) -> PopulationTarget:
    """Save the bundled ILLUSTRATIVE (made-up) population as the survey's current targets."""
    found = resolve_survey(survey)
    population = surveys.illustrative_population()
    return in_transaction(lambda: _save_population(
        found, population, label=ILLUSTRATIVE_LABEL, filename=ILLUSTRATIVE,
        illustrative=True, actor=actor))


def current_population(
    survey: Survey | str,
) -> tuple[PopulationTarget, surveys.Population] | None:
    """The survey's latest uploaded population and its cells, or None if none was uploaded."""
    found = resolve_survey(survey)
    target = db.session.scalar(select(PopulationTarget).where(
        PopulationTarget.survey_id == found.id).order_by(PopulationTarget.id.desc()).limit(1))
    if target is None:
        return None
    cells = {(c.ward, c.age_band, c.sex): c.population for c in target.cells}
    return target, surveys.Population(cells)


def current_quotas(survey: Survey | str) -> dict[Cell, int]:
    """Interviews wanted per (ward, age band, sex) cell; empty when no quotas are set."""
    found = resolve_survey(survey)
    rows = db.session.execute(select(QuotaTarget.ward, QuotaTarget.age_band, QuotaTarget.sex,
                                     QuotaTarget.target)
                              .where(QuotaTarget.survey_id == found.id)
                              .order_by(QuotaTarget.id))
    return {(w, a, s): n for w, a, s, n in rows}


def _replace_quotas(survey: Survey, quotas: Mapping[Cell, int], actor: User | None,
                    how: str) -> int:
    db.session.execute(delete(QuotaTarget).where(QuotaTarget.survey_id == survey.id))
    now = utcnow()
    db.session.add_all(QuotaTarget(survey_id=survey.id, ward=w, age_band=a, sex=s, target=n,
                                   updated_at=now) for (w, a, s), n in quotas.items())
    total = sum(quotas.values())
    audit.record("weighting.quotas_set", actor=actor, object_type="survey", object_id=survey.id,
                 detail={"how": how, "cells": len(quotas), "total": total})
    return total


def set_quotas(survey: Survey | str, quotas: Mapping[Cell, int],
               actor: User | None = None) -> int:
    """Replace the survey's quota targets with these (whole numbers, 0 or more); the total."""
    found = resolve_survey(survey)
    for cell, value in quotas.items():
        if len(cell) != 3 or not 0 <= value <= MAX_QUOTA:
            raise ValueError(f"bad quota {cell}: {value}")
    return in_transaction(lambda: _replace_quotas(found, quotas, actor, "cells"))


def _update_quotas(survey: Survey, quotas: Mapping[Cell, int], actor: User | None) -> int:
    existing = {(q.ward, q.age_band, q.sex): q for q in db.session.scalars(
        select(QuotaTarget).where(QuotaTarget.survey_id == survey.id))}
    now = utcnow()
    for (ward, age, sex), value in quotas.items():
        row = existing.get((ward, age, sex))
        if row is None:
            db.session.add(QuotaTarget(survey_id=survey.id, ward=ward, age_band=age, sex=sex,
                                       target=value, updated_at=now))
        elif row.target != value:
            row.target, row.updated_at = value, now
    audit.record("weighting.quotas_set", actor=actor, object_type="survey", object_id=survey.id,
                 detail={"how": "update", "cells": len(quotas), "total": sum(quotas.values())})
    return len(quotas)


def update_quotas(survey: Survey | str, quotas: Mapping[Cell, int],
                  actor: User | None = None) -> int:
    """Set the quota targets of these cells, keeping the others; how many cells were given."""
    found = resolve_survey(survey)
    for cell, value in quotas.items():
        if len(cell) != 3 or not 0 <= value <= MAX_QUOTA:
            raise ValueError(f"bad quota {cell}: {value}")
    return in_transaction(lambda: _update_quotas(found, quotas, actor))


def quotas_from_population(survey: Survey | str, sample_size: int,
                           actor: User | None = None) -> dict[Cell, int]:
    """Set quotas in proportion to the current population, adding up to `sample_size`;
    NotFound until population targets are uploaded."""
    found = resolve_survey(survey)
    current = current_population(found)
    if current is None:
        raise NotFound("no population targets")
    if not 1 <= sample_size <= MAX_QUOTA:
        raise ValueError("sample size out of range")
    quotas = current[1].quotas(sample_size)
    in_transaction(lambda: _replace_quotas(found, quotas, actor, f"population:{sample_size}"))
    return quotas
