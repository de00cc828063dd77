"""Routes: the partnership plan (/staff/plan). Officers build it; partners update their own
organisation's actions and indicators (the services check the organisation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.extensions import db
from engage.forms import messages
from engage.forms.plan import (
    PLAN_LABELS,
    STATUS_CLASSES,
    ActionForm,
    IndicatorForm,
    OutcomeForm,
    PlanForm,
    PriorityForm,
    ProgressForm,
    PromoteForm,
    PublishForm,
    StatusForm,
    read_number,
)
from engage.models import Plan, PlanAction, PlanIndicator, PlanPriority
from engage.services.decide.plan import plans, progress, public
from engage.services.decide.plan.plans import Forbidden, PlanError

Page = str | Response | tuple[str, int]




def _plan(plan_id: int) -> Plan:
    return found_or_404(plans.get_plan(plan_id))


def _priority(plan: Plan, priority_id: int) -> PlanPriority:
    priority: PlanPriority = db.one_or_404(select(PlanPriority).filter_by(id=priority_id,
                                                                       plan_id=plan.id))
    return priority


def _errors(form: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for field in form:
        if field.errors:
            target = f"{field.id}-day" if field.type == "RealDateField" else field.id
            out.append((target, str(field.errors[0])))
    return out


def _fail(field: Any, exc: PlanError) -> None:
    field.errors = [str(messages.PLAN_ERRORS.get(exc.code, messages.PLAN_ERROR_DEFAULT))]


def _render(template: str, form: Any, **context: Any) -> tuple[str, int]:
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, page_errors=_errors(form), labels=PLAN_LABELS,
                           status_classes=STATUS_CLASSES, **context), status


@bp.route("/plan")
@staff_required(*plans.VIEWERS)
def plan_index() -> Page:
    """Every plan; officers create one here."""
    user = staff_user()
    return _render("staff/plan/index.html", PlanForm(), plans=plans.all_plans(),
                   can_manage=plans.can_manage(user))


@bp.route("/plan", methods=["POST"])
@staff_required(*plans.MANAGERS)
def plan_create() -> Page:
    """Create a plan (officers and admins); the list again with the errors otherwise."""
    user = staff_user()
    form = PlanForm()
    if form.validate_on_submit():
        try:
            plan = plans.create_plan(user, form.title.data, int(read_number(
                form.start_year.data) or 0), int(read_number(form.end_year.data) or 0),
                form.summary.data or "")
        except PlanError as exc:
            _fail(form.end_year if exc.code == "period_order" else form.title, exc)
        else:
            flash(_("Plan created"), "success")
            return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    return _render("staff/plan/index.html", form, plans=plans.all_plans(), can_manage=True)


@bp.route("/plan/<int:plan_id>")
@staff_required(*plans.VIEWERS)
def plan_page(plan_id: int) -> Page:
    """A plan: its priorities, outcomes, actions and indicators; what this user may change."""
    plan = _plan(plan_id)
    user = staff_user()
    form = PromoteForm()
    form.item.choices = [(str(item.id), f"{item.label} ({board.title})")
                         for item, board in plans.candidates(plan)]
    return render_template("staff/plan/plan.html", plan=plan, form=form,
                           publish_form=PublishForm(), labels=PLAN_LABELS,
                           status_classes=STATUS_CLASSES,
                           view=public.plan_view(plan, with_evidence=False),
                           can_manage=plans.can_manage(user),
                           may_update=lambda owner: plans.can_update(user, owner),
                           organisation=user.organisation)


@bp.route("/plan/<int:plan_id>/publish", methods=["POST"])
@staff_required(*plans.MANAGERS)
def plan_publish(plan_id: int) -> Response:
    """Publish the plan, or withdraw it (``published`` = "0")."""
    plan = _plan(plan_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    publish = form.published.data != "0"
    plans.set_published(plan, staff_user(), publish)
    flash(_("Plan published") if publish else _("Plan withdrawn"), "success")
    return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)


@bp.route("/plan/<int:plan_id>/priorities", methods=["POST"])
@staff_required(*plans.MANAGERS)
def plan_promote(plan_id: int) -> Page:
    """Carry a shortlisted priority into the plan."""
    plan = _plan(plan_id)
    form = PromoteForm()
    form.item.choices = [(str(item.id), f"{item.label} ({board.title})")
                         for item, board in plans.candidates(plan)]
    if form.validate_on_submit():
        try:
            plans.promote(plan, staff_user(), int(form.item.data))
        except PlanError as exc:
            _fail(form.item, exc)
        else:
            flash(_("Priority added to the plan"), "success")
            return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    user = staff_user()
    return _render("staff/plan/plan.html", form, plan=plan, publish_form=PublishForm(),
                   view=public.plan_view(plan, with_evidence=False), can_manage=True,
                   may_update=lambda owner: plans.can_update(user, owner),
                   organisation=user.organisation)


@bp.route("/plan/<int:plan_id>/priorities/<int:priority_id>/outcomes", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_outcome_new(plan_id: int, priority_id: int) -> Page:
    """Add an outcome under a priority."""
    plan = _plan(plan_id)
    priority = _priority(plan, priority_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            plans.add_outcome(priority, staff_user(), form.title.data)
        except PlanError as exc:
            _fail(form.title, exc)
        else:
            flash(_("Outcome added"), "success")
            return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    return _render("staff/plan/outcome.html", form, plan=plan, priority=priority)


@bp.route("/plan/<int:plan_id>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_priority_edit(plan_id: int, priority_id: int) -> Page:
    """Change a priority's title, description and why it was chosen."""
    plan = _plan(plan_id)
    priority = _priority(plan, priority_id)
    form = PriorityForm(obj=priority if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            plans.edit_priority(priority, staff_user(), title=form.title.data,
                                description=form.description.data or "",
                                why=form.why.data or "")
        except PlanError as exc:
            _fail(form.title if exc.code.startswith("priority") else form.description, exc)
        else:
            flash(_("Priority saved"), "success")
            return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    return _render("staff/plan/priority_edit.html", form, plan=plan, priority=priority)


def _owner_choices() -> list[tuple[str, str]]:
    return [("", _("Select an organisation"))] + [(o, o) for o in plans.organisations()]


@bp.route("/plan/<int:plan_id>/priorities/<int:priority_id>/actions", methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_action_new(plan_id: int, priority_id: int) -> Page:
    """Add an action owned by a partner organisation."""
    plan = _plan(plan_id)
    priority = _priority(plan, priority_id)
    form = ActionForm()
    form.owner.choices = _owner_choices()
    form.outcome.choices = [("", _("None"))] + [(str(o.id), o.title)
                                                for o in plans.outcomes(priority)]
    if form.validate_on_submit():
        outcome = int(form.outcome.data) if (form.outcome.data or "").isdigit() else None
        assert form.due_on.data is not None  # validated
        try:
            plans.add_action(priority, staff_user(), title=form.title.data, owner=form.owner.data,
                             due_on=form.due_on.data, description=form.description.data or "",
                             lead_name=form.lead_name.data or "", outcome_id=outcome)
        except PlanError as exc:
            _fail({"owner_missing": form.owner, "outcome_unknown": form.outcome}.get(
                exc.code, form.title), exc)
        else:
            flash(_("Action added"), "success")
            return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    return _render("staff/plan/action_new.html", form, plan=plan, priority=priority)


def _indicator_form(priority: PlanPriority) -> IndicatorForm:
    form = IndicatorForm()
    form.measures.choices = (
        [("", _("Select an action or outcome"))]
        + [(f"action:{a.id}", _("Action: %(title)s", title=a.title))
           for a in plans.actions(priority)]
        + [(f"outcome:{o.id}", _("Outcome: %(title)s", title=o.title))
           for o in plans.outcomes(priority)])
    form.owner.choices = _owner_choices()
    return form


def _save_indicator(form: IndicatorForm, priority: PlanPriority) -> bool:
    kind, _sep, ident = (form.measures.data or "").partition(":")
    target = int(ident) if ident.isdigit() else None
    assert form.baseline_on.data is not None and form.target_on.data is not None  # validated
    spec = progress.IndicatorSpec(
        form.name.data, form.unit.data, read_number(form.baseline_value.data) or 0.0,
        form.baseline_on.data, read_number(form.target_value.data) or 0.0, form.target_on.data,
        form.direction.data, form.frequency.data)
    try:
        progress.add_indicator(priority, staff_user(), spec,
                               action_id=target if kind == "action" else None,
                               outcome_id=target if kind == "outcome" else None,
                               owner=form.owner.data or "")
    except PlanError as exc:
        field = {"measures_missing": form.measures, "action_unknown": form.measures,
                 "outcome_unknown": form.measures, "owner_missing": form.owner,
                 "target_before_baseline": form.target_on, "unit_missing": form.unit,
                 "value_range": form.target_value}.get(exc.code, form.name)
        _fail(field, exc)
        return False
    return True


@bp.route("/plan/<int:plan_id>/priorities/<int:priority_id>/indicators",
          methods=["GET", "POST"])
@staff_required(*plans.MANAGERS)
def plan_indicator_new(plan_id: int, priority_id: int) -> Page:
    """Add an indicator to an action or outcome of a priority."""
    plan = _plan(plan_id)
    priority = _priority(plan, priority_id)
    form = _indicator_form(priority)
    if form.validate_on_submit() and _save_indicator(form, priority):
        flash(_("Indicator added"), "success")
        return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    return _render("staff/plan/indicator_new.html", form, plan=plan, priority=priority)


def _action(action_id: int) -> tuple[PlanAction, Plan]:
    action = db.get_or_404(PlanAction, action_id)
    priority = db.session.get(PlanPriority, action.priority_id)
    assert priority is not None
    return action, _plan(priority.plan_id)


@bp.route("/plan/actions/<int:action_id>", methods=["GET", "POST"])
@staff_required(*plans.VIEWERS)
def plan_action(action_id: int) -> Page:
    """Update an action's status: its owner organisation or an officer."""
    action, plan = _action(action_id)
    user = staff_user()
    if not plans.can_update(user, action.owner):
        abort(403)
    form = StatusForm(data={"status": action.status} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            progress.set_status(action, user, form.status.data)
        except Forbidden:
            abort(403)
        except PlanError as exc:
            _fail(form.status, exc)
        else:
            flash(_("Status saved"), "success")
            return redirect(url_for("staff.plan_page", plan_id=plan.id), code=303)
    return _render("staff/plan/action.html", form, plan=plan, action=action)


@bp.route("/plan/indicators/<int:indicator_id>", methods=["GET", "POST"])
@staff_required(*plans.VIEWERS)
def plan_indicator(indicator_id: int) -> Page:
    """Record a progress update: the indicator's owner organisation or an officer."""
    indicator = db.get_or_404(PlanIndicator, indicator_id)
    plan = _plan(_priority_plan(indicator))
    user = staff_user()
    if not plans.can_update(user, indicator.owner):
        abort(403)
    form = ProgressForm()
    if form.validate_on_submit():
        assert form.measured_on.data is not None  # validated
        try:
            progress.record_update(indicator, user, read_number(form.value.data) or 0.0,
                                   form.measured_on.data, form.note.data or "",
                                   today=date.today())
        except Forbidden:
            abort(403)
        except PlanError as exc:
            _fail(form.note if exc.code == "note_long" else form.measured_on
                  if exc.code.startswith("measured") else form.value, exc)
        else:
            flash(_("Update recorded"), "success")
            return redirect(url_for("staff.plan_indicator", indicator_id=indicator.id),
                            code=303)
    rows = progress.updates(indicator)
    view = public.indicator_view(indicator, rows)
    return _render("staff/plan/indicator.html", form, plan=plan, ind=view,
                   can_manage=plans.can_manage(user),
                   withdrawable=[r.id for r in rows
                                 if plans.can_update(user, r.by_organisation)])


def _priority_plan(indicator: PlanIndicator) -> int:
    priority = db.session.get(PlanPriority, indicator.priority_id)
    assert priority is not None
    return priority.plan_id
