"""Routes: theme analysis (/staff/themes): runs, the theme list, a theme's page, edits, equity."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, paging, staff_required, staff_user
from engage.blueprints.paging import page_arg
from engage.blueprints.staff import bp
from engage.forms import messages
from engage.forms.messages import LANGUAGE_NAMES
from engage.forms.themes import (
    ButtonForm,
    CommentForm,
    FlagForm,
    MergeForm,
    MoveForm,
    RenameForm,
    RunForm,
    SplitForm,
)
from engage.models import Theme, ThemeRun
from engage.routing import int_arg
from engage.services.code.coding import views as coding_views
from engage.services.code.themes import edits, equity, publication, runs, sources, views
from engage.services.code.themes.edits import ThemeEditError
from engage.services.platform import results_policy
from surveys import default_wards

VIEWERS = ("analyst", "engagement_officer", "group_member", "partner_viewer")
EDITORS = ("analyst",)
COMMENTERS = ("analyst", "group_member")




def _run(run_id: int) -> ThemeRun:
    run = found_or_404(runs.get_run(run_id))
    if not results_policy.may_see_run(current_user, run.id):
        abort(403)  # a run mixes its surveys' texts: shown only to those who see them all
    return run


def _theme(theme_id: int) -> Theme:
    from engage.extensions import db

    theme = db.get_or_404(Theme, theme_id)
    if _run(theme.run_id).status != "succeeded":
        abort(404)  # a run still storing its results (or one that failed) shows no themes
    return theme


def _visible(rows: list[ThemeRun]) -> list[ThemeRun]:
    return [r for r in rows if results_policy.may_see_run(current_user, r.id)]


def _coded() -> dict[str, Any]:
    """The coded results shown beside the themes: final codeframes the viewer may see."""
    user = staff_user()
    # Analysts, who edit themes, are also who may open the coding pages (coding.CODERS).
    return {"coded": coding_views.final_results(user), "can_code": user.has_role(*EDITORS)}


def _error(exc: ThemeEditError) -> str:
    return str(messages.THEME_ERRORS.get(exc.code, messages.THEME_ERROR_DEFAULT))


# ---------------------------------------------------------------- runs


@bp.route("/themes")
@staff_required(*VIEWERS)
def themes_index() -> str | Response:
    """The current results, or how to start when there are none."""
    run = runs.current_run()
    if run is not None and results_policy.may_see_run(current_user, run.id):
        return redirect(url_for("staff.themes_run", run_id=run.id))
    return render_template("staff/themes/index.html", latest=_visible(runs.all_runs(5)),
                           status_labels=messages.RUN_STATUS_LABELS, **_coded())


@bp.route("/themes/runs")
@staff_required(*VIEWERS)
def themes_runs() -> str:
    """Every analysis run, newest first."""
    return render_template("staff/themes/runs.html", rows=_visible(runs.all_runs()),
                           current=runs.current_run(), status_labels=messages.RUN_STATUS_LABELS)


def _source_choices() -> list[tuple[str, Any]]:
    """The sources the analyst may analyse: survey texts only of surveys whose results they see."""
    found = sources.choices()

    def survey_of(key: str) -> int | None:
        kind, _sep, rest = key.partition(":")
        number = rest.partition(":")[0]
        return int(number) if kind == "survey" and number.isdigit() else None

    seen = results_policy.visible_ids(current_user, {survey_of(k) for k, _label in found})
    return [(k, label) for k, label in found
            if not k.startswith("survey:") or survey_of(k) in seen]


def _run_form() -> RunForm:
    form = RunForm()
    form.sources.choices = _source_choices()
    form.versions.choices = sources.wave_choices()
    form.channels.choices = [(c, str(label)) for c, label in
                             messages.THEME_CHANNEL_LABELS.items()]
    form.wards.choices = [(w.id, w.text.get("en", w.id)) for w in default_wards()]
    return form


@bp.route("/themes/runs/new", methods=["GET", "POST"])
@staff_required(*EDITORS)
def themes_run_new() -> str | Response:
    """Choose sources, filters and the number of themes; start the run as a background job."""
    form = _run_form()
    current = runs.current_run()
    if form.validate_on_submit():
        filters = sources.Filters(
            version_ids=tuple(int(v) for v in form.versions.data or ()),
            channels=tuple(form.channels.data or ()), wards=tuple(form.wards.data or ()),
            date_from=form.date_from.data, date_to=form.date_to.data)
        n = (form.n_themes.data or "").strip()
        try:
            run = runs.start_run(staff_user(), list(form.sources.data), filters,
                                 n_themes=int(n) if n else None,
                                 previous=current if form.build_on.data == "yes" else None)
        except runs.RunError as exc:
            form.sources.errors = [str(messages.THEME_ERRORS.get(exc.code,
                                                                   messages.THEME_ERROR_DEFAULT))]
        else:
            return redirect(url_for("staff.job_page", job_id=run.job_id), code=303)
    return render_template("staff/themes/run_new.html", form=form, current=current)


@bp.route("/themes/runs/<int:run_id>")
@staff_required(*VIEWERS)
def themes_run(run_id: int) -> str:
    """A run's themes (sortable), what changed, the history and open flags."""
    run = _run(run_id)
    sort = request.args.get("sort", "size")
    if sort not in views.SORTS:
        sort = "size"
    user = staff_user()
    rows = views.theme_list(run, user, sort) if run.status == "succeeded" else []
    history = edits.history(run, 50)
    names = views.user_names({e.actor_id for e in history} | {e.undone_by_id for e in history})
    undoable = edits.undoable(run)
    return render_template(
        "staff/themes/run.html", run=run, rows=rows, sort=sort, history=history, names=names,
        undoable=undoable, undo_form=ButtonForm(), flags=views.flags(run, user),
        current=runs.current_run(), can_edit=user.has_role(*EDITORS),
        kind_labels=messages.EDIT_KIND_LABELS, status_labels=messages.RUN_STATUS_LABELS,
        **_coded())


