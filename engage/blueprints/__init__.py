"""Thin routes, one package per audience, and the access rules they share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from engage.extensions import login

F = TypeVar("F", bound=Callable[..., Any])


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


ANY_STAFF = ("engagement_officer", "analyst", "moderator", "group_member", "partner_viewer",
             "interviewer")
