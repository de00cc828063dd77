"""Thin routes, one package per audience, and the access rules they share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from engage.extensions import login
from engage.models import User
from engage.services.collect.published_surveys import (
    PublishedSurvey,
    SurveyNotFound,
    published_survey,
)
from engage.services.platform import results_policy
from surveys.errors import NotFound

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def staff_required(*roles: str) -> Callable[[F], F]:
    """Declare the roles a staff route needs (admins pass every check); deny everyone else."""
    if not roles:
        raise ValueError("name at least one role")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def staff_user() -> User:
    """The signed-in staff member as a `User` (what services record as the actor): the one
    way routes get it, on routes that `staff_required` guards."""
    user = current_user._get_current_object()
    if not isinstance(user, User):
        abort(401)
    return user


def found_or_404(found: T | None) -> T:
    """What a service found, or the 404 page when it found nothing: the one way routes turn
    "no such thing" into a 404 (rows read straight by id use Flask-SQLAlchemy's
    `db.get_or_404`)."""
    if found is None:
        abort(404)
    return found


def published_or_404(slug: str) -> PublishedSurvey:
    """The published survey with this web address (its current version), or the 404 page:
    the one way the resident pages, interviews and paper keying find theirs."""
    try:
        return published_survey(slug)
    except SurveyNotFound:
        abort(404)


ANY_STAFF = ("engagement_officer", "analyst", "moderator", "group_member", "partner_viewer",
             "interviewer")


def results_required(view: F) -> F:
    """Let through only those the survey's settings allow to see its results (S21).

    Goes below `staff_required` on a route with a `slug`: 404 for an unknown survey, 403 when
    results_policy refuses.
    """
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            results_policy.survey_for(current_user, str(kwargs.get("slug", "")))
        except NotFound:
            abort(404)
        except PermissionError:
            abort(403)
        return view(*args, **kwargs)

    wrapper.results_required = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
