"""Routes: coding texts one at a time, the review queue with bulk acceptance, double coding,
agreement and resolutions (/staff/coding/<id>/...). Roles and visibility as in coding.py."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.mayor_public.routes import ward_names
from engage.blueprints.staff import bp
from engage.blueprints.staff.coding import CODERS, error_text, frame_or_404
from engage.extensions import db
from engage.forms import messages
from engage.forms.coding import AcceptForm, ButtonForm, CodingForm, SampleForm
from engage.forms.messages import LANGUAGE_NAMES
from engage.models import Code, Codeframe, CodingBatch
from engage.services.code.coding import CodingError, codes, double, suggest, texts
from engage.services.code.coding.views import code_counts, texts_by_id
from engage.services.code.themes.views import shown_text, user_names
from engage.templating import form_errors

NONE = "none"


def _choices(frame: Codeframe) -> tuple[list[tuple[str, str]], list[Any]]:
    rows = codes.tree(frame)
    return [(str(r.code.id), r.code.name) for r in rows] + [(NONE, "none")], rows


def _form(frame: Codeframe, checked: set[int | str] | None = None) -> tuple[CodingForm, list[Any]]:
    form = CodingForm(data={"codes": [str(c) for c in checked]} if checked else None)
    form.codes.choices, rows = _choices(frame)
    return form, rows


def _picked(form: CodingForm) -> tuple[list[int], bool]:
    data = list(form.codes.data or [])
    return [int(c) for c in data if c != NONE], NONE in data


def _text_or_404(frame: Codeframe, text_id: int) -> Any:
    return found_or_404(texts.in_frame(frame, text_id))


def _checked(coding: texts.Coding | None) -> set[int | str]:
    if coding is None:
        return set()
    return {NONE} if coding.no_answer else set(coding.codes)


def _page(frame: Codeframe, text: Any, form: CodingForm, rows: list[Any], stage: str,
          status: int = 200) -> tuple[str, int]:
    before, after = texts.neighbours(frame, text.id)
    coding = texts.coding_of(frame, text.id, stage)
    shown = stage == "primary"
    return render_template(
        "staff/coding/text.html", frame=frame, text=text, shown=shown_text(text, staff_user()),
        form=form, rows=rows, stage=stage, coding=coding, before=before if shown else None,
        after=after if shown else None, position=texts.position_of(frame, text.id),
        suggestions=texts.suggestions(frame, text.id) if shown else {},
        button_form=ButtonForm(), page_errors=form_errors(form),
        source_labels=messages.SOURCE_LABELS, language_names=LANGUAGE_NAMES,
        ward_names=ward_names(str(get_locale() or "en")),
        coder=user_names({coding.coder_id}).get(coding.coder_id or 0) if coding else None
    ), status


@bp.route("/coding/<int:frame_id>/code")
@staff_required(*CODERS)
def coding_next(frame_id: int) -> Response:
    """Go to the next text to code (the review queue's first), or back to the overview."""
    frame = frame_or_404(frame_id)
    following = texts.queue(frame, 1)
    if not following:
        flash(_("Every text is coded"), "success")
        return redirect(url_for("staff.coding_frame", frame_id=frame.id))
    return redirect(url_for("staff.coding_text", frame_id=frame.id, text_id=following[0]))


@bp.route("/coding/<int:frame_id>/texts/<int:text_id>", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_text(frame_id: int, text_id: int) -> tuple[str, int] | Response:
    """Code one text: tick codes (number keys) or no substantive answer; save and go on."""
    frame = frame_or_404(frame_id)
    text = _text_or_404(frame, text_id)
    form, rows = _form(frame, _checked(texts.coding_of(frame, text.id)))
    if form.validate_on_submit():
        picked, none = _picked(form)
        try:
            texts.code_text(frame, text.id, staff_user(), picked, none)
        except CodingError as exc:
            form.codes.errors = [error_text(exc)]
        else:
            suggest.request_refresh(frame, staff_user())  # every few codings, in the background
            following = texts.queue(frame, 1, after=text.id)
            if following:
                return redirect(url_for("staff.coding_text", frame_id=frame.id,
                                        text_id=following[0]), code=303)
            flash(_("Every text is coded"), "success")
            return redirect(url_for("staff.coding_frame", frame_id=frame.id), code=303)
    return _page(frame, text, form, rows, "primary", 400 if form.errors else 200)


@bp.route("/coding/<int:frame_id>/texts/<int:text_id>/clear", methods=["POST"])
@staff_required(*CODERS)
def coding_clear(frame_id: int, text_id: int) -> Response:
    """Undo a text's coding (it goes back in the queue)."""
    frame = frame_or_404(frame_id)
    text = _text_or_404(frame, text_id)
    if ButtonForm().validate_on_submit() and texts.clear_text(frame, text.id, staff_user()):
        flash(_("Coding removed"), "success")
    return redirect(url_for("staff.coding_text", frame_id=frame.id, text_id=text.id), code=303)


def _accept_form(frame: Codeframe) -> AcceptForm:
    form = AcceptForm()
    form.code.choices = [("", _("Select a code"))] + [
        (str(r.code.id), r.code.name) for r in codes.tree(frame)]
    return form


def _queue_page(frame: Codeframe, form: AcceptForm, status: int = 200) -> tuple[str, int]:
    upcoming = texts.queue(frame, 25)
    found = texts_by_id(upcoming)
    batches = texts.batches(frame)
    return render_template(
        "staff/coding/queue.html", frame=frame, form=form, status=status,
        upcoming=[(found[t], shown_text(found[t], staff_user()), texts.suggestions(frame, t))
                  for t in upcoming if t in found],
        code_names={r.code.id: r.code.name for r in codes.tree(frame, True)},
        rows=codes.tree(frame), counts=code_counts(frame), batches=batches,
        button_form=ButtonForm(), quality=(frame.model_info or {}).get("quality", {}),
        names=user_names({b.created_by_id for b in batches}),
        page_errors=form_errors(form)), status


@bp.route("/coding/<int:frame_id>/queue")
@staff_required(*CODERS)
def coding_queue(frame_id: int) -> tuple[str, int]:
    """The texts to code next (least sure first), per-code figures, and bulk acceptance."""
    frame = frame_or_404(frame_id)
    return _queue_page(frame, _accept_form(frame))


@bp.route("/coding/<int:frame_id>/accept", methods=["POST"])
@staff_required(*CODERS)
def coding_accept(frame_id: int) -> tuple[str, int] | Response:
    """Accept one code's suggestions at or above a confidence, as one undoable batch."""
    frame = frame_or_404(frame_id)
    form = _accept_form(frame)
    if form.validate_on_submit():
        code = db.session.get(Code, int(form.code.data))
        try:
            if code is None:
                raise CodingError("code_unknown")
            batch = texts.bulk_accept(frame, code, int(form.threshold.data) / 100, staff_user())
        except CodingError as exc:
            target = form.threshold if exc.code in ("threshold_range", "nothing_to_accept") \
                else form.code
            target.errors = [error_text(exc)]
        else:
            flash(_("%(count)s texts coded %(code)s", count=batch.text_count, code=code.name),
                  "success")
            return redirect(url_for("staff.coding_queue", frame_id=frame.id), code=303)
    return _queue_page(frame, form, 400)


@bp.route("/coding/<int:frame_id>/suggest", methods=["POST"])
@staff_required(*CODERS)
def coding_suggest(frame_id: int) -> Response:
    """Refresh the suggestions now (a background job)."""
    frame = frame_or_404(frame_id)
    if ButtonForm().validate_on_submit():
        if suggest.request_refresh(frame, staff_user(), force=True) is None:
            flash(_("Code at least %(count)s texts first, or wait for the refresh under way",
                    count=suggest.MIN_CODED), "error")
        else:
            flash(_("Suggestions refreshed or being refreshed"), "success")
    return redirect(url_for("staff.coding_queue", frame_id=frame.id), code=303)


@bp.route("/coding/<int:frame_id>/batches/<int:batch_id>/undo", methods=["POST"])
@staff_required(*CODERS)
def coding_batch_undo(frame_id: int, batch_id: int) -> Response:
    """Undo a bulk acceptance."""
    frame = frame_or_404(frame_id)
    batch = db.one_or_404(select(CodingBatch).filter_by(id=batch_id, codeframe_id=frame.id))
    if ButtonForm().validate_on_submit():
        try:
            undone = texts.undo_batch(batch, staff_user())
        except CodingError as exc:
            flash(error_text(exc), "error")
        else:
            flash(_("%(count)s texts uncoded", count=undone), "success")
    return redirect(url_for("staff.coding_queue", frame_id=frame.id), code=303)


# ---------------------------------------------------------------- double coding


@bp.route("/coding/<int:frame_id>/double", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_double(frame_id: int) -> tuple[str, int] | Response:
    """The double-coding sample: draw it, see how far it is, start coding it."""
    frame = frame_or_404(frame_id)
    form = SampleForm()
    if form.validate_on_submit():
        try:
            drawn = double.draw_sample(frame, staff_user(), int(form.share.data),
                                       int(form.seed.data or 0))
        except CodingError as exc:
            form.share.errors = [error_text(exc)]
        else:
            flash(_("Sample drawn: %(count)s texts", count=len(drawn.text_ids)), "success")
            return redirect(url_for("staff.coding_double", frame_id=frame.id), code=303)
    sample = double.sample_of(frame)
    done = len(set(texts.codings(frame, "second")) & set(sample.text_ids)) if sample else 0
    return render_template("staff/coding/double.html", frame=frame, form=form, sample=sample,
                           done=done, following=double.next_second(frame, staff_user()),
                           page_errors=form_errors(form)), 400 if form.errors else 200


@bp.route("/coding/<int:frame_id>/double/<int:text_id>", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_double_text(frame_id: int, text_id: int) -> tuple[str, int] | Response:
    """Code a sampled text a second time, without seeing the first coding or suggestions."""
    frame = frame_or_404(frame_id)
    text = _text_or_404(frame, text_id)
    form, rows = _form(frame, _checked(texts.coding_of(frame, text.id, "second")))
    if form.validate_on_submit():
        picked, none = _picked(form)
        try:
            texts.code_text(frame, text.id, staff_user(), picked, none, stage="second")
        except CodingError as exc:
            form.codes.errors = [error_text(exc)]
        else:
            following = double.next_second(frame, staff_user())
            if following is not None:
                return redirect(url_for("staff.coding_double_text", frame_id=frame.id,
                                        text_id=following), code=303)
            flash(_("Every text in the sample is double-coded"), "success")
            return redirect(url_for("staff.coding_agreement", frame_id=frame.id), code=303)
    return _page(frame, text, form, rows, "second", 400 if form.errors else 200)


@bp.route("/coding/<int:frame_id>/agreement")
@staff_required(*CODERS)
def coding_agreement(frame_id: int) -> str:
    """Agreement per code and overall, and the disagreements to resolve."""
    frame = frame_or_404(frame_id)
    result = double.agreement(frame)
    found = texts_by_id(result.disagreements)
    return render_template(
        "staff/coding/agreement.html", frame=frame, result=result,
        model=double.model_agreement(frame), none_key=double.NONE_KEY,
        disagreements=[(found[t], shown_text(found[t], staff_user()), double.resolution(frame, t))
                       for t in result.disagreements if t in found])


@bp.route("/coding/<int:frame_id>/agreement/<int:text_id>", methods=["GET", "POST"])
@staff_required(*CODERS)
def coding_resolve(frame_id: int, text_id: int) -> tuple[str, int] | Response:
    """Both codings of a text side by side; record the resolution."""
    frame = frame_or_404(frame_id)
    text = _text_or_404(frame, text_id)
    first = texts.coding_of(frame, text.id)
    second = found_or_404(texts.coding_of(frame, text.id, "second"))
    res = double.resolution(frame, text.id)
    form, rows = _form(frame, _checked(first))
    if res is not None and not form.is_submitted():
        form.note.data = res.note
    if form.validate_on_submit():
        picked, none = _picked(form)
        try:
            double.resolve(frame, text.id, staff_user(), picked, none, form.note.data or "")
        except CodingError as exc:
            form.codes.errors = [error_text(exc)]
        else:
            flash(_("Resolution recorded"), "success")
            return redirect(url_for("staff.coding_agreement", frame_id=frame.id), code=303)
    names = {r.code.id: r.code.name for r in codes.tree(frame, True)}
    before = set(res.first_codes) if res is not None else _checked(first)
    return render_template(
        "staff/coding/resolve.html", frame=frame, text=text, shown=shown_text(text, staff_user()),
        form=form, rows=rows, first=before, second=_checked(second), names=names,
        resolution=res, page_errors=form_errors(form)), 400 if form.errors else 200

