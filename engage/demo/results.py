"""Demo: who sees the demo survey's results (S21): officers, analysts and the Task and Finish
group's members, and partner viewers of the demo partnership, so every demo role sees them."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from engage.extensions import db
from engage.models import Survey
from engage.services.collect import drafts
from engage.services.platform import results_policy

SLUG = "residents-2026"
ORGANISATION = "Demo Partnership"


def load() -> Iterator[str]:
    """Set the demo survey's results access once (never over a setting someone saved)."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    if survey is None or survey.results_roles is not None:
        return
    drafts.update_results_access(None, survey, [*results_policy.DEFAULT_ROLES, "group_member"],
                                  [ORGANISATION])
    yield f"Demo survey results shared with group members and {ORGANISATION}."
