"""Routes: the survey builder's item pages (sections, questions, pages, skip and routing rules)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import staff_required
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import BUILDERS, Page, draft_or_redirect, languages, save
from engage.forms import builder as forms
from engage.forms import builder_conditions as conditions
from engage.forms.builder_actions import typed
from engage.forms.messages import OPERATOR_LABELS, TYPE_LABELS
from engage.models import SurveyDraft
from engage.templating import form_errors
from surveys import editing, editing_rules
from surveys import types as t


def _item(draft: SurveyDraft, kind: str, item_id: str) -> dict[str, Any]:
    try:
        return editing.get(draft.definition, kind, item_id)
    except editing.DefinitionEditError:
        abort(404)


def _overview(slug: str, anchor: str = "") -> Response:
    return redirect(url_for("staff.builder_overview", slug=slug) + anchor, code=303)


@bp.route("/surveys/<slug>/draft/sections/new", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_section_new(slug: str) -> Page:
    """Add a section."""
    draft = draft_or_redirect(slug)
    langs = languages(draft)
    form = forms.section_form(langs)
    if form.validate_on_submit():
        title = form.texts("title", langs)
        made: dict[str, str] = {}

        def edit(d: dict[str, Any]) -> dict[str, Any]:
            changed, made["id"] = editing.add_section(d, title)
            return changed

        save(draft, edit, "section.add")
        flash(_("Section added"), "success")
        return _overview(slug, f"#section-{made.get('id', '')}")
    errors = form_errors(form)
    return render_template("staff/builder/section.html", draft=draft, langs=langs, section=None,
                           page_errors=errors, form=typed(form)), 400 if errors else 200


@bp.route("/surveys/<slug>/draft/sections/<section_id>", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_section(slug: str, section_id: str) -> Page:
    """Edit a section's title and description."""
    draft = draft_or_redirect(slug)
    section = _item(draft, "section", section_id)
    if section.get("type") == "demographics":
        return redirect(url_for("staff.builder_demographics", slug=slug), code=303)
    langs = languages(draft)
    form = forms.section_form(langs)
    if form.validate_on_submit():
        title, description = form.texts("title", langs), form.texts("description", langs)

        def edit(d: dict[str, Any]) -> dict[str, Any]:
            target = editing.get(d, "section", section_id)
            editing.set_text(target, "title", title)
            editing.set_text(target, "description", description)
            return d

        save(draft, edit, "section.edit", id=section_id)
        flash(_("Section saved"), "success")
        return _overview(slug, f"#section-{section_id}")
    errors = form_errors(form)
    return render_template("staff/builder/section.html", draft=draft, langs=langs,
                           section=section, page_errors=errors,
                           form=typed(form) if errors else None), 400 if errors else 200


