"""Routes: changing and removing what the plan holds (/staff/plan/...). Officers change wording,
owners and definitions and remove outcomes and actions (after a confirmation page); a partner
withdraws a progress update of their own organisation. The services check who may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.plan import (
    Page,
    _fail,
    _owner_choices,
    _plan,
    _render,
)
from engage.extensions import db
from engage.formatting import format_date, format_number
from engage.forms.plan import (
    ActionEditForm,
    ConfirmForm,
    IndicatorEditForm,
    OutcomeEditForm,
    read_number,
)
from engage.models import Plan, PlanAction, PlanIndicator, PlanOutcome, PlanPriority, PlanUpdate
from engage.services.decide.plan import amendments, plans, progress
from engage.services.decide.plan.plans import Forbidden, PlanError

T = TypeVar("T")


def _row(model: type[T], ident: int) -> T:
    return db.get_or_404(model, ident)


def _of(row: Any) -> tuple[PlanPriority, Plan]:
    priority = db.session.get(PlanPriority, row.priority_id)
    assert priority is not None
    return priority, _plan(priority.plan_id)


def _back(plan: Plan, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)


# ---------------------------------------------------------------- outcomes


@bp.route("/plan/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_outcome_edit(outcome_id: int) -> Page:
    """Change an outcome's wording."""
    outcome = _row(PlanOutcome, outcome_id)
    priority, plan = _of(outcome)
    form = OutcomeEditForm(obj=outcome if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            amendments.edit_outcome(outcome, staff_user(), form.title.data)
        except PlanError as exc:
            _fail(form.title, exc)
        else:
            return _back(plan, _("Outcome saved"))
    return _render("staff/plan/outcome.html", form, plan=plan, priority=priority,
                   outcome=outcome)


@bp.route("/plan/outcomes/<int:outcome_id>/remove", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_outcome_remove(outcome_id: int) -> Page:
    """Ask, then remove an outcome with its indicators."""
    outcome = _row(PlanOutcome, outcome_id)
    return _remove(outcome, outcome.title, lambda: amendments.remove_outcome(outcome, staff_user()),
                   _("Outcome removed"),
                   _("Its indicators and their progress updates are removed too. "
                     "Its actions stay."))


def _remove(row: PlanOutcome | PlanAction, name: str, remove: Callable[[], object],
            done: str, warning: str) -> Page:
    """The GOV.UK confirmation page of a removal; on Yes, remove and go back to the plan."""
    priority, plan = _of(row)
    form = ConfirmForm()
    if form.validate_on_submit():
        remove()
        return _back(plan, done)
    return render_template("staff/plan/remove.html", form=form, plan=plan, priority=priority,
                           name=name, warning=warning)


# ---------------------------------------------------------------- actions


def _action_form(action: PlanAction, priority: PlanPriority) -> ActionEditForm:
    form = ActionEditForm(obj=action if request.method == "GET" else None)
    if request.method == "GET":
        form.outcome.data = str(action.outcome_id or "")
    form.owner.choices = _owner_choices()
    form.outcome.choices = [("", _("None"))] + [(str(o.id), o.title)
                                                for o in plans.outcomes(priority)]
    return form


@bp.route("/plan/actions/<int:action_id>/edit", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_action_edit(action_id: int) -> Page:
    """Change an action: title, description, owner, lead, due date, status, outcome."""
    action = _row(PlanAction, action_id)
    priority, plan = _of(action)
    form = _action_form(action, priority)
    if form.validate_on_submit():
        assert form.due_on.data is not None  # validated
        outcome = int(form.outcome.data) if (form.outcome.data or "").isdigit() else None
        spec = amendments.ActionSpec(form.title.data, form.owner.data, form.due_on.data,
                                  form.status.data, form.description.data or "",
                                  form.lead_name.data or "", outcome)
        try:
            amendments.edit_action(action, staff_user(), spec)
        except PlanError as exc:
            _fail({"owner_missing": form.owner, "outcome_unknown": form.outcome,
                   "status_missing": form.status, "text_long": form.description}.get(
                exc.code, form.title), exc)
        else:
            return _back(plan, _("Action saved"))
    return _render("staff/plan/action_new.html", form, plan=plan, priority=priority,
                   action=action)


@bp.route("/plan/actions/<int:action_id>/remove", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_action_remove(action_id: int) -> Page:
    """Ask, then remove an action with its indicators."""
    action = _row(PlanAction, action_id)
    return _remove(action, action.title, lambda: amendments.remove_action(action, staff_user()),
                   _("Action removed"),
                   _("Its indicators and their progress updates are removed too. "
                     "This cannot be undone."))


# ---------------------------------------------------------------- indicators and updates


@bp.route("/plan/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_indicator_edit(indicator_id: int) -> Page:
    """Change an indicator's definition."""
    indicator = _row(PlanIndicator, indicator_id)
    priority, plan = _of(indicator)
    form = IndicatorEditForm(obj=indicator if request.method == "GET" else None)
    if request.method == "GET":
        form.baseline_value.data = f"{indicator.baseline_value:g}"
        form.target_value.data = f"{indicator.target_value:g}"
    if form.validate_on_submit():
        assert form.baseline_on.data is not None and form.target_on.data is not None
        spec = progress.IndicatorSpec(
            form.name.data, form.unit.data, read_number(form.baseline_value.data) or 0.0,
            form.baseline_on.data, read_number(form.target_value.data) or 0.0,
            form.target_on.data, form.direction.data, form.frequency.data)
        try:
            amendments.edit_indicator(indicator, staff_user(), spec)
        except PlanError as exc:
            _fail({"target_before_baseline": form.target_on, "unit_missing": form.unit,
                   "unit_missing_long": form.unit, "value_range": form.target_value,
                   "baseline_after_updates": form.baseline_on}.get(exc.code, form.name), exc)
        else:
            flash(_("Indicator saved"), "success")
            return redirect(url_for("staff.plan_indicator", indicator_id=indicator.id),
                            code=303)
    return _render("staff/plan/indicator_edit.html", form, plan=plan, priority=priority,
                   indicator=indicator)


@bp.route("/plan/updates/<int:update_id>/withdraw", methods=["GET", "POST"])
@staff_required(*plans.VIEWERS)
def plan_update_withdraw(update_id: int) -> Page:
    """Ask, then withdraw a progress update recorded by mistake."""
    row = _row(PlanUpdate, update_id)
    indicator = _row(PlanIndicator, row.indicator_id)
    priority, plan = _of(indicator)
    user = staff_user()
    if not amendments.can_withdraw(user, row):
        abort(403)
    indicator_id = indicator.id
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            amendments.withdraw_update(row, user)
        except Forbidden:
            abort(403)
        flash(_("Update withdrawn"), "success")
        return redirect(url_for("staff.plan_indicator", indicator_id=indicator_id), code=303)
    warning = _("The value %(value)s measured on %(date)s is taken off the chart and the open "
                "data.", value=format_number(row.value), date=format_date(row.measured_on))
    return render_template("staff/plan/remove.html", form=form, plan=plan, priority=priority,
                           name=indicator.name, title=_("Withdraw a progress update"),
                           warning=warning)
