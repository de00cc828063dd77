"""Paper keying: /staff/paper — one sheet after another, second keying and its disagreements.

The whole questionnaire is on one page; the engine validates it page by page along the routing
(engage.services.collect.paper.validate_sheet), so a keyed sheet meets the same rules as online,
except that any question may be left blank: a box left empty on paper is "not answered".
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

import surveys
from engage.blueprints import published_or_404, staff_required, staff_user
from engage.blueprints.residents.rendering import questions_markup
from engage.blueprints.staff import bp
from engage.forms import messages, options
from engage.forms.fieldwork import PaperSheetForm, SheetLookupForm
from engage.forms.survey_page import PageView
from engage.services.collect import channels
from engage.services.collect import paper as sheets
from engage.services.collect.published_surveys import PublishedSurvey
from engage.services.platform.transactions import DatabaseUnavailable
from engage.templating import form_errors

KEYERS = ("engagement_officer", "interviewer")
REPORT_READERS = ("engagement_officer", "analyst")
Page = str | WerkzeugResponse | tuple[str, int]




def _screen_language(published: PublishedSurvey) -> str:
    """Questions show in the staff member's language when the survey has it."""
    lang = str(get_locale() or "en")
    return lang if lang in published.definition.languages else published.definition.language


def _title(published: PublishedSurvey) -> str:
    return surveys.localise(published.definition.title, _screen_language(published),
                            published.definition.language)


def _sections(published: PublishedSurvey, values: Any,
              errors: dict[str, str]) -> list[tuple[str, list[Any]]]:
    """Every page's questions, section by section, as on the paper form."""
    definition = published.definition
    lang = _screen_language(published)
    found = []
    for section in definition.sections:
        parts = []
        for page in section.pages:
            view = PageView(definition, page.id, [q.id for q in page.questions], values, errors,
                            lang, embedded=True)
            parts.append(questions_markup(published.version_id, view))
        found.append((surveys.localise(section.title, lang, definition.language), parts))
    return found


def _sheet_errors(published: PublishedSurvey, result: sheets.SheetResult) -> list[
        tuple[str, str]]:
    return [(e.field, _(e.message) % e.params) for e in result.errors]


@bp.route("/paper")
@staff_required(*KEYERS, *REPORT_READERS)
def paper() -> str:
    """Surveys whose paper questionnaires can be keyed."""
    return render_template("staff/paper/index.html", found=sheets.published_surveys(),
                           title_of=_title)


@bp.route("/paper/<slug>", methods=["GET", "POST"])
@staff_required(*KEYERS)
def paper_key(slug: str) -> Page:
    """Key one paper sheet; on success the form comes back empty, the batch kept."""
    published = published_or_404(slug)
    definition = published.definition
    if request.method == "GET":
        batch = channels.clean_label(request.args.get("batch"), channels.BATCH_MAX)
        language = request.args.get("language", definition.language)
        return _key_page(published, {}, [], batch, "",
                         language if language in definition.languages else definition.language)
    sheet_form = PaperSheetForm()
    sheet_form.language.choices = options((code, code) for code in definition.languages)
    sheet_form.validate_on_submit()
    batch, sheet = sheet_form.batch.data or "", sheet_form.sheet_number.data or ""
    language = sheet_form.language.data or ""
    if batch and not sheet_form.sheet_number.errors and sheets.sheet_taken(
            published.survey_id, channels.clean_label(batch, channels.BATCH_MAX),
            channels.clean_label(sheet, sheets.SHEET_MAX)):
        sheet_form.sheet_number.errors.append(_duplicate(batch, sheet))
    errors = form_errors(sheet_form)
    form = request.form.to_dict(flat=False)
    result = sheets.validate_sheet(definition, form, _screen_language(published))
    errors.extend(_sheet_errors(published, result))
    if not errors:
        try:
            reference = sheets.record_paper(published, result.answers, language=language,
                                              batch=batch, sheet_number=sheet,
                                              keyed_by=staff_user(),
                                              ip_address=request.remote_addr or "")
        except sheets.DuplicateSheet:
            errors.append(("sheet_number", _duplicate(batch, sheet)))
        except DatabaseUnavailable:
            abort(503)
        else:
            flash(_("Sheet %(sheet)s saved with reference %(reference)s",
                    sheet=channels.clean_label(sheet, sheets.SHEET_MAX), reference=reference),
                  "success")
            return redirect(url_for("staff.paper_key", slug=slug,
                                    batch=channels.clean_label(batch, channels.BATCH_MAX),
                                    language=language), code=303)
    return _key_page(published, form, errors, batch, sheet, language), 400


