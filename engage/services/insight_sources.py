"""Where the insight exports and report read data owned by other features: weights (weighting),
themes (theme analysis), equity highlights and the Task and Finish shortlist (priority board),
and the borough's population. Each returns nothing until that feature has data, so exports and
the report work before those features exist and pick them up when they do."""

from __future__ import annotations

from dataclasses import dataclass, field

from engage.extensions import db
from engage.models import Survey
from engage.services import weighting
from surveys.weighting import Population, illustrative_population


@dataclass(frozen=True)
class ThemeColumns:
    """Free-text themes as extra columns: headers, and each response's cells in that order."""

    headers: list[str]
    cells: dict[int, list[str]]


@dataclass(frozen=True)
class ThemeSummary:
    """A theme of the latest analysis: name, description, responses coded to it, quotes."""

    name: str
    description: str
    size: int
    quotes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Priority:
    """A priority on the Task and Finish shortlist, with the rationale the group agreed."""

    title: str
    rationale: str


def _survey(survey_id: int) -> Survey:
    found = db.session.get(Survey, survey_id)
    if found is None:
        raise LookupError(survey_id)
    return found


def response_weights(survey_id: int) -> dict[int, float]:
    """Weight per response id from the survey's current weighting run ({} until one exists)."""
    run = weighting.latest_run(_survey(survey_id))
    return weighting.run_weights(run) if run is not None else {}


def response_themes(survey_id: int) -> ThemeColumns:
    """Theme columns from the survey's latest analysis (none until an analysis exists)."""
    return ThemeColumns([], {})


def theme_summaries(survey_id: int) -> list[ThemeSummary]:
    """Themes of the survey's latest analysis, largest first ([] until one exists)."""
    return []


def equity_highlights(survey_id: int) -> list[str]:
    """Plain-English equity lens findings for the survey ([] until the board provides them)."""
    return []


def shortlist(survey_id: int) -> list[Priority]:
    """The Task and Finish group's shortlisted priorities ([] until the board provides them)."""
    return []


def population(survey_id: int) -> tuple[Population, bool]:
    """The survey's population targets (the bundled illustrative one when none was uploaded),
    and whether they are illustrative."""
    current = weighting.current_population(_survey(survey_id))
    if current is None:
        return illustrative_population(), True
    target, found = current
    return found, bool(target.illustrative)