@bp.route("/themes/runs/<int:run_id>/undo", methods=["POST"])
@staff_required(*EDITORS)
def themes_undo(run_id: int) -> Response:
    """Undo the run's latest edit."""
    run = _run(run_id)
    form = ButtonForm()
    if form.validate_on_submit():
        latest = edits.undoable(run)
        if latest is None:
            flash(str(messages.THEME_ERRORS["not_latest"]), "error")
        else:
            try:
                edits.undo(latest, staff_user())
            except ThemeEditError as exc:
                flash(_error(exc), "error")
            else:
                flash(_("Change undone"), "success")
    return redirect(url_for("staff.themes_run", run_id=run.id), code=303)


# ---------------------------------------------------------------- one theme


def _theme_page(theme: Theme, status: int = 200, **forms: Any) -> tuple[str, int]:
    user = staff_user()
    search = (request.args.get("q") or "")[:100]
    texts, shown = views.theme_texts(theme, user, page_arg(), search, after=int_arg("after"),
                                     before=int_arg("before"))
    others = views.other_themes(theme)
    target_choices = [("", _("Select a theme"))] + [(str(t.id), t.label) for t in others]
    merge_form = forms.get("merge_form") or MergeForm(prefix="merge")
    merge_form.target.choices = target_choices
    move_form = forms.get("move_form") or MoveForm(prefix="move")
    move_form.target.choices = target_choices
    rename_form = forms.get("rename_form") or RenameForm(prefix="rename", data={
        "label": theme.label, "description": theme.description})
    errors: list[tuple[str, str]] = []
    for form in forms.values():
        for field in form:
            if field.errors:
                errors.append((field.id, str(field.errors[0])))
    run = _run(theme.run_id)
    comments = edits.comments(theme)
    # Previous and next pages found by key from the first and last text shown.
    cursors = paging.neighbour_cursors(shown.page, shown.pages,
                                       texts[0].id if texts else None,
                                       texts[-1].id if texts else None)
    pager = paging.pager(shown.page, shown.pages, "staff.themes_theme", anchor="texts",
                         cursors=cursors, theme_id=theme.id, q=search or None)
    return render_template(
        "staff/themes/theme.html", theme=theme, run=run, texts=texts, total=shown.total,
        page=shown.page, pages=shown.pages, pager=pager, search=search, rename_form=rename_form,
        merge_form=merge_form,
        split_form=forms.get("split_form") or SplitForm(prefix="split"), move_form=move_form,
        button_form=ButtonForm(),
        comment_form=forms.get("comment_form") or CommentForm(prefix="comment"),
        comments=comments, names=views.user_names({c.author_id for c in comments}),
        quotes=views.theme_quotes(theme, user),
        page_errors=errors, can_edit=user.has_role(*EDITORS),
        can_comment=user.has_role(*COMMENTERS), source_labels=messages.SOURCE_LABELS,
        sees_personal=views.sees_personal_data(user), language_names=LANGUAGE_NAMES,
        language_split=equity.language_split(theme)), status


