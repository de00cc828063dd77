"""Sending survey invitations and reminders to a contact list (issue 19), as background jobs.

- ``start(survey_id, kind, actor)`` queues a ``contacts.send`` job: ``invite`` goes to contacts
  not yet invited, ``reminder`` to those invited who have neither responded nor opted out.
- The job works in batches: new links are committed in one short transaction, the messages
  are sent outside any transaction at INVITATION_RATE messages a second (a setting), then the
  outcomes are written in another short transaction; progress is shown on the job page.
- Email goes through SMTP (``engage.mail.MailBatch``: one connection, refusals recorded per
  contact) or, when NOTIFY_API_KEY is set, GOV.UK Notify (email and text messages; the
  ``contacts.notify_status`` job reads delivery statuses back). Mobile-only contacts need
  Notify; without it they are marked ``not_sent``.
- Each message is written in its contact's language (``survey_contacts.language``, en or bn:
  the survey's title in that language when it has one, dates and numbers in its digits).
- Reminders can be scheduled (``contact_reminders``): ``flask send-reminders`` (cron) starts
  the jobs of those due.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, or_, select, update

from engage import links, mail
from engage.extensions import db
from engage.formatting import closing_time
from engage.models import ContactReminder, Job, Survey, SurveyContact, SurveyVersion, User
from engage.models._types import utcnow
from engage.models.contacts import CONTACT_LANGUAGES
from engage.services.collect import contacts
from engage.services.platform import audit, jobs
from engage.services.platform.transactions import changed_rows, in_transaction
from surveys import localise

SEND_JOB = "contacts.send"
STATUS_JOB = "contacts.notify_status"
KINDS = ("invite", "reminder")
BATCH = 200
NO_MOBILE_BACKEND = "No email address; text messages need GOV.UK Notify"
# GOV.UK Notify's statuses → the contact's delivery state.
NOTIFY_STATES = {"delivered": "delivered", "permanent-failure": "bounced",
                 "temporary-failure": "failed", "technical-failure": "failed",
                 "validation-failed": "failed", "created": "sent", "sending": "sent",
                 "pending": "sent", "sent": "sent"}


@dataclass(frozen=True)
class Message:
    """What one contact is sent: the text and the links in it."""

    subject: str
    body: str
    link: str
    stop_link: str
    survey_title: str
    name: str


@dataclass(frozen=True)
class Recipient:
    """Where one message goes."""

    contact_id: int
    email: str
    mobile: str
    reference: str = ""  # what GOV.UK Notify sends back with the message's delivery status


@dataclass(frozen=True)
class Outcome:
    """How handing one message over went."""

    state: str
    detail: str = ""
    notify_id: str = ""


class Sender(Protocol):
    """A way of sending (SMTP or GOV.UK Notify)."""

    def send(self, contact: Recipient, message: Message) -> Outcome: ...


class SmtpSender:
    """Email over one SMTP connection (engage.mail)."""

    def __init__(self, batch: mail.MailBatch) -> None:
        self.batch = batch

    def send(self, contact: Recipient, message: Message) -> Outcome:
        """Email the contact; text-only contacts cannot be reached this way."""
        if not contact.email:
            return Outcome("not_sent", NO_MOBILE_BACKEND)
        state, detail = self.batch.send(
            contact.email, message.subject, message.body,
            headers={"List-Unsubscribe": f"<{message.stop_link}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        return Outcome(state, detail)


class NotifySender:
    """GOV.UK Notify: an email template, or a text message template for mobile-only contacts."""

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        cfg = current_app.config
        self.client = NotificationsAPIClient(cfg["NOTIFY_API_KEY"],
                                             base_url=cfg["NOTIFY_BASE_URL"])
        self.email_template = str(cfg.get("NOTIFY_EMAIL_TEMPLATE_ID") or "")
        self.sms_template = str(cfg.get("NOTIFY_SMS_TEMPLATE_ID") or "")

    def send(self, contact: Recipient, message: Message) -> Outcome:
        """Ask Notify to send; its refusal (status and message) is the detail."""
        from notifications_python_client.errors import HTTPError

        values = {"name": message.name, "survey": message.survey_title, "link": message.link,
                  "stop_link": message.stop_link, "subject": message.subject,
                  "body": message.body}
        try:
            if contact.email:
                reply = self.client.send_email_notification(
                    email_address=contact.email, template_id=self.email_template,
                    personalisation=values, reference=contact.reference or None)
            else:
                reply = self.client.send_sms_notification(
                    phone_number=contact.mobile, template_id=self.sms_template,
                    personalisation=values, reference=contact.reference or None)
        except HTTPError as exc:
            found = exc.message if isinstance(exc.message, list) else [exc.message]
            text = "; ".join(str(e.get("message", e) if isinstance(e, dict) else e)
                             for e in found)
            return Outcome("failed", f"{exc.status_code} {text}"[:200])
        except OSError as exc:
            return Outcome("failed", type(exc).__name__)
        return Outcome("sent", "", str(reply.get("id", ""))[:64])

    def status(self, notify_id: str) -> tuple[str, str]:
        """The delivery state and Notify's status of a notification."""
        reply = self.client.get_notification_by_id(notify_id)
        status = str(reply.get("status", ""))
        return NOTIFY_STATES.get(status, "sent"), status


