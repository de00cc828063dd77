"""Staff routes for Ask the Mayor: queue, one question and its actions, assisted entry, topics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.mayor_public.routes import (
    prepare_question_form,
    question_input,
    ward_names,
)
from engage.blueprints.paging import neighbour_cursors, page_arg, pager
from engage.blueprints.staff import bp
from engage.forms import messages
from engage.forms.mayor import (
    AnswerForm,
    ApproverRuleForm,
    AssignForm,
    AssistedQuestionForm,
    DuplicateForm,
    RejectForm,
    TopicForm,
    TopicToggleForm,
    WordingForm,
)
from engage.models import MayorQuestion, User
from engage.routing import int_arg
from engage.services.collect.mayor import (
    ANSWERING_ROLES,
    MayorError,
    answers,
    moderation,
    public,
    queue,
    sees_original,
    submission,
)
from engage.services.collect.mayor.redaction import redact, suggest
from engage.services.collect.mayor.similarity import similar_questions
from engage.services.platform import settings

MODERATORS = ("moderator",)
ASSIGNEES = ANSWERING_ROLES
ENTRY = ("moderator", "engagement_officer")




def _lang() -> str:
    return str(get_locale() or "en")


def _error_text(exc: MayorError) -> str:
    return str(messages.MAYOR_ERRORS.get(exc.code, messages.MAYOR_ERROR_DEFAULT))


def _question(question_id: int) -> MayorQuestion:
    return found_or_404(queue.get_question(question_id))


def _back(question: MayorQuestion) -> Response:
    return redirect(url_for("staff.mayor_question", question_id=question.id), code=303)


def _render_question(question: MayorQuestion, **forms: Any) -> str:
    me = staff_user()
    if not (me.has_role("moderator") or question.assigned_to_id == me.id):
        abort(403)
    assign_form = forms.get("assign_form") or AssignForm(prefix="assign")
    assign_form.officer.choices = [("", _("Select an officer"))] + [
        (str(u.id), f"{u.name or u.email} ({u.organisation or u.email})")
        for u in queue.officers()]
    answer_form = forms.get("answer_form") or AnswerForm(prefix="answer")
    if not answer_form.answer.data and question.answer_text:
        answer_form.answer.data = question.answer_text
    wording_form = forms.get("wording_form") or WordingForm(prefix="wording")
    if not wording_form.wording.data:
        wording_form.wording.data = question.shown_text
    is_moderator = me.has_role("moderator")
    original = sees_original(me)
    return render_template(
        "staff/mayor/question.html", q=question, is_moderator=is_moderator,
        sent_text=question.text if original else redact(question.text),
        public_text=question.public_text if original else redact(question.public_text),
        sees_original=original,
        may_draft=answers.may_draft(question, me),
        own_draft=answers.approving_own_draft(question, me),
        reject_form=forms.get("reject_form") or RejectForm(prefix="reject"),
        wording_form=wording_form,
        duplicate_form=forms.get("duplicate_form") or DuplicateForm(prefix="duplicate"),
        assign_form=assign_form, answer_form=answer_form,
        redactions=suggest(question.shown_text) if is_moderator else [],
        similar=similar_questions(question) if is_moderator and question.status in
        moderation.OPEN else [],
        overdue=queue.is_overdue(question), wards=ward_names(_lang()), lang=_lang(),
        labels=messages.STAFF_STATUS_LABELS, reasons=messages.REJECT_REASON_LABELS,
        channels=messages.CHANNEL_LABELS,
    )


@bp.route("/mayor/")
@staff_required(*MODERATORS)
def mayor_queue() -> str:
    """The moderation queue, filtered by status, topic, ward and age."""
    args = request.args
    topics = public.all_topics()
    wards = ward_names(_lang())
    status = args.get("status", "open")
    filters = queue.QueueFilters(
        status=status if status in messages.STAFF_STATUS_LABELS else "open",
        topic=args.get("topic", "") if args.get("topic") in {t.slug for t in topics} else "",
        ward=args.get("ward", "") if args.get("ward") in wards else "",
        age=args.get("age", "") if args.get("age") in queue.AGES else "",
        overdue=args.get("overdue") == "1",
        sort=args.get("sort", "") if args.get("sort") in queue.SORTS else "newest",
    )
    since = queue.look_at_queue(staff_user())
    found = queue.queue(filters, page_arg(), since, after=int_arg("after"),
                        before=int_arg("before"))
    # Previous and next pages found by key from the first and last question shown (page 1
    # and the last page need none).
    cursors = neighbour_cursors(found.page, found.pages,
                                found.items[0].id if found.items else None,
                                found.items[-1].id if found.items else None, found.more)
    return render_template("staff/mayor/queue.html", found=found, items=found.items,
                           total=found.total, filters=filters,
                           pager=pager(found.page, found.pages, "staff.mayor_queue",
                                       cursors=cursors, more=found.more),
                           topics=topics, wards=wards, lang=_lang(),
                           labels=messages.STAFF_STATUS_LABELS, is_overdue=queue.is_overdue)


@bp.route("/mayor/mine")
@staff_required(*ASSIGNEES)
def mayor_mine() -> str:
    """Questions assigned to me that still need an answer."""
    me = staff_user()
    return render_template("staff/mayor/mine.html", items=queue.assigned_to(me),
                           shown=(lambda text: text) if sees_original(me) else redact,
                           labels=messages.STAFF_STATUS_LABELS, is_overdue=queue.is_overdue)


@bp.route("/mayor/questions/<int:question_id>")
@staff_required(*ASSIGNEES)
def mayor_question(question_id: int) -> str:
    """One question: its text, wording, suggestions, history and the actions allowed now."""
    return _render_question(_question(question_id))


def _act(question_id: int, action: Callable[[MayorQuestion, User], Any], done: str) -> Response:
    question = _question(question_id)
    try:
        action(question, staff_user())
    except MayorError as exc:
        flash(_error_text(exc), "error")
    else:
        flash(done, "success")
    return _back(question)


@bp.route("/mayor/questions/<int:question_id>/approve", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_approve(question_id: int) -> Response:
    """Approve a new question."""
    return _act(question_id, moderation.approve, _("Question approved"))


@bp.route("/mayor/questions/<int:question_id>/reject", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_reject(question_id: int) -> Response | str:
    """Do not take a question forward, with a reason."""
    form = RejectForm(prefix="reject")
    if not form.validate():
        return _render_question(_question(question_id), reject_form=form)
    return _act(question_id, lambda q, me: moderation.reject(q, me, form.reason.data,
                                                             form.note.data or ""),
                _("Question not taken forward"))


@bp.route("/mayor/questions/<int:question_id>/wording", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_wording(question_id: int) -> Response | str:
    """Edit the public wording (the original is kept)."""
    form = WordingForm(prefix="wording")
    if not form.validate():
        return _render_question(_question(question_id), wording_form=form)
    return _act(question_id, lambda q, me: moderation.edit_wording(q, me, form.wording.data),
                _("Public wording saved"))


@bp.route("/mayor/questions/<int:question_id>/redact", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_redact(question_id: int) -> Response:
    """Remove the suggested personal data from the public wording."""
    return _act(question_id, moderation.apply_redaction, _("Personal data removed"))


@bp.route("/mayor/questions/<int:question_id>/duplicate", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_duplicate(question_id: int) -> Response | str:
    """Mark a question as a duplicate of another."""
    form = DuplicateForm(prefix="duplicate")
    if not form.validate():
        return _render_question(_question(question_id), duplicate_form=form)
    return _act(question_id, lambda q, me: moderation.mark_duplicate(q, me, form.original.data),
                _("Marked as a duplicate"))


@bp.route("/mayor/questions/<int:question_id>/assign", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_assign(question_id: int) -> Response | str:
    """Assign to an officer or partner organisation with a due date."""
    question = _question(question_id)
    form = AssignForm(prefix="assign")
    if not form.validate():
        return _render_question(question, assign_form=form)
    chosen = form.officer.data or ""
    officer = queue.get_officer(int(chosen)) if chosen.isdigit() and len(chosen) < 10 else None
    if chosen and officer is None:
        form.officer.errors = [_error_text(MayorError("officer_inactive"))]
        return _render_question(question, assign_form=form)
    try:
        moderation.assign(question, staff_user(), form.due_on.entered, officer=officer,
                          organisation=form.organisation.data or "")
    except MayorError as exc:
        if exc.code not in ("officer_inactive", "officer_cannot_answer"):
            flash(_error_text(exc), "error")
            return _back(question)
        form.officer.errors = [_error_text(exc)]
        return _render_question(question, assign_form=form)
    flash(_("Question assigned"), "success")
    return _back(question)


@bp.route("/mayor/questions/<int:question_id>/answer", methods=["POST"])
@staff_required(*ASSIGNEES)
def mayor_draft(question_id: int) -> Response | str:
    """The assigned officer drafts the answer."""
    form = AnswerForm(prefix="answer")
    if not form.validate():
        return _render_question(_question(question_id), answer_form=form)
    return _act(question_id, lambda q, me: answers.draft_answer(q, me, form.answer.data),
                _("Draft answer saved"))


@bp.route("/mayor/questions/<int:question_id>/approve-answer", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_approve_answer(question_id: int) -> Response:
    """Approve the drafted answer (the resident is emailed if they gave an address)."""
    return _act(question_id, answers.approve_answer, _("Answer approved"))


@bp.route("/mayor/questions/<int:question_id>/publish", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_publish(question_id: int) -> Response:
    """Publish the question and its answer."""
    return _act(question_id, answers.publish, _("Question and answer published"))


@bp.route("/mayor/new", methods=["GET", "POST"])
@staff_required(*ENTRY)
def mayor_enter() -> str | Response:
    """Enter a question on a resident's behalf (phone, event, paper)."""
    form = AssistedQuestionForm()
    prepare_question_form(form)
    if form.validate_on_submit():
        data = question_input(form, channel=form.channel.data, event=form.event.data or "")
        question = submission.enter_question(data, staff_user())
        flash(_("Question saved with reference %(reference)s", reference=question.reference),
              "success")
        return redirect(url_for("staff.mayor_enter"), code=303)
    return render_template("staff/mayor/new.html", form=form)