@bp.route("/themes/<int:theme_id>")
@staff_required(*VIEWERS)
def themes_theme(theme_id: int) -> tuple[str, int]:
    """A theme: its figures and texts (paginated, searchable), and the edit forms."""
    return _theme_page(_theme(theme_id))


def _done(theme: Theme, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("staff.themes_theme", theme_id=theme.id), code=303)


@bp.route("/themes/<int:theme_id>/rename", methods=["POST"])
@staff_required(*EDITORS)
def themes_rename(theme_id: int) -> Response | tuple[str, int]:
    """Rename and describe a theme."""
    theme = _theme(theme_id)
    form = RenameForm(prefix="rename")
    if form.validate_on_submit():
        try:
            edits.rename(theme, staff_user(), form.label.data, form.description.data or "")
        except ThemeEditError as exc:
            form.label.errors = [_error(exc)]
        else:
            return _done(theme, _("Theme renamed"))
    return _theme_page(theme, 400, rename_form=form)


@bp.route("/themes/<int:theme_id>/merge", methods=["POST"])
@staff_required(*EDITORS)
def themes_merge(theme_id: int) -> Response | tuple[str, int]:
    """Merge this theme into another."""
    theme = _theme(theme_id)
    form = MergeForm(prefix="merge")
    form.target.choices = [("", "")] + [(str(t.id), t.label) for t in views.other_themes(theme)]
    if form.validate_on_submit():
        target = _theme(int(form.target.data))
        try:
            edits.merge(theme, target, staff_user())
        except ThemeEditError as exc:
            form.target.errors = [_error(exc)]
        else:
            return _done(target, _("Themes merged"))
    return _theme_page(theme, 400, merge_form=form)


@bp.route("/themes/<int:theme_id>/split", methods=["POST"])
@staff_required(*EDITORS)
def themes_split(theme_id: int) -> Response | tuple[str, int]:
    """Split this theme: the engine re-clusters its texts into new candidate themes."""
    theme = _theme(theme_id)
    form = SplitForm(prefix="split")
    if form.validate_on_submit():
        try:
            edits.split(theme, staff_user(), int(form.parts.data))
        except ThemeEditError as exc:
            form.parts.errors = [_error(exc)]
        else:
            flash(_("Theme split; review the new themes"), "success")
            return redirect(url_for("staff.themes_run", run_id=theme.run_id), code=303)
    return _theme_page(theme, 400, split_form=form)


@bp.route("/themes/<int:theme_id>/move", methods=["POST"])
@staff_required(*EDITORS)
def themes_move(theme_id: int) -> Response | tuple[str, int]:
    """Move the selected texts of this theme to another theme."""
    theme = _theme(theme_id)
    form = MoveForm(prefix="move")
    form.target.choices = [("", "")] + [(str(t.id), t.label) for t in views.other_themes(theme)]
    if form.validate_on_submit():
        target = _theme(int(form.target.data))
        try:
            edits.move(form.texts.data, target, staff_user())
        except ThemeEditError as exc:
            form.texts.errors = [_error(exc)]
        else:
            return _done(theme, _("Texts moved"))
    return _theme_page(theme, 400, move_form=form)


