"""Who may respond online (issue 19, collect): a survey open to anyone with its address, or
one that only people invited from its contact list may answer.

An invitation-only survey admits a browser that holds a live invitation link of one of the
survey's contacts (the token ``/i/<token>`` kept in the resident's session): one the contact
has not used to respond and has not opted out with. The runner's services ask here on every
step (starting, each page, resuming, submitting), so no route can skip it; the staff channels
(interviews, paper, imports) never do, since staff collect those answers themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import select, update

from engage.extensions import db
from engage.models import ContactLink, SurveyContact
from engage.services.collect import contacts
from engage.services.collect.published_surveys import PublishedSurvey
from engage.services.platform.accounts import token_hash
from engage.services.platform.transactions import changed_rows
from surveys.errors import DomainError

RESIDENT_CHANNEL = "online"
SEALED_LENGTH = 200
"""Characters: a sealed invitation is 95."""


class InvitationRequired(DomainError):
    """The survey is by invitation and this browser has no live link for it: ``no_link``,
    ``unknown`` (not a link of this survey), ``used`` or ``opted_out``."""


def limited(published: PublishedSurvey, channel: str = RESIDENT_CHANNEL) -> bool:
    """True when responses on this channel need an invitation (residents online only)."""
    return published.invitation_only and channel == RESIDENT_CHANNEL


def admit(published: PublishedSurvey, token: str | None,
          channel: str = RESIDENT_CHANNEL) -> None:
    """Nothing for a survey anyone may answer (or a staff channel); InvitationRequired unless
    the token is a live link of one of this survey's contacts. Changes nothing."""
    if not limited(published, channel):
        return
    if not token:
        raise InvitationRequired("no_link")
    try:
        target = contacts.follow(token)
    except contacts.BadLink as exc:
        raise InvitationRequired("used" if exc.code == "used" else
                                 "opted_out" if exc.code == "opted_out" else "unknown") from exc
    if target.survey_id != published.survey_id:
        raise InvitationRequired("unknown")


def _cipher(response_id: int) -> AESGCM:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    key = hmac.new(secret, f"resume-admission:{response_id}".encode(), hashlib.sha256).digest()
    return AESGCM(key)


def seal(invitation: str, response_id: int) -> str:
    """The invitation a response was started with, encrypted and authenticated (AES-GCM, a
    key from the app's secret for that one response): the resume link carries it, so that
    the person can carry on from another browser. It opens only that response (``unseal``),
    never a new one, and keeps the invitation out of the database and out of the link and
    the other browser's cookie as it is."""
    nonce = os.urandom(12)
    sealed = nonce + _cipher(response_id).encrypt(nonce, invitation.encode("utf-8"), None)
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def unseal(sealed: str, response_id: int) -> str | None:
    """The invitation sealed for this response; None for anything else (another response's,
    altered, made up, or sealed under an earlier secret)."""
    if not sealed or len(sealed) > SEALED_LENGTH:
        return None
    try:
        data = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        return _cipher(response_id).decrypt(data[:12], data[12:], None).decode("utf-8")
    except (InvalidTag, UnicodeError, ValueError):
        return None


def use_up(published: PublishedSurvey, token: str | None) -> None:
    """Inside a submit's transaction: flag the link's contact as responded, once. Raises
    InvitationRequired('used') when another browser got there first with the same link, so
    each invitation gives at most one response. The flag has no time and the response keeps
    nothing of the contact (anonymity)."""
    contact_id = db.session.scalar(
        select(ContactLink.contact_id).join(SurveyContact)
        .where(ContactLink.token_hash == token_hash(token or ""),
               SurveyContact.survey_id == published.survey_id))
    if contact_id is None:
        raise InvitationRequired("unknown")
    done = changed_rows(update(SurveyContact).where(
        SurveyContact.id == contact_id, SurveyContact.responded.is_(False),
        SurveyContact.opted_out.is_(False)).values(responded=True))
    if done != 1:
        raise InvitationRequired("used")
