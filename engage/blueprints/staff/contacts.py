"""Routes: /staff/surveys/<slug>/contacts, a survey's contact list (engagement officers and
admins): upload a CSV (all or nothing), send invitations and reminders as background jobs,
plan a reminder, read back GOV.UK Notify's statuses, remove a person. Reading the list is
audited (personal data)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.paging import neighbour_cursors, page_arg, pager
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import allow_upload
from engage.blueprints.staff.group_sessions import ward_names
from engage.blueprints.staff.jobs import after_start
from engage.forms import messages, options
from engage.forms.contacts import ContactUploadForm, EraseContactForm, ReminderForm, SendForm
from engage.i18n import available_languages
from engage.models import Survey
from engage.models._types import utcnow
from engage.routing import int_arg
from engage.services.collect import contact_sending, contacts

OFFICERS = ("engagement_officer",)
Page = str | Response | tuple[str, int]




def _ip() -> str:
    return request.remote_addr or ""


def _survey(slug: str) -> Survey:
    return found_or_404(contacts.survey_by_slug(slug))


def _page(survey: Survey, status: int = 200, **forms: Any) -> tuple[str, int]:
    version = contacts.latest_version(survey.id)
    rows, shown = contacts.page_of_contacts(survey.id, page_arg(), staff_user(), _ip(),
                                            after=int_arg("after"), before=int_arg("before"))
    # Previous and next pages found by key from the first and last contact shown.
    cursors = neighbour_cursors(shown.page, shown.pages, rows[0].id if rows else None,
                                rows[-1].id if rows else None)
    context: dict[str, Any] = {
        "upload_form": ContactUploadForm(), "reminder_form": ReminderForm(),
        "erase_form": EraseContactForm(), "problems": [], **forms}
    return render_template(
        "staff/contacts/contacts.html", survey=survey, version=version,
        counts=contacts.counts(survey.id), rows=rows, page=shown.page,
        pager=pager(shown.page, shown.pages, "staff.contacts_page", cursors=cursors,
                    slug=survey.slug),
        reminders=contact_sending.scheduled(survey.id), wards=ward_names(),
        delivery_labels=messages.DELIVERY_LABELS, notify=contact_sending.uses_notify(),
        language_names=available_languages(), **context), status


@bp.route("/surveys/<slug>/contacts")
@staff_required(*OFFICERS)
def contacts_page(slug: str) -> Page:
    """The list: counts, sending, reminders, each contact's delivery, and the forms."""
    return _page(_survey(slug))


def _problem_texts(problems: list[contacts.Problem]) -> list[str]:
    texts = [str(messages.CONTACT_PROBLEMS[p.code]) % {"row": p.row}
             for p in problems[:contacts.MAX_REPORTED]]
    if len(problems) > contacts.MAX_REPORTED:
        texts.append(_(str(messages.CONTACT_PROBLEMS_MORE),
                       count=len(problems) - contacts.MAX_REPORTED))
    return texts


@bp.route("/surveys/<slug>/contacts/upload", methods=["POST"])
@allow_upload(contacts.MAX_BYTES + 64 * 1024)
@staff_required(*OFFICERS)
def contacts_upload(slug: str) -> Page:
    """Add a CSV of contacts: every row checked, nothing saved if any row is wrong."""
    survey = _survey(slug)
    form = ContactUploadForm()
    if not form.validate_on_submit():
        return _page(survey, 400, upload_form=form)
    data = form.upload.data.read(contacts.MAX_BYTES + 1)
    try:
        added = contacts.upload(survey.id, data, staff_user(), _ip())
    except contacts.UploadRefused as refused:
        texts = _problem_texts(refused.problems)
        form.upload.errors = [texts[0]]
        return _page(survey, 400, upload_form=form, problems=texts)
    flash(_("%(count)s contacts added", count=added), "success")
    return redirect(url_for("staff.contacts_page", slug=slug), code=303)


@bp.route("/surveys/<slug>/contacts/send", methods=["POST"])
@staff_required(*OFFICERS)
def contacts_send(slug: str) -> Page:
    """Send invitations to contacts not yet invited, or a reminder now (kind=reminder)."""
    survey = _survey(slug)
    form = SendForm()
    form.kind.choices = options((kind, kind) for kind in contact_sending.KINDS)
    if not form.validate_on_submit():
        abort(400)
    kind = form.kind.data
    if contacts.latest_version(survey.id) is None:
        flash(_("Publish the survey before sending invitations"), "warning")
        return redirect(url_for("staff.contacts_page", slug=slug), code=303)
    job = contact_sending.start(survey.id, kind, staff_user(), _ip())
    return after_start(job)


@bp.route("/surveys/<slug>/contacts/reminders", methods=["POST"])
@staff_required(*OFFICERS)
def contacts_schedule(slug: str) -> Page:
    """Plan a reminder for a date and time (sent by `flask send-reminders`)."""
    survey = _survey(slug)
    form = ReminderForm()
    if form.validate_on_submit():
        hour, minute = (int(part) for part in form.time.data.split(":"))
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        day = form.day.entered
        due = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)
        if due <= utcnow():
            form.day.errors = [str(messages.REMINDER_IN_PAST)]
        else:
            contact_sending.schedule_reminder(survey.id, due, staff_user(), _ip())
            flash(_("Reminder planned"), "success")
            return redirect(url_for("staff.contacts_page", slug=slug), code=303)
    return _page(survey, 400, reminder_form=form)


@bp.route("/surveys/<slug>/contacts/statuses", methods=["POST"])
@staff_required(*OFFICERS)
def contacts_statuses(slug: str) -> Page:
    """Read GOV.UK Notify's delivery statuses back (a background job)."""
    survey = _survey(slug)
    return after_start(contact_sending.refresh_statuses(survey.id, staff_user()))


@bp.route("/surveys/<slug>/contacts/erase", methods=["POST"])
@staff_required(*OFFICERS)
def contacts_erase(slug: str) -> Page:
    """Remove a person (by email address or mobile number) from the list, with their links."""
    survey = _survey(slug)
    form = EraseContactForm()
    if form.validate_on_submit():
        try:
            removed = contacts.erase(survey.id, form.address.data, staff_user(), _ip())
        except ValueError:
            form.address.errors = [str(messages.ENTER_CONTACT_ADDRESS)]
        else:
            if removed:
                flash(_("This person has been removed from the list"), "success")
            else:
                flash(_("Nobody with this address is on the list"), "info")
            return redirect(url_for("staff.contacts_page", slug=slug), code=303)
    return _page(survey, 400, erase_form=form)
