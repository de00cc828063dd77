"""Email subscriptions: to one consultation (news of its results), or to new consultations in a
ward or on a topic. Double opt-in: nothing is sent but the confirmation email until its signed,
single-use link is used. Every message has a one-click unsubscribe link and List-Unsubscribe
headers (RFC 8058), and no tracking of any kind. Unsubscribing deletes the address."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select

from engage.extensions import db
from engage.links import public_url
from engage.mail import send_mail
from engage.models import Consultation, ConsultationSubscription
from engage.models._types import utcnow
from engage.services.platform import jobs
from engage.services.platform.transactions import changed_rows, in_transaction

NOTIFY_JOB = "consultation_notify"
CONFIRM_DAYS = 7
"""A confirmation link works for this long; unconfirmed addresses are then deleted."""


class BadToken(ValueError):
    """The link is not ours, has expired, or was already used."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt=f"consultation-{purpose}")


def _token(purpose: str, row: ConsultationSubscription) -> str:
    return str(_serializer(purpose).dumps({"id": row.id, "n": row.nonce}))


def _read(purpose: str, token: str, max_age: int | None = None) -> ConsultationSubscription:
    try:
        data: Any = _serializer(purpose).loads(token, max_age=max_age)
        row = db.session.get(ConsultationSubscription, int(data["id"]))
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadToken(purpose) from exc
    if row is None or not secrets.compare_digest(row.nonce, str(data.get("n", ""))):
        raise BadToken(purpose)
    return row


def unsubscribe_link(row: ConsultationSubscription) -> str:
    """The one-click unsubscribe address of a subscription."""
    return public_url("public.consultation_unsubscribe", token=_token("unsubscribe", row))


def _send(row: ConsultationSubscription, subject: str, body: str) -> bool:
    link = unsubscribe_link(row)
    with force_locale(row.language):
        footer = _("To stop these emails, use this link: %(link)s", link=link)
    return send_mail(row.email, subject, f"{body}\n\n{footer}\n",
                     {"List-Unsubscribe": f"<{link}>",
                      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def _delete_unconfirmed(now: datetime) -> int:
    return changed_rows(delete(ConsultationSubscription).where(
        ConsultationSubscription.confirmed_at.is_(None),
        ConsultationSubscription.created_at < now - timedelta(days=CONFIRM_DAYS)))


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Delete the addresses whose confirmation link has expired unused (the daily
    ``flask purge-subscriptions``; each new subscription also clears them); how many."""
    return in_transaction(lambda: _delete_unconfirmed(now or utcnow()))


def subscribe(email: str, language: str, *, consultation_id: int | None = None,
              ward: str = "", topic_id: int | None = None) -> int:
    """Record a pending subscription and send its confirmation email; its id."""

    def work() -> ConsultationSubscription:
        _delete_unconfirmed(utcnow())
        row = ConsultationSubscription(email=email.strip(), language=language,
                                       consultation_id=consultation_id, ward=ward,
                                       topic_id=topic_id, nonce=secrets.token_hex(16))
        db.session.add(row)
        db.session.flush()
        return row

    row = in_transaction(work)
    link = public_url("public.consultation_confirm", token=_token("confirm", row))
    with force_locale(row.language):
        subject = _("Confirm your email subscription")
        body = _("Someone, probably you, asked for emails about consultations. To start them, "
                 "open this link within 7 days: %(link)s\n\nIf it was not you, ignore this "
                 "email: we will delete your address.", link=link)
    send_mail(row.email, subject, body)
    return int(row.id)


def pending(token: str) -> ConsultationSubscription:
    """The unconfirmed subscription a confirmation link is for; BadToken otherwise."""
    row = _read("confirm", token, max_age=CONFIRM_DAYS * 24 * 3600)
    if row.confirmed_at is not None:
        raise BadToken("used")
    return row


def confirm(token: str) -> None:
    """Start a subscription. The link works once: its nonce changes when it is used."""

    def work() -> None:
        row = pending(token)
        row.confirmed_at = utcnow()
        row.nonce = secrets.token_hex(16)

    in_transaction(work)


def subscription(token: str) -> ConsultationSubscription:
    """The subscription an unsubscribe link is for; BadToken otherwise."""
    return _read("unsubscribe", token)


def unsubscribe(token: str) -> None:
    """Delete the subscription (and with it the address); BadToken when already gone."""

    def work() -> None:
        db.session.delete(subscription(token))

    in_transaction(work)


def _recipients(consultation: Consultation, event: str) -> list[ConsultationSubscription]:
    query = select(ConsultationSubscription).where(
        ConsultationSubscription.confirmed_at.is_not(None))
    if event == "results":
        query = query.where(ConsultationSubscription.consultation_id == consultation.id)
    else:
        wards = [w.ward for w in consultation.wards]
        topics = [t.id for t in consultation.topics]
        query = query.where(ConsultationSubscription.consultation_id.is_(None), or_(
            ConsultationSubscription.ward.in_(wards),
            ConsultationSubscription.topic_id.in_(topics)))
    return list(db.session.scalars(query.order_by(ConsultationSubscription.id)))


@jobs.job_handler(NOTIFY_JOB)
def notify_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """Tell confirmed subscribers that a consultation opened or that its results are out."""
    consultation = db.session.get(Consultation, int(ctx.params["consultation_id"]))
    if consultation is None:
        raise jobs.JobFailed("The consultation no longer exists")
    event = str(ctx.params["event"])
    link = public_url("public.consultation_page", slug=consultation.slug)
    sent = 0
    recipients = _recipients(consultation, event)
    for n, row in enumerate(recipients, start=1):
        title = consultation.text("title", row.language)[0]
        with force_locale(row.language):
            if event == "results":
                subject = _("Results published: %(title)s", title=title)
                body = _("The results of “%(title)s” are published: %(link)s", title=title,
                         link=link)
            else:
                subject = _("New consultation: %(title)s", title=title)
                body = _("A new consultation is open: “%(title)s”. Have your say: %(link)s",
                         title=title, link=link)
        sent += bool(_send(row, subject, body))
        ctx.progress(int(100 * n / len(recipients)))
    return {"sent": sent, "recipients": len(recipients)}