@bp.route("/themes/<int:theme_id>/approve", methods=["POST"])
@staff_required(*EDITORS)
def themes_approve(theme_id: int) -> Response:
    """Approve the theme, or withdraw approval."""
    theme = _theme(theme_id)
    if ButtonForm().validate_on_submit():
        try:
            edits.set_approved(theme, staff_user(), not theme.approved)
        except ThemeEditError as exc:
            flash(_error(exc), "error")
        else:
            flash(_("Theme approved") if theme.approved else _("Approval withdrawn"), "success")
    return redirect(url_for("staff.themes_theme", theme_id=theme.id), code=303)


@bp.route("/themes/quotes/<int:quote_id>/publishable", methods=["POST"])
@staff_required(*EDITORS)
def themes_quote_publishable(quote_id: int) -> Response:
    """Mark a quote publishable (it may reach public pages), or withdraw it."""
    from engage.extensions import db
    from engage.models import ThemeQuote

    quote = db.get_or_404(ThemeQuote, quote_id)
    theme_id = quote.theme_id
    if ButtonForm().validate_on_submit():
        try:
            publication.set_publishable(quote, staff_user(), not quote.publishable)
        except publication.QuoteError:
            flash(str(messages.THEME_ERRORS.get("inactive", messages.THEME_ERROR_DEFAULT)),
                  "error")
        else:
            flash(_("Quote marked as publishable") if quote.publishable
                  else _("Quote withdrawn from publication"), "success")
    return redirect(url_for("staff.themes_theme", theme_id=theme_id) + "#quotes", code=303)


@bp.route("/themes/<int:theme_id>/comment", methods=["POST"])
@staff_required(*COMMENTERS)
def themes_comment(theme_id: int) -> Response | tuple[str, int]:
    """Add a comment to the theme."""
    theme = _theme(theme_id)
    form = CommentForm(prefix="comment")
    if form.validate_on_submit():
        edits.comment(theme, staff_user(), form.body.data)
        return _done(theme, _("Comment added"))
    return _theme_page(theme, 400, comment_form=form)


@bp.route("/themes/runs/<int:run_id>/texts/<int:text_id>/flag", methods=["GET", "POST"])
@staff_required(*EDITORS)
def themes_flag(run_id: int, text_id: int) -> str | Response:
    """Flag a text of the run for attention."""
    from engage.extensions import db
    from engage.models import AnalysisText, RunText

    run = _run(run_id)
    row = db.get_or_404(RunText, (run.id, text_id))
    text = db.get_or_404(AnalysisText, text_id)
    form = FlagForm(data={"text": str(text_id)})
    if form.validate_on_submit():
        try:
            edits.flag_text(run, text_id, staff_user(), form.reason.data)
        except ThemeEditError as exc:
            form.reason.errors = [_error(exc)]
        else:
            flash(_("Text flagged"), "success")
            if row.theme_id:
                return redirect(url_for("staff.themes_theme", theme_id=row.theme_id), code=303)
            return redirect(url_for("staff.themes_run", run_id=run.id), code=303)
    return render_template("staff/themes/flag.html", form=form, run=run, row=row,
                           text=views.shown_text(text, staff_user()))


@bp.route("/themes/<int:theme_id>/equity")
@staff_required(*VIEWERS)
def themes_equity(theme_id: int) -> str:
    """The equity lens of a theme: prevalence by group against the overall rate."""
    theme = _theme(theme_id)
    return render_template("staff/themes/equity.html", theme=theme, run=_run(theme.run_id),
                           lens=equity.lens(theme), labels=messages.DIMENSION_LABELS,
                           group_labels=equity_group_labels(),
                           min_base=results_policy.min_count(),
                           min_highlight=equity.HIGHLIGHT_MIN_TEXTS,
                           language_names=LANGUAGE_NAMES)


def equity_group_labels() -> dict[str, dict[str, str]]:
    """Each equity dimension's group names in the reader's language (wards, demographics,
    channels and languages), so no page shows an internal code."""
    labels = equity.group_labels(str(get_locale() or "en"))
    labels["channel"] = {k: str(v) for k, v in messages.THEME_CHANNEL_LABELS.items()}
    labels["language"] = {k: str(v) for k, v in messages.LANGUAGE_LABELS.items()}
    return labels
