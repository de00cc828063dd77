"""Shared set-up: share every survey's results through the survey's own setting (S21)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from engage.extensions import db
from engage.models import Survey, User
from engage.services.collect import drafts
from engage.services.platform import results_policy

PARTNER = "Health Trust"


def share_results(roles: Iterable[str] = (), partners: Iterable[User] = ()) -> None:
    """Let these roles (besides the default ones) and these partner viewers, as members of
    PARTNER, see every survey's results."""
    for user in partners:
        user.organisation = PARTNER
    db.session.commit()
    chosen = list(dict.fromkeys([*results_policy.DEFAULT_ROLES, *roles]))
    for survey in db.session.scalars(select(Survey)):
        drafts.update_results_access(None, survey, chosen, [PARTNER])