def _signature(contact_id: int, sequence: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    text = f"notify-reference:{contact_id}:{sequence}".encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]


def notify_reference(contact_id: int, sequence: int) -> str:
    """The reference given to GOV.UK Notify with a message, which its delivery-status callback
    sends back: the contact, which message it is (0 the invitation, n the n-th reminder) and
    a signature with the app's secret, so it cannot be made up. Nothing personal in it and
    nothing stored for it."""
    return f"{contact_id}.{sequence}.{_signature(contact_id, sequence)}"


def read_reference(reference: str) -> tuple[int, int] | None:
    """(contact id, message sequence) of a reference this app made; None for any other."""
    parts = reference.split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 12 for p in parts[:2]):
        return None
    contact_id, sequence = int(parts[0]), int(parts[1])
    if not hmac.compare_digest(parts[2].encode(), _signature(contact_id, sequence).encode()):
        return None
    return contact_id, sequence


FINAL_STATES = ("delivered", "failed", "bounced")
"""Delivery states a status from GOV.UK Notify sets, which a later "sent" must not undo."""


def set_delivery(contact_id: int, state: str, status: str, notify_id: str | None = None
                 ) -> None:
    """Inside a transaction: record a message's delivery state (and Notify's status as the
    detail) on its contact, as the contact list shows them."""
    values: dict[str, Any] = {"delivery": state, "delivery_detail": status[:200]}
    if notify_id is not None:
        values["notify_id"] = notify_id[:64]
    db.session.execute(update(SurveyContact).where(SurveyContact.id == contact_id)
                       .values(**values))


def uses_notify() -> bool:
    """Whether messages go through GOV.UK Notify (NOTIFY_API_KEY set) rather than SMTP."""
    return bool(current_app.config.get("NOTIFY_API_KEY"))


@contextmanager
def _sender() -> Iterator[Sender]:
    if uses_notify():
        yield NotifySender()
        return
    with mail.MailBatch() as batch:
        yield SmtpSender(batch)


def _title(version: SurveyVersion, language: str) -> str:
    """The survey's title in a language (its main language's when it has none in that one)."""
    definition = version.definition or {}
    title = definition.get("title")
    if not isinstance(title, dict):
        return version.title
    return localise(title, language, str(definition.get("language") or "en")) or version.title


def _message(kind: str, name: str, raw: str, version: SurveyVersion,
             language: str = "en") -> Message:
    """The invitation or reminder for one contact, in their language (en or bn)."""
    link = links.public_url("residents.invitation", token=raw)
    stop = links.public_url("residents.invitation_stop", token=raw)
    service = current_app.config["SERVICE_NAME"]
    title = _title(version, language)
    with force_locale(language if language in CONTACT_LANGUAGES else "en"):
        greeting = _("Dear %(name)s,", name=name) if name else _("Hello,")
        if kind == "invite":
            subject = _("Have your say: %(survey)s", survey=title)
            intro = _("You are invited to take part in %(survey)s, run by %(service)s.",
                      survey=title, service=service)
        else:
            subject = _("Reminder: have your say: %(survey)s", survey=title)
            intro = _("This is a reminder that you are invited to take part in %(survey)s, "
                      "run by %(service)s. If you have already answered, thank you.",
                      survey=title, service=service)
        closing = [_("The survey closes at %(when)s.", when=closing_time(version.closes_at))] \
            if version.closes_at else []
        body = "\n\n".join([
            greeting, intro, *closing,
            _("To answer, open this link. It is for you only and works until you send your "
              "answers:\n%(link)s", link=link),
            _("To get no more emails about this survey, open this link:\n%(link)s", link=stop)])
    return Message(subject, body, link, stop, title, name)


