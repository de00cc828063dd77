"""Routes: the survey builder's survey-level pages (create, import, overview, structure moves,
details, demographics, publish and export). Items are edited in builder_items.py, settings and
dates in builder_settings.py, previews in builder_preview.py, translations in
builder_translations.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

import surveys
from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.extensions import csrf
from engage.forms import messages, options
from engage.forms.builder_actions import (
    CopyForm,
    DemographicsForm,
    ItemForm,
    MoveForm,
    details_form,
    new_survey_form,
    typed,
)
from engage.forms.builder_problems import item_label, problem_message
from engage.models import Survey, SurveyDraft
from engage.models._types import utcnow
from engage.services.collect import drafts
from engage.services.collect.published_surveys import InvalidDefinition
from engage.templating import form_errors
from surveys import editing, editing_text

BUILDERS = ("engagement_officer",)
Page = str | WerkzeugResponse | tuple[str, int]


def survey_or_404(slug: str) -> Survey:
    """The survey with this slug, or a 404."""
    return found_or_404(drafts.get_survey(slug))


def draft_or_redirect(slug: str) -> SurveyDraft:
    """The survey's draft; without one, stop and go back to the survey's builder page."""
    survey = survey_or_404(slug)
    if survey.draft is None:
        abort(redirect(url_for("staff.builder_overview", slug=slug), code=303))
    return survey.draft


def languages(draft: SurveyDraft) -> list[str]:
    """The draft's languages, main language first."""
    found = [str(x) for x in draft.definition.get("languages", ["en"])]
    main = str(draft.definition.get("language", found[0] if found else "en"))
    return [main] + [x for x in found if x != main]


def save(draft: SurveyDraft, edit: Any, action: str, **detail: Any) -> bool:
    """Apply an edit; flash why not and return False when it cannot be made."""
    try:
        drafts.change_definition(staff_user(), draft, edit, action, **detail)
    except editing.DefinitionEditError as exc:
        flash(_edit_errors().get(exc.code, _("That change cannot be made")), "error")
        return False
    return True


def _edit_errors() -> dict[str, str]:
    return {
        "first": _("That is already the first one"),
        "last": _("That is already the last one"),
        "not_found": _("That item no longer exists"),
        "last_section": _("A survey needs at least one section"),
        "demographics": _("Questions cannot be added to the demographics block"),
    }


