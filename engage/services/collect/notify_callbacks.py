"""GOV.UK Notify's delivery-status callback (issue 19, collect): Notify posts the final status
of each message it was given (JSON: ``id``, ``reference``, ``to``, ``status``,
``notification_type``, times), so delivery shows on the contact list without the
``contacts.notify_status`` job.

The reference is the one the sending job gave Notify (``contact_sending.notify_reference``:
the contact, which message, signed with the app's secret). A permanent failure marks the
contact bounced as ``flask record-bounce`` does (``contact_bounces.record``); delivered,
temporary and technical failures are recorded as the status job records them. A status about
an earlier message than the contact's latest (an invitation's, after a reminder went) changes
nothing but a bounce. Anything unknown changes nothing; the caller answers 200 all the same,
so that Notify stops retrying.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from engage.extensions import db
from engage.models import Survey, SurveyContact
from engage.services.collect import contact_bounces, contact_sending
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

STATES = {
    "delivered": "delivered",
    "permanent-failure": "bounced",
    "temporary-failure": "failed",
    "technical-failure": "failed",
}
"""The statuses Notify calls back with, and the contact's delivery state for each."""


class BadCallback(ValueError):
    """The body is not a Notify callback (not JSON, or a field missing or of the wrong type)."""


@dataclass(frozen=True)
class Callback:
    """What is used of one callback (``to`` is not: the contact's own address is used)."""

    notification_id: str
    reference: str
    status: str
    notification_type: str


def parse(body: bytes) -> Callback:
    """The callback in a request body; BadCallback when it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCallback("json") from exc
    if not isinstance(data, dict):
        raise BadCallback("object")
    fields = {}
    for name in ("id", "status"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise BadCallback(name)
        fields[name] = value.strip()
    reference = data.get("reference")
    kind = data.get("notification_type")
    if reference is not None and not isinstance(reference, str):
        raise BadCallback("reference")
    if kind is not None and not isinstance(kind, str):
        raise BadCallback("notification_type")
    return Callback(fields["id"], (reference or "")[:200], fields["status"], (kind or "")[:16])


def record(callback: Callback) -> str:
    """Record a callback on its contact; what happened: ``recorded``, ``unknown`` (no contact
    of this app: another service's reference, a made-up one, or a contact since deleted),
    ``ignored`` (a status with nothing to record) or ``earlier`` (about an earlier message).
    Each change is audited (survey, status; never the address)."""
    read = contact_sending.read_reference(callback.reference)
    if read is None:
        return "unknown"
    contact_id, sequence = read
    found = db.session.execute(
        select(
            SurveyContact.email,
            SurveyContact.mobile,
            SurveyContact.reminders,
            SurveyContact.survey_id,
            Survey.slug,
        )
        .join(Survey, Survey.id == SurveyContact.survey_id)
        .where(SurveyContact.id == contact_id)
    ).one_or_none()
    state = STATES.get(callback.status)
    if found is None:
        return "unknown"
    if state is None:
        return "ignored"
    email, mobile, reminders, survey_id, slug = found
    if state == "bounced":  # the address is wrong, whichever message found it out
        contact_bounces.record(
            email or mobile, callback.status, slug, source="system:notify-callback"
        )
        return "recorded"
    if sequence < reminders:
        return "earlier"

    def work() -> None:
        contact_sending.set_delivery(contact_id, state, callback.status, callback.notification_id)
        audit.record(
            "contacts.delivery_status",
            actor_label="system:notify-callback",
            object_type="survey",
            object_id=survey_id,
            detail={
                "status": callback.status,
                "contacts": 1,
                "notification_type": callback.notification_type,
            },
        )

    in_transaction(work)
    return "recorded"