def _duplicate(batch: str, sheet: str) -> str:
    return str(messages.SHEET_ALREADY_KEYED) % {
        "sheet": channels.clean_label(sheet, sheets.SHEET_MAX),
        "batch": channels.clean_label(batch, channels.BATCH_MAX)}


def _language_items(published: PublishedSurvey, chosen: str) -> list[dict[str, Any]]:
    from flask import current_app

    names: dict[str, str] = current_app.config["LANGUAGES"]
    return [{"value": code, "text": names.get(code, code), "checked": code == chosen,
             "attributes": {"lang": code}} for code in published.definition.languages]


def _key_page(published: PublishedSurvey, values: Any, errors: list[tuple[str, str]],
              batch: str, sheet: str, language: str) -> str:
    return render_template("staff/paper/key.html", survey=published, title=_title(published),
                           sections=_sections(published, values, dict(errors)),
                           page_errors=errors, errs=dict(errors), batch=batch, sheet=sheet,
                           language_items=_language_items(published, language))


@bp.route("/paper/<slug>/second")
@staff_required(*KEYERS)
def paper_second(slug: str) -> Page:
    """Choose a sheet to key a second time (a sample is suggested)."""
    published = published_or_404(slug)
    lookup = SheetLookupForm(formdata=request.args)
    batch, sheet = lookup.batch.data or "", lookup.sheet_number.data or ""
    errors: list[tuple[str, str]] = []
    if "sheet_number" in request.args:
        if lookup.validate():
            try:
                first = sheets.paper_sheet(published, batch, sheet)
            except sheets.SheetNotFound:
                lookup.sheet_number.errors.append(
                    str(messages.SHEET_NOT_FOUND) % {"sheet": sheet, "batch": batch})
            else:
                return redirect(url_for("staff.paper_rekey", slug=slug, response_id=first.id),
                                code=303)
        errors = form_errors(lookup)
    body = render_template("staff/paper/second.html", survey=published, title=_title(published),
                           sample=sheets.rekey_sample(published), batch=batch, sheet=sheet,
                           page_errors=errors, errs=dict(errors))
    return (body, 400) if errors else body


@bp.route("/paper/<slug>/second/<int:response_id>", methods=["GET", "POST"])
@staff_required(*KEYERS)
def paper_rekey(slug: str, response_id: int) -> Page:
    """Key a sheet again, without seeing the first keying."""
    published = published_or_404(slug)
    try:
        first = sheets.paper_response(published, response_id)
    except sheets.SheetNotFound:
        abort(404)
    back = url_for("staff.paper_second", slug=slug)
    if sheets.is_rekeyed(first.id):
        flash(_("Sheet %(sheet)s has already been keyed a second time.",
                sheet=first.sheet_number), "error")
        return redirect(back, code=303)
    if first.entered_by_id == staff_user().id:
        flash(_("You keyed sheet %(sheet)s the first time. Someone else must key it again.",
                sheet=first.sheet_number), "error")
        return redirect(back, code=303)
    values: Any = {}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        values = request.form.to_dict(flat=False)
        result = sheets.validate_sheet(published.definition, values,
                                         _screen_language(published))
        errors = _sheet_errors(published, result)
        if not errors:
            try:
                sheets.record_rekey(published, first, result.answers, keyed_by=staff_user(),
                                      ip_address=request.remote_addr or "")
            except sheets.AlreadyRekeyed:
                flash(_("Sheet %(sheet)s has already been keyed a second time.",
                        sheet=first.sheet_number), "error")
                return redirect(back, code=303)
            except DatabaseUnavailable:
                abort(503)
            flash(_("Second keying of sheet %(sheet)s saved", sheet=first.sheet_number),
                  "success")
            return redirect(back, code=303)
    body = render_template("staff/paper/rekey.html", survey=published, title=_title(published),
                           first=first, sections=_sections(published, values, dict(errors)),
                           page_errors=errors)
    return (body, 400) if errors else body


@bp.route("/paper/<slug>/disagreements")
@staff_required(*REPORT_READERS)
def paper_disagreements(slug: str) -> str:
    """Where the second keying disagrees with the first, per question and sheet by sheet."""
    published = published_or_404(slug)
    report = sheets.rekey_report(published, _screen_language(published))
    return render_template("staff/paper/disagreements.html", survey=published,
                           title=_title(published), report=report)