@bp.route("/surveys/new", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_new() -> Page:
    """Create a survey: its web address, title and languages."""
    form = new_survey_form()
    errors: list[tuple[str, str]] = []
    if form.is_submitted():
        form.validate()
        form.slug.errors.extend(message for _id, message in _slug_errors(form.slug.data or ""))
        errors = form_errors(form)
    if form.is_submitted() and not errors:
        slug = form.slug.data
        try:
            drafts.create_survey(staff_user(), slug, form.texts("title", ["en", "bn"]),
                                  form.chosen("en"))
        except drafts.BuilderError:
            errors.append(("slug", str(messages.SURVEY_SLUG_TAKEN)))
        else:
            flash(_("Survey created"), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    return render_template("staff/builder/new.html", page_errors=errors, form=typed(form))


def _slug_errors(slug: str) -> list[tuple[str, str]]:
    """What is wrong with a new survey's web address (none: it can be used)."""
    if not slug:
        return [("slug", str(messages.ENTER_SLUG))]
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) or len(slug) > 60:
        return [("slug", str(messages.SLUG_FORMAT))]
    if drafts.get_survey(slug) is not None:
        return [("slug", str(messages.SURVEY_SLUG_TAKEN))]
    return []


@bp.route("/surveys/<slug>/copy", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_copy(slug: str) -> Page:
    """Copy a survey into a new draft at a new web address (questions, rules and privacy
    settings; never its responses)."""
    survey = survey_or_404(slug)
    if survey.draft is None and drafts.latest_version(survey) is None:
        abort(404)
    form = CopyForm() if request.method == "POST" else CopyForm(data={"slug": f"{slug}-copy"[:60]})
    errors: list[tuple[str, str]] = []
    if form.validate_on_submit():
        new_slug = form.slug.data or ""
        errors = _slug_errors(new_slug)
        if not errors:
            try:
                drafts.copy_survey(staff_user(), survey, new_slug)
            except drafts.BuilderError:
                errors.append(("slug", str(messages.SURVEY_SLUG_TAKEN)))
            else:
                flash(_("Survey copied: this is the new draft"), "success")
                return redirect(url_for("staff.builder_overview", slug=new_slug), code=303)
    status = 400 if errors else 200
    return render_template("staff/builder/copy.html", survey=survey, page_errors=errors,
                           slug=form.slug.raw_data[0] if form.slug.raw_data else form.slug.data
                           ), status


UPLOAD_BODY_LIMIT = 2 * drafts.MAX_IMPORT_BYTES


View = TypeVar("View", bound=Callable[..., Any])


def allow_upload(limit: int) -> Callable[[View], View]:
    """A decorator that allows a route a request body of up to `limit` bytes instead of the
    site's 64 KB, then checks CSRF as usual.

    The global CSRF check reads the body before any view runs, with the global limit, so the
    view is exempted from it and makes the same check itself once the limit is raised.
    """
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request.method == "POST":
                request.max_content_length = limit
                csrf.protect()
            return view(*args, **kwargs)

        csrf.exempt(wrapper)
        return cast(View, wrapper)

    return decorate


larger_upload = allow_upload(UPLOAD_BODY_LIMIT)


@bp.route("/surveys/import", methods=["GET", "POST"])
@larger_upload
@staff_required(*BUILDERS)
def builder_import() -> Page:
    """Import a survey definition (JSON): checked in full, nothing saved if it has problems."""
    errors: list[tuple[str, str]] = []
    problems: list[surveys.Problem] = []
    if request.method == "POST":
        upload = request.files.get("definition")
        data = upload.read(drafts.MAX_IMPORT_BYTES + 1) if upload else b""
        if not upload or not upload.filename:
            errors.append(("definition", str(messages.SELECT_DEFINITION_FILE)))
        else:
            try:
                draft = drafts.import_definition(staff_user(), data)
            except drafts.BuilderError as exc:
                message = {"too_large": messages.FILE_TOO_LARGE,
                           "empty": messages.SELECT_DEFINITION_FILE,
                           "draft_exists": messages.DRAFT_EXISTS}.get(exc.code,
                                                                      messages.FILE_PROBLEMS)
                errors.append(("definition", str(message)))
                problems = exc.problems
            else:
                flash(_("Survey imported as a draft"), "success")
                return redirect(url_for("staff.builder_overview", slug=draft.survey.slug),
                                code=303)
    status = 400 if errors else 200
    return render_template("staff/builder/import.html", page_errors=errors,
                           problems=problems), status


@bp.route("/surveys/<slug>/build")
@staff_required(*BUILDERS)
def builder_overview(slug: str) -> Page:
    """The survey in the builder: its draft's sections, pages and questions, and what to do."""
    survey = survey_or_404(slug)
    draft = survey.draft
    version = drafts.latest_version(survey)
    missing: dict[tuple[str, str], list[str]] = {}
    missing_count: dict[str, int] = {}
    if draft is not None:
        for item in editing_text.missing_translations(draft.definition):
            missing.setdefault((item.kind, item.item_id), []).append(item.language)
            missing_count[item.language] = missing_count.get(item.language, 0) + 1
    return render_template(
        "staff/builder/overview.html", survey=survey, draft=draft,
        version=version, is_open=bool(version and version.is_open(utcnow())), missing=missing,
        missing_count=missing_count, language_names=messages.LANGUAGE_NAMES,
        languages=languages(draft) if draft else [],
        type_labels=messages.TYPE_LABELS, demographic_labels=messages.DEMOGRAPHIC_LABELS,
        editing=editing, pages_count=sum(len(editing.pages(s)) for s in editing.sections(
            draft.definition)) if draft else 0)


@bp.route("/surveys/<slug>/draft", methods=["POST"])
@staff_required(*BUILDERS)
def builder_start_draft(slug: str) -> WerkzeugResponse:
    """Start a new draft from the latest published version (that version stays frozen)."""
    survey = survey_or_404(slug)
    try:
        drafts.start_draft(staff_user(), survey)
    except drafts.BuilderError:
        abort(404)
    flash(_("New draft started. Residents keep seeing the published version until you "
            "publish this one."), "success")
    return redirect(url_for("staff.builder_overview", slug=slug), code=303)


@bp.route("/surveys/<slug>/draft/discard", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_discard(slug: str) -> Page:
    """Throw the draft away (GET asks to confirm)."""
    draft = draft_or_redirect(slug)
    if request.method == "GET":
        return render_template("staff/builder/confirm.html", draft=draft, kind="draft",
                               item_id="", label="",
                               action=url_for("staff.builder_discard", slug=slug))
    had_versions = bool(draft.survey.versions)
    drafts.discard_draft(staff_user(), draft)
    flash(_("Draft discarded"), "success")
    if had_versions:
        return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    return redirect(url_for("staff.surveys"), code=303)


@bp.route("/surveys/<slug>/draft/move", methods=["POST"])
@staff_required(*BUILDERS)
def builder_move(slug: str) -> WerkzeugResponse:
    """Move a section, page or question up or down."""
    draft = draft_or_redirect(slug)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    kind, item_id, direction = form.kind.data, form.id.data or "", form.direction.data
    save(draft, lambda d: editing.move(d, kind, item_id, direction), "move", kind=kind,
         id=item_id, direction=direction)
    return redirect(url_for("staff.builder_overview", slug=slug) + f"#{kind}-{item_id}",
                    code=303)


@bp.route("/surveys/<slug>/draft/delete", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_delete(slug: str) -> Page:
    """Delete a section, page or question (GET asks to confirm)."""
    draft = draft_or_redirect(slug)
    form = ItemForm() if request.method == "POST" else ItemForm(formdata=request.args,
                                                                 meta={"csrf": False})
    if not form.validate():
        abort(400 if request.method == "POST" else 404)
    kind, item_id = form.kind.data, form.id.data or ""
    if request.method == "GET":
        try:
            editing.find(draft.definition, kind, item_id)
        except editing.DefinitionEditError:
            abort(404)
        return render_template("staff/builder/confirm.html", draft=draft, kind=kind,
                               item_id=item_id,
                               label=item_label(draft.definition, kind, item_id),
                               action=url_for("staff.builder_delete", slug=slug))
    if save(draft, lambda d: editing.delete(d, kind, item_id), "delete", kind=kind, id=item_id):
        flash(_("Deleted"), "success")
    return redirect(url_for("staff.builder_overview", slug=slug), code=303)


@bp.route("/surveys/<slug>/draft/details", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_details(slug: str) -> Page:
    """The survey's title, description, languages, time to answer and page layout."""
    draft = draft_or_redirect(slug)
    langs = languages(draft)
    form = details_form(langs)
    if form.validate_on_submit():
        title = form.texts("title", langs)
        description = form.texts("description", langs)
        chosen = form.chosen(langs[0])
        minutes = int(form.estimated_minutes.data) if form.estimated_minutes.data else None
        layout = form.layout.data if form.layout.data in ("one-question", "grouped") \
            else "one-question"
        per_page = (int(form.max_questions_per_page.data)
                    if form.max_questions_per_page.data else None)

        def edit(d: dict[str, Any]) -> dict[str, Any]:
            editing.set_text(d, "title", title)
            editing.set_text(d, "description", description)
            d["languages"] = chosen
            if minutes:
                d["estimated_minutes"] = minutes
            else:
                d.pop("estimated_minutes", None)
            d["settings"] = {"layout": layout}
            if layout == "grouped" and per_page:
                d["settings"]["max_questions_per_page"] = per_page
            return d

        save(draft, edit, "details")
        flash(_("Survey details saved"), "success")
        return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    errors = form_errors(form)
    return render_template("staff/builder/details.html", draft=draft, langs=langs,
                           page_errors=errors, form=typed(form) if errors else None)


@bp.route("/surveys/<slug>/draft/demographics", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_demographics(slug: str) -> Page:
    """Insert (or change, or remove) the standard demographics block at the end."""
    draft = draft_or_redirect(slug)
    form = DemographicsForm()
    form.include.choices = options((name, name) for name in surveys.DEMOGRAPHIC_NAMES)
    if form.validate_on_submit():
        include = form.included()
        save(draft, lambda d: editing.set_demographics(d, include), "demographics",
             include=include)
        flash(_("Demographic questions saved") if include else
              _("Demographic questions removed"), "success")
        return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    return render_template("staff/builder/demographics.html", draft=draft,
                           included=editing.demographics_included(draft.definition),
                           labels=messages.DEMOGRAPHIC_LABELS, names=surveys.DEMOGRAPHIC_NAMES)


def problem_link(draft: SurveyDraft, problem: surveys.Problem) -> str:
    """The builder page that fixes a problem."""
    slug = draft.survey.slug
    definition = draft.definition
    if problem.kind == "settings":
        return url_for("staff.builder_settings", slug=slug)
    demographics = editing.demographics_id(definition)
    kind, item_id = "survey", ""
    for candidate_kind, candidate in (("question", problem.question), ("page", problem.page),
                                      ("section", problem.section)):
        if candidate:
            kind, item_id = candidate_kind, candidate
            break
    else:
        kind, item_id = editing_text.locate(definition, problem.path)
    if demographics and (item_id == demographics or item_id.startswith(demographics + "-")):
        return url_for("staff.builder_demographics", slug=slug)
    try:
        editing.find(definition, kind, item_id)
    except editing.DefinitionEditError:
        kind, item_id = editing_text.locate(definition, problem.path)
    if kind == "question":
        return url_for("staff.builder_question", slug=slug, question_id=item_id)
    if kind == "page":
        return url_for("staff.builder_page", slug=slug, page_id=item_id)
    if kind == "section":
        return url_for("staff.builder_section", slug=slug, section_id=item_id)
    return url_for("staff.builder_details", slug=slug)


@bp.route("/surveys/<slug>/draft/publish", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_publish(slug: str) -> Page:
    """Check the draft with the engine; publish it when nothing is wrong."""
    draft = draft_or_redirect(slug)
    if request.method == "POST":
        try:
            version = drafts.publish_draft(staff_user(), draft)
        except InvalidDefinition:
            pass
        else:
            flash(_("Version %(number)s published", number=version.number), "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    checked = drafts.check_draft(draft)
    problems = [(problem_link(draft, p), problem_message(draft.definition, p), p.path)
                for p in checked.problems]
    warnings = [(problem_link(draft, p), problem_message(draft.definition, p), p.path)
                for p in checked.warnings]
    status = 400 if request.method == "POST" else 200
    return render_template("staff/builder/publish.html", draft=draft, problems=problems,
                           warnings=warnings), status


@bp.route("/surveys/<slug>/definition.json")
@staff_required(*BUILDERS)
def builder_export(slug: str) -> Response:
    """Download the draft's definition (or the latest version's) as JSON, to import again."""
    survey = survey_or_404(slug)
    holder: Any = survey.draft if request.args.get("version") != "published" else None
    holder = found_or_404(holder or drafts.latest_version(survey))
    response = Response(drafts.export_definition(holder.definition),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