def start(survey_id: int, kind: str, actor: User | None, ip_address: str = "",
          reminder_id: int | None = None) -> Job:
    """Queue sending invitations or a reminder for a survey; one audit row."""
    if kind not in KINDS:
        raise ValueError(kind)
    job = in_transaction(lambda: _queue(survey_id, kind, actor, ip_address, reminder_id))
    jobs.dispatch(job.id)
    return job


def _queue(survey_id: int, kind: str, actor: User | None, ip_address: str,
           reminder_id: int | None) -> Job:
    """Add the sending job and its audit row to the current transaction (not committed)."""
    job = jobs.enqueue(SEND_JOB, {"survey_id": survey_id, "kind": kind,
                                  "reminder_id": reminder_id}, actor, commit=False)
    audit.record("contacts.send", actor=actor, actor_label="" if actor else "system:reminders",
                 object_type="survey", object_id=survey_id, ip_address=ip_address,
                 detail={"kind": kind, "job_id": job.id, "reminder_id": reminder_id})
    return job


def _pace(started: float, sent: int) -> None:
    rate = float(current_app.config.get("INVITATION_RATE", 10))
    if rate > 0:
        wait = started + sent / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def _prepare(ids: list[int], kind: str,
             version: SurveyVersion) -> list[tuple[Recipient, Message]]:
    """New links for a batch of contacts, committed before anything is sent."""
    def work() -> list[tuple[Recipient, Message]]:
        query = select(SurveyContact).where(
            SurveyContact.id.in_(ids), SurveyContact.responded.is_(False),
            SurveyContact.opted_out.is_(False)).order_by(SurveyContact.id)
        if kind == "reminder":  # a bounce may have come in since the list was read
            query = query.where(SurveyContact.delivery != "bounced")
        found = list(db.session.scalars(query))
        return [(Recipient(c.id, c.email, c.mobile, notify_reference(
                     c.id, 0 if kind == "invite" else c.reminders + 1)),
                 _message(kind, c.name, contacts.new_link(c.id), version, c.language))
                for c in found]

    return in_transaction(work)


def _record(outcomes: list[tuple[int, Outcome]], kind: str) -> None:
    def work() -> None:
        now = utcnow()
        for contact_id, outcome in outcomes:
            # Notify's callback may have come while the batch was sending: keep its state
            # for this message (and a bounce) rather than go back to "sent".
            kept = SurveyContact.delivery == "bounced"
            if outcome.notify_id:
                kept = or_(kept, and_(SurveyContact.notify_id == outcome.notify_id,
                                      SurveyContact.delivery.in_(FINAL_STATES)))
            values: dict[str, Any] = {
                "delivery": case((kept, SurveyContact.delivery), else_=outcome.state),
                "delivery_detail": case((kept, SurveyContact.delivery_detail),
                                        else_=outcome.detail),
                "notify_id": outcome.notify_id}
            if kind == "invite":
                values["invited_at"] = now
            else:
                values.update(reminded_at=now, reminders=SurveyContact.reminders + 1)
            db.session.execute(update(SurveyContact).where(SurveyContact.id == contact_id)
                               .values(**values))

    in_transaction(work)


def _back(survey_id: int) -> dict[str, Any]:
    """Where the job page links once the job is done: the survey's contact list."""
    slug = db.session.scalar(select(Survey.slug).where(Survey.id == survey_id))
    return {"endpoint": "staff.contacts_page", "endpoint_args": {"slug": slug}}


