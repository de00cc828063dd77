"""Shared set-up for the invitation tests: a published survey, an officer, a contact list."""

from __future__ import annotations

import re
from email.message import Message
from typing import Any

from flask import Flask
from sqlalchemy import select

from engage.extensions import db
from engage.models import Survey, User
from engage.services.collect import contacts
from engage.services.collect.published_surveys import publish_definition
from tests.pages import make_user

BASE = "https://engage.example.org"
SLUG = "library-invite"
T = lambda en: {"en": en}  # noqa: E731
DEFINITION: dict[str, Any] = {
    "id": SLUG, "title": T("Library survey"), "language": "en", "languages": ["en"],
    "sections": [{"id": "main", "title": T("Libraries"), "pages": [
        {"id": "use", "questions": [{
            "id": "use", "type": "single-choice", "name": T("whether you use the library"),
            "title": T("Do you use the library?"),
            "options": [{"id": "yes", "text": T("Yes")}, {"id": "no", "text": T("No")}]}]}]}],
}
CSV = (b"email,mobile,name,ward\n"
       b"ada@example.org,,Ada,Bow East\n"
       b"bob@refused.example,,Bob,\n"
       b",07700 900 123,Cy,\n"
       b"dee@example.org,,Dee,bow-west\n")


def setup(app: Flask, anonymous: bool = True) -> tuple[Survey, User]:
    """A published survey, an engagement officer, sending at once (jobs run in the request)."""
    app.config.update(BASE_URL=BASE, JOBS_MODE="sync", INVITATION_RATE=1000)
    version = publish_definition(DEFINITION, lawful_basis="Public task",
                                 privacy_notice="We keep it 1 year")
    version.anonymous = anonymous
    db.session.commit()
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    assert survey is not None
    return survey, make_user(email="officer@example.org", role="engagement_officer")


def upload(survey: Survey, actor: User, data: bytes = CSV) -> int:
    return contacts.upload(survey.id, data, actor)


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link(message: Message, stop: bool = False) -> str:
    """The path of the answer link (or the stop link) in a message."""
    pattern = BASE + (r"(/i/[A-Za-z0-9_-]+/stop)" if stop else r"(/i/[A-Za-z0-9_-]+)(?!/)\s")
    found = re.search(pattern, body(message))
    assert found, body(message)
    return found.group(1)
