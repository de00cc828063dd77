"""Routes: preview a draft exactly as residents see it, in each language, phone or full width.

The preview uses the resident runner's templates and the engine's validation and routing.
Answers typed in a preview live only in the staff member's session: no response is stored.
"""

from __future__ import annotations

from typing import Any

from flask import abort, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

import surveys
from engage.blueprints import staff_required
from engage.blueprints.residents import flow
from engage.blueprints.staff import bp
from engage.blueprints.staff.builder import BUILDERS, Page, draft_or_redirect
from engage.forms.survey_page import PageView, answer_text, answer_value

FRAMEABLE_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)
PHONE_WIDTH = 375
PREVIEW_TEXT = 100


def _loaded(slug: str) -> tuple[Any, surveys.Survey | None]:
    draft = draft_or_redirect(slug)
    return draft, surveys.load_survey(draft.definition).survey


@bp.route("/surveys/<slug>/draft/preview")
@staff_required(*BUILDERS)
def builder_preview_frame(slug: str) -> Page:
    """The preview in a phone-width frame, with links to each language and full width."""
    draft, loaded = _loaded(slug)
    lang = request.args.get("language", "")
    if loaded is not None and lang not in loaded.languages:
        lang = loaded.language
    session.pop("preview", None)
    first = loaded.pages[0].id if loaded is not None and loaded.pages else None
    return render_template("staff/builder/preview_frame.html", draft=draft, loaded=loaded,
                           language=lang, first=first, width=PHONE_WIDTH)


def _answers(slug: str) -> dict[str, Any]:
    stored = session.get("preview") or {}
    return dict(stored.get("answers", {})) if stored.get("slug") == slug else {}


@bp.route("/surveys/<slug>/draft/preview/<language>/<page_id>", methods=["GET", "POST"])
@staff_required(*BUILDERS)
def builder_preview(slug: str, language: str, page_id: str) -> Any:
    """One page of the draft as a resident sees it; answers are checked, never stored."""
    _draft, loaded = _loaded(slug)
    if loaded is None or language not in loaded.languages or not loaded.has_page(page_id):
        abort(404)
    answers = _answers(slug)
    on_path = surveys.path(loaded, answers)
    if page_id not in on_path:
        on_path = [*on_path, page_id]  # previewing a page off the current path is allowed
    values: Any = surveys.to_form_data(loaded, page_id, answers)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = request.form.to_dict(flat=False)
        with force_locale(language):
            result = surveys.validate_page(loaded, page_id, form, language, answers)
            errors = [(e.field, _(e.message) % e.params) for e in result.errors]
        if result.ok:
            answers.update(result.answers)
            # The session is a cookie: keep it small (long text is cut; it is only a preview).
            session["preview"] = {"slug": slug, "answers": {
                k: v[:PREVIEW_TEXT] if isinstance(v, str) else v for k, v in answers.items()}}
            following = surveys.next_page(loaded, answers, page_id)
            if following is None:
                return redirect(url_for("staff.builder_preview_end", slug=slug,
                                        language=language), code=303)
            return redirect(url_for("staff.builder_preview", slug=slug, language=language,
                                    page_id=following), code=303)
        values = form
    position = on_path.index(page_id)
    back = (url_for("staff.builder_preview", slug=slug, language=language,
                    page_id=on_path[position - 1]) if position > 0
            else url_for("staff.builder_preview_frame", slug=slug, language=language))
    with force_locale(language):
        visible = surveys.visible_questions(loaded, page_id, answers)
        view = PageView(loaded, page_id, visible, values, dict(errors), language)
        title = view.heading or (view.questions[0].get("params", {}).get("fieldset", {})
                                 .get("legend", {}).get("text") if view.questions else "")
        # Rendered by an autoescaping template: the output is already safe HTML.
        questions_html = Markup(render_template("survey/_questions.html", view=view))  # noqa: S704
        body = render_template(
            "survey/page.html", survey=None, view=view, page_errors=errors, back=back,
            questions_html=questions_html,
            progress=flow.progress_text(loaded, page_id, language),
            return_to_check=False, unavailable=False,
            title=title or loaded.text(loaded.title, language), preview=True)
    response = make_response(body, 400 if errors else 200)
    response.headers["Content-Security-Policy"] = FRAMEABLE_CSP.format(
        nonce=_nonce())
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _nonce() -> str:
    from engage.security import csp_nonce

    return csp_nonce()


@bp.route("/surveys/<slug>/draft/preview/<language>/end")
@staff_required(*BUILDERS)
def builder_preview_end(slug: str, language: str) -> Any:
    """The end of a preview: what the resident would check before sending."""
    _draft, loaded = _loaded(slug)
    if loaded is None or language not in loaded.languages:
        abort(404)
    answers = surveys.prune(loaded, _answers(slug))
    with force_locale(language):
        asked = [loaded.question(q) for p in surveys.path(loaded, answers)
                 for q in surveys.visible_questions(loaded, p, answers)]
        rows = [{"key": {"text": loaded.text(q.title, language)},
                 "value": answer_value(answer_text(loaded, q, answers, language))}
                for q in asked if q.write_in_for is None]
        body = render_template("staff/builder/preview_end.html", rows=rows, slug=slug,
                               language=language, title=_("Check your answers"))
    response = make_response(body)
    response.headers["Content-Security-Policy"] = FRAMEABLE_CSP.format(nonce=_nonce())
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