@jobs.job_handler(SEND_JOB)
def run_send(ctx: jobs.JobContext) -> dict[str, Any]:
    """Send a survey's invitations or reminder, in batches, at the configured rate."""
    survey_id, kind = int(ctx.params["survey_id"]), str(ctx.params["kind"])
    version = contacts.latest_version(survey_id)
    if version is None:
        raise jobs.JobFailed("This survey has not been published, so nobody can answer it yet.")
    ids = contacts.unanswered(survey_id, kind)
    tally: dict[str, int] = {}
    started, handed = time.monotonic(), 0
    with _sender() as sender:
        for first in range(0, len(ids), BATCH):
            outcomes: list[tuple[int, Outcome]] = []
            for contact, message in _prepare(ids[first:first + BATCH], kind, version):
                _pace(started, handed)
                outcome = sender.send(contact, message)
                handed += 1
                outcomes.append((contact.contact_id, outcome))
                tally[outcome.state] = tally.get(outcome.state, 0) + 1
            _record(outcomes, kind)
            done = min(len(ids), first + BATCH)
            ctx.progress(int(100 * done / max(1, len(ids))), f"{done} of {len(ids)}")
    return {"kind": kind, "contacts": len(ids), **tally, **_back(survey_id)}


def refresh_statuses(survey_id: int, actor: User | None) -> Job:
    """Queue reading GOV.UK Notify's delivery statuses back for a survey's contacts."""
    return jobs.enqueue(STATUS_JOB, {"survey_id": survey_id}, actor)


@jobs.job_handler(STATUS_JOB)
def run_statuses(ctx: jobs.JobContext) -> dict[str, Any]:
    """Ask Notify how each sent message went, and record it on the contact."""
    if not uses_notify():
        raise jobs.JobFailed("Delivery statuses come from GOV.UK Notify, which is not set up.")
    survey_id = int(ctx.params["survey_id"])
    rows = db.session.execute(select(SurveyContact.id, SurveyContact.notify_id).where(
        SurveyContact.survey_id == survey_id, SurveyContact.notify_id != "",
        SurveyContact.delivery == "sent")).all()
    sender = NotifySender()
    changed = 0
    for first in range(0, len(rows), BATCH):
        found = []
        for contact_id, notify_id in rows[first:first + BATCH]:
            state, status = sender.status(notify_id)
            if state != "sent":
                found.append((contact_id, state, status))

        def work(found: list[tuple[int, str, str]] = found) -> None:
            for contact_id, state, status in found:
                set_delivery(contact_id, state, status)

        in_transaction(work)
        changed += len(found)
        ctx.progress(int(100 * min(len(rows), first + BATCH) / max(1, len(rows))))
    return {"checked": len(rows), "changed": changed, **_back(survey_id)}


def schedule_reminder(survey_id: int, due_at: datetime, actor: User,
                      ip_address: str = "") -> ContactReminder:
    """Plan a reminder for a time; one audit row."""
    def work() -> ContactReminder:
        reminder = ContactReminder(survey_id=survey_id, due_at=due_at, created_by_id=actor.id)
        db.session.add(reminder)
        db.session.flush()
        audit.record("contacts.schedule_reminder", actor=actor, object_type="survey",
                     object_id=survey_id, ip_address=ip_address,
                     detail={"reminder_id": reminder.id, "due_at": due_at.isoformat()})
        return reminder

    return in_transaction(work)


def scheduled(survey_id: int) -> list[ContactReminder]:
    """A survey's reminders, planned and started, by time."""
    return list(db.session.scalars(select(ContactReminder).where(
        ContactReminder.survey_id == survey_id).order_by(ContactReminder.due_at)))


def send_due_reminders(now: datetime | None = None) -> list[int]:
    """Start the reminders whose time has come (each once: a guarded UPDATE claims it); the
    jobs' ids."""
    now = now or utcnow()
    started: list[int] = []
    due = list(db.session.execute(select(ContactReminder.id, ContactReminder.survey_id).where(
        ContactReminder.due_at <= now, ContactReminder.started_at.is_(None))))
    for reminder_id, survey_id in due:
        # One transaction per reminder: the claim, its job, the audit row and the job's id on
        # the reminder are saved together (and retried together when the database is locked).
        def work(reminder_id: int = reminder_id, survey_id: int = survey_id) -> int | None:
            claimed = changed_rows(update(ContactReminder).where(
                ContactReminder.id == reminder_id, ContactReminder.started_at.is_(None))
                .values(started_at=now))
            if not claimed:
                return None  # another worker started it
            job = _queue(survey_id, "reminder", None, "", reminder_id)
            db.session.execute(update(ContactReminder).where(ContactReminder.id == reminder_id)
                               .values(job_id=job.id))
            return int(job.id)

        job_id = in_transaction(work)
        if job_id is not None:
            jobs.dispatch(job_id)
            started.append(job_id)
    return started
