"""Routes: email subscriptions to consultations. /consultations/subscribe (form, rate
limited), the confirmation link (a page with a button: a GET changes nothing), and the
unsubscribe link (a page with a button, and RFC 8058 one-click POSTs from mail programs)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from engage.blueprints.public import bp
from engage.blueprints.public.consultations import subscribe_form
from engage.extensions import csrf, limiter
from engage.forms import messages
from engage.forms.consultations import SubscribeForm
from engage.services.collect.consultations import public, subscriptions
from surveys.errors import NotFound


def _lang() -> str:
    return str(get_locale() or "en")


def _target() -> tuple[object | None, str]:
    """The consultation named in the query or form (public ones only), and its slug."""
    slug = (request.values.get("consultation") or "")[:80]
    if not slug:
        return None, ""
    try:
        return public.by_slug(slug), slug
    except NotFound:
        abort(404)


@bp.route("/consultations/subscribe", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config.get("CONSULTATION_SUBSCRIBE_LIMIT",
                                                  "10 per hour")), methods=["POST"])
def consultation_subscribe() -> Response | tuple[str, int]:
    """Ask for emails about one consultation, or about new ones in a ward or on a topic."""
    lang = _lang()
    consultation, slug = _target()
    form = subscribe_form(lang)
    if request.method == "POST":
        choices = (form.ward.choices, form.topic.choices)
        form = SubscribeForm()
        form.ward.choices, form.topic.choices = choices
        valid = form.validate()
        if valid and consultation is None and not (form.ward.data or form.topic.data):
            form.ward.errors = [str(messages.SUBSCRIBE_TO_SOMETHING)]
            valid = False
        if valid:
            subscriptions.subscribe(
                form.email.data, lang,
                consultation_id=getattr(consultation, "id", None),
                ward="" if consultation else form.ward.data or "",
                topic_id=None if consultation or not form.topic.data else int(form.topic.data))
            return redirect(url_for("public.consultation_subscribe_sent"), code=303)
    status = 400 if form.errors else 200
    return render_template("public/consultation_subscribe.html", form=form,
                           consultation=consultation, slug=slug, lang=lang), status


@bp.route("/consultations/subscribe/sent")
def consultation_subscribe_sent() -> str:
    """Check your email."""
    return render_template("public/consultation_mail_done.html", done="sent")


@bp.route("/consultations/confirm/<token>", methods=["GET", "POST"])
def consultation_confirm(token: str) -> Response | tuple[str, int]:
    """Confirm a subscription with the button (the link alone changes nothing)."""
    try:
        subscriptions.pending(token)
    except subscriptions.BadToken:
        return render_template("public/consultation_mail_done.html", done="bad_link"), 400
    if request.method == "POST":
        subscriptions.confirm(token)
        return redirect(url_for("public.consultation_mail_done", done="confirmed"), code=303)
    return render_template("public/consultation_mail_button.html", action="confirm"), 200


@bp.route("/consultations/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # type: ignore[untyped-decorator]  # Flask-WTF has no type information
def consultation_unsubscribe(token: str) -> Response | tuple[str, int]:
    """Stop emails. Exempt from CSRF so that mail programs can unsubscribe in one click
    (RFC 8058); the signed token in the address is what authorises it."""
    try:
        subscriptions.subscription(token)
    except subscriptions.BadToken:
        return render_template("public/consultation_mail_done.html", done="bad_link"), 400
    if request.method == "POST":
        subscriptions.unsubscribe(token)
        return redirect(url_for("public.consultation_mail_done", done="unsubscribed"),
                        code=303)
    return render_template("public/consultation_mail_button.html", action="unsubscribe"), 200


@bp.route("/consultations/email/<any(confirmed, unsubscribed):done>")
def consultation_mail_done(done: str) -> str:
    """You are subscribed / you will get no more emails."""
    return render_template("public/consultation_mail_done.html", done=done)
