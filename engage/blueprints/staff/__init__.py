"""Staff pages. Deny by default: every route must declare its roles with staff_required."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
def _deny_by_default() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not getattr(view, "required_roles", None):
        abort(403)


from engage.blueprints.staff import (  # noqa: E402,F401
    api_tokens,
    builder,
    builder_items,
    builder_preview,
    builder_settings,
    builder_translations,
    coding,
    coding_work,
    consultations,
    contacts,
    group_sessions,
    imports,
    interviews,
    invitations,
    jobs,
    mayor,
    mayor_sessions,
    paper,
    plan,
    plan_edit,
    priorities,
    privacy,
    question_bank,
    routes,
    surveys,
    themes,
    two_step,
    users,
    weighting,
    you_said,
)