@bp.route("/surveys/<slug>/draft/questions/new", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_question_new(slug: str) -> Page:
    """Add a question: on a new page at the end of a section, or on an existing page."""
    draft = draft_or_redirect(slug)
    langs = languages(draft)
    section_id = request.values.get("section") or None
    page_id = request.values.get("page") or None
    if section_id is None and page_id is None:
        abort(404)
    _item(draft, "page" if page_id else "section", page_id or section_id or "")
    form = forms.new_question_form(langs)
    if form.validate_on_submit():
        qtype, title = form.type.data, form.texts("title", langs)
        made: dict[str, str] = {}

        def edit(d: dict[str, Any]) -> dict[str, Any]:
            changed, made["id"] = editing.add_question(
                d, qtype=qtype, title=title, section_id=section_id, page_id=page_id)
            return changed

        if save(draft, edit, "question.add", type=qtype):
            flash(_("Question added. Now add its details."), "success")
            return redirect(url_for("staff.builder_question", slug=slug,
                                    question_id=made["id"]), code=303)
        return _overview(slug)
    errors = form_errors(form)
    return render_template("staff/builder/question_new.html", draft=draft, langs=langs,
                           section_id=section_id, page_id=page_id, page_errors=errors,
                           form=typed(form), type_labels=TYPE_LABELS), \
        400 if errors else 200


@bp.route("/surveys/<slug>/draft/questions/<question_id>", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_question(slug: str, question_id: str) -> Page:
    """Edit a question: text in each language side by side, options and limits."""
    draft = draft_or_redirect(slug)
    question = _item(draft, "question", question_id)
    langs = languages(draft)
    form = forms.question_form(question, langs)
    shown = question
    if form.validate_on_submit():
        edited = form.edited(question, langs)

        def edit(d: dict[str, Any]) -> dict[str, Any]:
            target = editing.get(d, "question", question_id)
            target.clear()
            target.update(edited)
            return d

        save(draft, edit, "question.edit", id=question_id)
        if (form.action.data or "save") != "save":  # moved or added a row: stay on the page
            return redirect(url_for("staff.builder_question", slug=slug,
                                    question_id=question_id), code=303)
        flash(_("Question saved"), "success")
        return _overview(slug, f"#question-{question_id}")
    errors = form_errors(form)
    if errors:
        shown = {**question, **form.edited(question, langs)}
    page_id = editing.page_of_question(draft.definition, question_id) or ""
    return render_template(
        "staff/builder/question.html", draft=draft, langs=langs, question=shown,
        page_errors=errors, form=typed(form) if errors else None, page_id=page_id,
        type_labels=TYPE_LABELS, blank_rows=forms.BLANK_ROWS, t=t), \
        400 if errors else 200


def _condition_context(draft: SurveyDraft, page_id: str, include_page: bool) -> dict[str, Any]:
    candidates = editing_rules.earlier_questions(draft.definition, page_id, include_page)
    return {"candidates": candidates, "operator_labels": OPERATOR_LABELS,
            "value_choices": {str(q.get("id")): conditions.value_choices(q) for q in candidates},
            "rows_count": conditions.CONDITION_ROWS}


def describe(draft: SurveyDraft, condition: dict[str, Any] | None) -> str:
    """A condition in words, e.g. "How often: is Weekly and Age: is at least 3"."""
    if not condition:
        return ""
    combine, rows = editing_rules.condition_rows(condition)
    lang = languages(draft)[0]
    parts = []
    for row in rows:
        try:
            question = editing.get(draft.definition, "question", row.question)
            name = question.get("title", {}).get(lang) or row.question
            labels = dict(conditions.value_choices(question))
        except editing.DefinitionEditError:
            name, labels = row.question, {}
        value = labels.get(row.value, {}).get(lang, row.value) if row.value in labels \
            else row.value
        operator = str(OPERATOR_LABELS.get(row.operator, row.operator))
        parts.append(f"“{name}” {operator} {value}".strip())
    joiner = f" {_('and')} " if combine == t.AND else f" {_('or')} "
    return joiner.join(parts)


def describe_target(draft: SurveyDraft, go_to: dict[str, Any]) -> str:
    """Where a routing rule goes, in words."""
    if go_to.get("end"):
        return _("the end of the survey (check answers)")
    lang = languages(draft)[0]
    for kind in ("page", "section"):
        if kind in go_to:
            try:
                item = editing.get(draft.definition, kind, str(go_to[kind]))
            except editing.DefinitionEditError:
                return str(go_to[kind])
            title = item.get("title", {}).get(lang)
            if not title and kind == "page" and editing.questions(item):
                title = editing.questions(item)[0].get("title", {}).get(lang)
            label = _("page") if kind == "page" else _("section")
            return f"{label} “{title or go_to[kind]}”"
    return ""


@bp.route("/surveys/<slug>/draft/pages/<page_id>", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_page(slug: str, page_id: str) -> Page:
    """A page: its title, when it is shown (skip rule) and where it goes next (routing)."""
    draft = draft_or_redirect(slug)
    page = _item(draft, "page", page_id)
    langs = languages(draft)
    form = forms.page_form(langs)
    if form.validate_on_submit():
        title = form.texts("title", langs)

        def edit(d: dict[str, Any]) -> dict[str, Any]:
            editing.set_text(editing.get(d, "page", page_id), "title", title)
            return d

        save(draft, edit, "page.edit", id=page_id)
        flash(_("Page saved"), "success")
        return redirect(url_for("staff.builder_page", slug=slug, page_id=page_id), code=303)
    rules = [(describe(draft, r.get("when")), describe_target(draft, r.get("go_to", {})))
             for r in page.get("routing", [])]
    return render_template("staff/builder/page.html", draft=draft, langs=langs, page=page,
                           rules=rules, when=describe(draft, page.get("when")),
                           type_labels=TYPE_LABELS)


def _when(slug: str, kind: str, item_id: str) -> Page:
    """Edit the skip rule ("only show when") of a page or a question."""
    draft = draft_or_redirect(slug)
    item = _item(draft, kind, item_id)
    page_id = item_id if kind == "page" else \
        (editing.page_of_question(draft.definition, item_id) or "")
    back = url_for("staff.builder_page", slug=slug, page_id=item_id) if kind == "page" \
        else url_for("staff.builder_question", slug=slug, question_id=item_id)
    context = _condition_context(draft, page_id, include_page=False)
    form = conditions.condition_form(context["candidates"])
    if form.is_submitted() and form.action.data == "remove":
        save(draft, lambda d: editing_rules.set_when(d, kind, item_id, None), f"{kind}.when",
             id=item_id, removed=True)
        flash(_("Skip rule removed"), "success")
        return redirect(back, code=303)
    if form.validate_on_submit():
        condition = form.condition()
        save(draft, lambda d: editing_rules.set_when(d, kind, item_id, condition),
             f"{kind}.when", id=item_id)
        flash(_("Skip rule saved"), "success")
        return redirect(back, code=303)
    errors = form_errors(form)
    combine, rows = editing_rules.condition_rows(item.get("when"))
    types = {str(q.get("id")): str(q.get("type")) for _s, _p, q in
             editing.walk_questions(draft.definition)}
    return render_template("staff/builder/condition.html", draft=draft, mode="when",
                           simplified=not editing_rules.representable(item.get("when"), types),
                           kind=kind, back=back, page_errors=errors,
                           form=typed(form) if errors else None, rows=rows, combine=combine,
                           targets=[], **context), 400 if errors else 200


@bp.route("/surveys/<slug>/draft/pages/<page_id>/when", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_page_when(slug: str, page_id: str) -> Page:
    """Skip rule of a page: show it only when conditions on earlier answers hold."""
    return _when(slug, "page", page_id)


@bp.route("/surveys/<slug>/draft/questions/<question_id>/when", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_question_when(slug: str, question_id: str) -> Page:
    """Skip rule of one question (useful on pages of several questions)."""
    return _when(slug, "question", question_id)


@bp.route("/surveys/<slug>/draft/pages/<page_id>/rules/new", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_rule_new(slug: str, page_id: str) -> Page:
    """Routing rule: after this page, when conditions hold, go to a later page or the end."""
    draft = draft_or_redirect(slug)
    page = _item(draft, "page", page_id)
    context = _condition_context(draft, page_id, include_page=True)
    targets = editing_rules.later_targets(draft.definition, page_id)
    form = conditions.condition_form(context["candidates"], targets)
    if form.validate_on_submit():
        rule = {"when": form.condition(), "go_to": conditions.go_to(form["go_to"].data)}
        routes = [*page.get("routing", []), rule]
        save(draft, lambda d: editing_rules.set_routing(d, page_id, routes), "page.rule.add",
             id=page_id)
        flash(_("Routing rule added"), "success")
        return redirect(url_for("staff.builder_page", slug=slug, page_id=page_id), code=303)
    errors = form_errors(form)
    return render_template("staff/builder/condition.html", draft=draft, mode="rule", kind="page",
                           back=url_for("staff.builder_page", slug=slug, page_id=page_id),
                           page_errors=errors, form=typed(form) if errors else None, rows=[],
                           combine=t.AND, targets=targets,
                           target_labels={f"{k}:{i}": describe_target(draft, {k: i})
                                          for k, i in targets}, **context), \
        400 if errors else 200


@bp.route("/surveys/<slug>/draft/pages/<page_id>/rules/<int:index>/delete", methods=["POST"])
@staff_required(*BUILDERS)
def builder_rule_delete(slug: str, page_id: str, index: int) -> Any:
    """Remove one routing rule of a page."""
    draft = draft_or_redirect(slug)
    page = _item(draft, "page", page_id)
    routes = list(page.get("routing", []))
    if not 0 <= index < len(routes):
        abort(404)
    del routes[index]
    save(draft, lambda d: editing_rules.set_routing(d, page_id, routes), "page.rule.delete",
         id=page_id, index=index)
    flash(_("Routing rule removed"), "success")
    return redirect(url_for("staff.builder_page", slug=slug, page_id=page_id), code=303)
