"""Routes: the question bank. Save a question or block of a draft under a name, add a saved
one to any draft, list and delete entries (survey builders: engagement officers)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import BUILDERS, Page, draft_or_redirect, languages
from engage.forms import options
from engage.forms.bank import BankAddForm, BankSaveForm
from engage.forms.messages import BANK_KIND_LABELS, BANK_PROBLEMS
from engage.models import BankEntry
from engage.services.collect import question_bank as bank
from engage.templating import form_errors
from surveys import blocks, editing


def _label(definition: dict[str, object], kind: str, item_id: str, language: str) -> str:
    """What the builder calls the item: its title in the main language, or its id."""
    item = editing.get(definition, "question" if kind == blocks.QUESTION else "section", item_id)
    if item.get("type") == "demographics":
        return _("About you (demographic questions)")
    return str((item.get("title") or {}).get(language) or item_id)


@bp.route("/surveys/<slug>/draft/bank/save", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_bank_save(slug: str) -> Page:
    """Save a question or block of the draft to the question bank under a name."""
    draft = draft_or_redirect(slug)
    form = BankSaveForm() if request.method == "POST" else BankSaveForm(formdata=request.args)
    kind, item_id = form.kind.data or "", form.id.data or ""
    if kind not in blocks.KINDS:
        abort(404)
    try:
        label = _label(draft.definition, kind, item_id, languages(draft)[0])
    except editing.DefinitionEditError:
        abort(404)
    if not form.name.raw_data:  # the page shows the item's title to start with
        form.name.data = label
    if form.validate_on_submit():
        try:
            saved = bank.save(staff_user(), draft, kind, item_id, form.name.data)
        except bank.BankError:
            form.name.errors.append(BANK_PROBLEMS["name_taken"])
        else:
            if saved.dropped_conditions:
                flash(_("Saved to the question bank as “%(name)s”. Its skip and routing "
                        "rules that depend on other questions were not saved.",
                        name=saved.entry.name), "success")
            else:
                flash(_("Saved to the question bank as “%(name)s”", name=saved.entry.name),
                      "success")
            return redirect(url_for("staff.builder_overview", slug=slug), code=303)
    errors = form_errors(form)
    status = 400 if errors else 200
    return render_template("staff/bank/save.html", draft=draft, kind=kind, item_id=item_id,
                           label=label, name=form.name.data, page_errors=errors,
                           kind_labels=BANK_KIND_LABELS), status


def _sections(draft_definition: dict[str, object], language: str) -> list[tuple[str, str]]:
    """The sections a question may be added to (not the demographics block)."""
    return [(str(s.get("id")), str((s.get("title") or {}).get(language) or s.get("id")))
            for s in editing.sections(draft_definition) if s.get("type") != "demographics"]


@bp.route("/surveys/<slug>/draft/bank/add", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_bank_add(slug: str) -> Page:
    """Add a question or block from the bank to this draft."""
    draft = draft_or_redirect(slug)
    found = bank.entries()
    sections = _sections(draft.definition, languages(draft)[0])
    form = BankAddForm()
    form.entry.choices = options((str(e.id), e.name) for e in found)
    if form.validate_on_submit():
        chosen = next(e for e in found if str(e.id) == form.entry.data)
        section_id = form.section.data or ""
        if chosen.kind == blocks.QUESTION and section_id not in dict(sections):
            form.section.errors.append(BANK_PROBLEMS["section_missing"])
        else:
            try:
                new_id = bank.add_to_draft(staff_user(), draft, chosen, section_id or None)
            except editing.DefinitionEditError as exc:
                code = ("demographics_exists" if exc.code == "demographics_exists"
                        else "section_missing")
                form.entry.errors.append(BANK_PROBLEMS[code])
            else:
                flash(_("Added “%(name)s” to the survey", name=chosen.name), "success")
                anchor = ("question-" if chosen.kind == blocks.QUESTION else "section-") + new_id
                return redirect(url_for("staff.builder_overview", slug=slug, _anchor=anchor),
                                code=303)
    errors = form_errors(form)
    status = 400 if errors else 200
    return render_template("staff/bank/add.html", draft=draft, entries=found, sections=sections,
                           form=form, page_errors=errors, kind_labels=BANK_KIND_LABELS), status


@bp.route("/question-bank")
@staff_required(*BUILDERS)
def bank_list() -> str:
    """Every question and block in the bank, with who saved it."""
    return render_template("staff/bank/list.html", entries=bank.entries(),
                           kind_labels=BANK_KIND_LABELS)


def _entry_or_404(entry_id: int) -> BankEntry:
    return found_or_404(bank.get_entry(entry_id))


@bp.route("/question-bank/<int:entry_id>/delete", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def bank_delete(entry_id: int) -> Page | WerkzeugResponse:
    """Delete an entry from the bank (GET asks to confirm); surveys keep their copies."""
    entry = _entry_or_404(entry_id)
    if request.method == "GET":
        return render_template("staff/bank/delete.html", entry=entry)
    name = entry.name
    bank.delete(staff_user(), entry)
    flash(_("“%(name)s” deleted from the question bank", name=name), "success")
    return redirect(url_for("staff.bank_list"), code=303)
