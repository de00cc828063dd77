"""Routes: /staff/erase-response (erase one response and what was derived from it, P2)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engage.blueprints import staff_required, staff_user
from engage.blueprints.staff import bp
from engage.forms import privacy as forms
from engage.forms.messages import (
    ENTER_RESPONSE_REFERENCE,
    RESPONSE_CHANNEL_LABELS,
    RESPONSE_REFERENCE_FORMAT,
    RESPONSE_REFERENCE_NOT_FOUND,
)
from engage.services.collect import privacy
from engage.services.platform.references import normalise_reference

_MESSAGES = {"bad_reference": RESPONSE_REFERENCE_FORMAT, "not_found": RESPONSE_REFERENCE_NOT_FOUND}


@bp.route("/erase-response", methods=["GET", "POST"])
@staff_required("engagement_officer")
def erase_response_start() -> Response | tuple[str, int]:
    """Ask for the reference; on a known one show what will be erased and ask to confirm."""
    form = forms.EraseLookupForm()
    if form.validate_on_submit():
        try:
            target = privacy.find_for_erasure(form.reference.data)
        except privacy.ErasureError as exc:
            form.reference.errors.append(str(_MESSAGES[exc.code]))
        else:
            confirm = forms.EraseConfirmForm(formdata=None, reference=target.reference)
            label = str(RESPONSE_CHANNEL_LABELS.get(target.channel, target.channel))
            return render_template("staff/privacy/erase_confirm.html", form=confirm,
                                   target=target, channel_label=label), 200
    status = 400 if form.errors else 200
    return render_template("staff/privacy/erase_start.html", form=form), status


@bp.route("/erase-response/confirm", methods=["POST"])
@staff_required("engagement_officer")
def erase_response_confirm() -> Response | tuple[str, int]:
    """Erase the response (one transaction, one audit row) and go back to the start page."""
    form = forms.EraseConfirmForm()
    if form.validate_on_submit():
        try:
            privacy.erase_response(form.reference.data, staff_user(), request.remote_addr or "")
        except privacy.ErasureError as exc:
            lookup = forms.EraseLookupForm(formdata=None, reference=form.reference.data)
            lookup.reference.errors = [str(_MESSAGES[exc.code])]
            return render_template("staff/privacy/erase_start.html", form=lookup), 400
        flash(_("Response %(reference)s and everything made from it have been erased",
                reference=normalise_reference(form.reference.data)), "success")
        return redirect(url_for("staff.erase_response_start"), code=303)
    lookup = forms.EraseLookupForm(formdata=None)
    lookup.reference.errors = [str(ENTER_RESPONSE_REFERENCE)]
    return render_template("staff/privacy/erase_start.html", form=lookup), 400
