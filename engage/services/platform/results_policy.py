"""Who may see a survey's results, and the small-numbers rule: the one policy every results
surface asks (S21).

A survey's results are its report (HTML and print), workbook, responses and codebook CSV, export
jobs and their downloads, weighting pages, theme runs and equity lenses over its texts, API reads
and priority-board evidence drawn from its texts. The survey's settings name who sees them:

- admins always;
- the roles ticked in `results_roles` (engagement officers and analysts when never set);
- partner viewers only when their organisation is listed in `results_organisations` (by default
  no organisation is listed, so by default a partner viewer sees no survey's results);
- nobody else (moderators, interviewers; group members unless ticked).

Refusals are PermissionError (`ResultsRefused`); routes answer them with 403 (404 on the API,
which does not say which surveys exist). Aggregates from fewer respondents than
`RESULTS_MIN_COUNT` (default 10) are suppressed everywhere they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AnalysisText, RunText, Survey
from surveys.errors import NotFound

DEFAULT_ROLES = ("engagement_officer", "analyst")
"""Roles that see results when the survey's settings were never saved."""
CHOOSABLE_ROLES = ("engagement_officer", "analyst", "group_member")
"""Roles a survey's settings may tick (partner viewers are chosen by organisation)."""
DEFAULT_MIN_COUNT = 10


class ResultsRefused(PermissionError):
    """This person may not see these results."""


def min_count() -> int:
    """The small-numbers rule: aggregate cells from fewer respondents are suppressed."""
    return max(1, int(current_app.config.get("RESULTS_MIN_COUNT", DEFAULT_MIN_COUNT)))


def _organisation(value: str | None) -> str:
    return (value or "").strip().casefold()


def may_see_results(user: Any, survey: Survey) -> bool:
    """True when this signed-in, active member of staff may see the survey's results."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "active", False):
        return False
    if user.role == "admin":
        return True
    if user.role == "partner_viewer":
        listed = {_organisation(o) for o in survey.results_organisations or []}
        mine = _organisation(user.organisation)
        return bool(mine) and mine in listed
    roles = survey.results_roles if survey.results_roles is not None else DEFAULT_ROLES
    return user.role in roles and user.role in CHOOSABLE_ROLES


def require(user: Any, survey: Survey) -> Survey:
    """The survey, when the user may see its results; ResultsRefused otherwise."""
    if not may_see_results(user, survey):
        raise ResultsRefused(survey.slug)
    return survey


def survey_for(user: Any, slug: str) -> Survey:
    """The survey with this slug, if the user may see its results.

    NotFound when there is no such survey; ResultsRefused when its results are not theirs.
    """
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        raise NotFound(slug)
    return require(user, survey)


def visible_ids(user: Any, survey_ids: Iterable[int | None]) -> set[int]:
    """The survey ids among these whose results the user may see."""
    wanted = {i for i in survey_ids if i is not None}
    if not wanted:
        return set()
    return {s.id for s in db.session.scalars(select(Survey).where(Survey.id.in_(wanted)))
            if may_see_results(user, s)}


def run_survey_ids(run_id: int) -> set[int]:
    """The surveys whose texts a theme run analysed. A finished run's texts never change but
    for erasure, which deletes some: the answer is kept per process by the run's number of
    texts (counted from its key's index, where the distinct surveys joined every text)."""
    texts = int(db.session.scalar(select(func.count()).select_from(RunText)
                                  .where(RunText.run_id == run_id)) or 0)
    cache: dict[tuple[int, int], frozenset[int]] = current_app.extensions.setdefault(
        "engage_run_surveys", {})
    found = cache.get((run_id, texts))
    if found is None:
        found = frozenset(db.session.scalars(
            select(AnalysisText.survey_id).distinct()
            .join(RunText, RunText.text_id == AnalysisText.id)
            .where(RunText.run_id == run_id, AnalysisText.survey_id.is_not(None))))
        if len(cache) >= 64:
            cache.pop(next(iter(cache)))
        cache[run_id, texts] = found
    return set(found)


def may_see_run(user: Any, run_id: int) -> bool:
    """True when the user may see the results of every survey whose texts the run analysed.

    A theme run spans surveys: its themes, counts, quotes and equity lens mix their texts, so
    a run is shown only to someone who may see all of them (texts from Ask the Mayor and group
    sessions are not survey results and do not restrict it).
    """
    surveys = run_survey_ids(run_id)
    return not surveys or visible_ids(user, surveys) == surveys
