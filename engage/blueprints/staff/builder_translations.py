"""Routes: every text of a draft with its translation side by side, missing ones flagged."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engage.blueprints import staff_required
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import BUILDERS, Page, draft_or_redirect, languages, save
from engage.forms.builder_actions import translations_form
from engage.forms.messages import LANGUAGE_NAMES
from surveys import editing_text


@bp.route("/surveys/<slug>/draft/translations/<language>", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_translations(slug: str, language: str) -> Page:
    """Translate every text of the draft into one language on one page."""
    draft = draft_or_redirect(slug)
    langs = languages(draft)
    if language not in langs[1:]:
        abort(404)
    entries = editing_text.text_entries(draft.definition)
    only_missing = request.args.get("show") != "all"
    form = translations_form([entry.path for entry in entries])
    if form.validate_on_submit():
        values = form.translations()
        changed = {path: value for path, value in values.items()
                   if value.strip() != next(e.text.get(language, "") for e in entries
                                            if e.path == path)}
        if changed:
            def edit(d: dict[str, Any]) -> dict[str, Any]:
                return editing_text.set_translations(d, language, changed)

            save(draft, edit, "translations", language=language, count=len(changed))
        flash(_("Translations saved"), "success")
        shown: dict[str, Any] = {} if only_missing else {"show": "all"}
        return redirect(url_for("staff.builder_translations", slug=slug, language=language,
                                **shown), code=303)
    rows = [(i, entry) for i, entry in enumerate(entries)
            if not only_missing or not entry.text.get(language, "").strip()]
    return render_template("staff/builder/translations.html", draft=draft, rows=rows,
                           main=langs[0], language=language, only_missing=only_missing,
                           language_name=LANGUAGE_NAMES.get(language, language),
                           total=len(entries))