@bp.route("/mayor/topics", methods=["GET", "POST"])
@staff_required(*MODERATORS)
def mayor_topics() -> str | Response:
    """The topics residents choose from: add, hide or show."""
    form = TopicForm()
    error = None
    if form.validate_on_submit():
        try:
            queue.add_topic(staff_user(), form.name_en.data, form.name_bn.data or "")
        except MayorError as exc:
            error = _error_text(exc)
        else:
            flash(_("Topic added"), "success")
            return redirect(url_for("staff.mayor_topics"), code=303)
    return render_template("staff/mayor/topics.html", form=form, topics=public.all_topics(),
                           topic_error=error)


@bp.route("/mayor/topics/<int:topic_id>/toggle", methods=["POST"])
@staff_required(*MODERATORS)
def mayor_topic_toggle(topic_id: int) -> Response:
    """Hide a topic from the resident form, or show it again."""
    form = TopicToggleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        queue.set_topic_active(staff_user(), topic_id, form.active.data == "1")
    except MayorError as exc:
        flash(_error_text(exc), "error")
    return redirect(url_for("staff.mayor_topics"), code=303)


@bp.route("/mayor/settings", methods=["GET", "POST"])
@staff_required("admin")
def mayor_settings() -> str | Response:
    """Separation of duties: whether the person who drafted an answer may approve it."""
    form = ApproverRuleForm()
    if form.validate_on_submit():
        settings.set_flag(staff_user(), settings.SEPARATE_MAYOR_DUTIES, form.separate.data == "on")
        flash(_("Setting saved"), "success")
        return redirect(url_for("staff.mayor_settings"), code=303)
    separate = settings.flag(settings.SEPARATE_MAYOR_DUTIES)
    items = [{"value": choice.value, "text": choice.label,
              "checked": (choice.value == "on") == separate} for choice in form.separate.choices]
    return render_template("staff/mayor/settings.html", form=form, items=items,
                           error=form.separate.errors[0] if form.separate.errors else None)
