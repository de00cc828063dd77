"""Invitations (issue 19): contact list upload all or nothing, single-use links stored as
hashes, sending through a real SMTP server (aiosmtpd) as a job with refusals per contact,
reminders by hand and on a schedule, one-click opt-out, anonymity (no join from response to
contact), erasure and retention with audit rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select, update

from engage.extensions import db
from engage.models import (
    AuditEvent,
    ContactLink,
    ContactReminder,
    Job,
    Response,
    SurveyContact,
    SurveyVersion,
)
from engage.models._types import utcnow
from engage.services.collect import contact_sending, contacts, privacy
from engage.services.collect.published_surveys import forget_published, published_survey
from engage.services.platform.accounts import token_hash
from tests.engage.contacts_helpers import CSV, SLUG, body, link, setup, upload
from tests.locks import locked_once
from tests.pages import check_page, csrf_token
from tests.smtp_server import SmtpServer


def _contact(email: str) -> SurveyContact:
    db.session.expire_all()
    found = db.session.scalar(select(SurveyContact).where(SurveyContact.email == email))
    assert found is not None
    return found


def _audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_upload_checks_every_row_and_saves_all_or_nothing(app: Flask) -> None:
    survey, officer = setup(app)
    bad = (b"Email,Mobile,Name,Ward\n"
           b"ok@example.org,,A,\n"
           b"not-an-email,,B,\n"
           b",,C,\n"
           b",07123,D,\n"
           b"e@example.org,,E,Atlantis\n"
           b"OK@example.org,,dup,\n")
    try:
        contacts.upload(survey.id, bad, officer)
    except contacts.UploadRefused as refused:
        assert [(p.row, p.code) for p in refused.problems] == [
            (3, "email"), (4, "no_address"), (5, "mobile"), (6, "ward"), (7, "duplicate")]
    else:
        raise AssertionError("a file with bad rows was accepted")
    assert db.session.scalar(select(func.count()).select_from(SurveyContact)) == 0
    assert upload(survey, officer) == 4
    cy = db.session.scalar(select(SurveyContact).where(SurveyContact.name == "Cy"))
    assert cy is not None and cy.mobile == "+447700900123" and cy.email == ""
    assert _contact("ada@example.org").ward == "bow-east"  # a ward's name is stored as its id
    # Already on the list: a second upload of the same people is refused as a whole.
    try:
        upload(survey, officer)
    except contacts.UploadRefused as refused:
        assert {p.code for p in refused.problems} == {"duplicate"}
    assert db.session.scalar(select(func.count()).select_from(SurveyContact)) == 4
    [event] = _audits("contacts.upload")
    assert event.detail == {"contacts": 4} and "ada" not in str(event.detail)


def test_file_level_problems(app: Flask) -> None:
    survey, officer = setup(app)
    for data, code in ((b"", "empty"), (b"\xff\xfe\x00x", "encoding"),
                       (b"name,ward\nA,\n", "no_columns"), (b"email\n", "no_rows")):
        try:
            contacts.upload(survey.id, data, officer)
        except contacts.UploadRefused as refused:
            assert refused.problems[0].code == code
        else:
            raise AssertionError(code)


def test_send_invitations_over_smtp_with_refusals_per_contact(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        job = contact_sending.start(survey.id, "invite", officer)
        db.session.refresh(job)
        assert job.status == "succeeded", job.error
        assert job.result["sent"] == 2 and job.result["bounced"] == 1
        assert job.result["not_sent"] == 1 and job.progress == 100
        received = smtp.messages
    assert sorted(m["To"] for m in received) == ["ada@example.org", "dee@example.org"]
    ada = next(m for m in received if m["To"] == "ada@example.org")
    assert "Dear Ada," in body(ada) and "Library survey" in ada["Subject"]
    assert ada["List-Unsubscribe"].startswith("<https://engage.example.org/i/")
    assert ada["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    bob = _contact("bob@refused.example")
    assert bob.delivery == "bounced" and bob.delivery_detail.startswith("550")
    cy = db.session.scalar(select(SurveyContact).where(SurveyContact.name == "Cy"))
    assert cy is not None and cy.delivery == "not_sent"
    assert _contact("ada@example.org").delivery == "sent"
    # Only hashes are stored: the token in the mail is in no column.
    token = link(ada).rsplit("/", 1)[-1]
    assert db.session.scalar(select(ContactLink).where(
        ContactLink.token_hash == token_hash(token))) is not None
    assert db.session.scalar(select(func.count()).select_from(ContactLink).where(
        ContactLink.token_hash == token)) == 0
    # Sending again invites nobody twice.
    with SmtpServer() as smtp:
        app.config.update(MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "invite", officer)
        assert smtp.count == 0


def _answer(client: FlaskClient, path: str) -> None:
    """Follow an invitation link and answer the survey."""
    response = client.get(path)
    assert response.status_code == 303 and response.headers["Location"] == f"/s/{SLUG}/"
    token = csrf_token(client, f"/s/{SLUG}/")
    assert client.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303
    token = csrf_token(client, f"/s/{SLUG}/q/use")
    client.post(f"/s/{SLUG}/q/use", data={"csrf_token": token, "q-use": "yes"})
    token = csrf_token(client, f"/s/{SLUG}/check")
    assert client.post(f"/s/{SLUG}/submit", data={"csrf_token": token}).status_code == 303


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None) if value.tzinfo else value


def _response_rows(response_id: int) -> list[dict[str, Any]]:
    """The response's row and every row of a table that points at it (free text, its
    analysis text, weights, ...), as column → value."""
    rows = [dict(db.session.execute(select(Response.__table__).where(
        Response.__table__.c.id == response_id)).mappings().one())]
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "responses" and fk.column.name == "id":
                rows += [dict(r) for r in db.session.execute(
                    select(table).where(fk.parent == response_id)).mappings()]
    return rows


def _identifies(value: Any, ids: set[int], texts: set[str]) -> bool:
    """Whether a stored value (JSON answers walked through) holds one of the ids, as a number
    or as text, or contains one of the texts."""
    if isinstance(value, dict):
        return any(_identifies(v, ids, texts) for pair in value.items() for v in pair)
    if isinstance(value, list | tuple):
        return any(_identifies(v, ids, texts) for v in value)
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return value in ids
    if isinstance(value, str):
        return value.strip() in {str(i) for i in ids} or any(t in value for t in texts)
    return False


@pytest.mark.parametrize("invitation_only", [False, True])
def test_link_is_single_use_and_anonymous_response_has_no_join(
        app: Flask, client: FlaskClient, invitation_only: bool) -> None:
    """Nothing in an anonymous survey's response, or in any row linked to it, identifies the
    contact: no contact or link id, token (as sent or hashed), address, name or Notify id; and
    nothing written about the contact when they respond carries a time that matches the
    response's."""
    survey, officer = setup(app, anonymous=True)
    upload(survey, officer)
    survey.invitation_only = invitation_only  # the link used up at submit, or just after it
    forget_published()
    # Contact and link ids unlike any other id here, so that a stored one cannot hide behind
    # a survey, version or response id of the same number.
    db.session.execute(update(SurveyContact).values(id=SurveyContact.id + 7000))
    db.session.commit()
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "invite", officer)
        ada_mail = next(m for m in smtp.messages if m["To"] == "ada@example.org")
    db.session.execute(update(ContactLink).values(id=ContactLink.id + 9000))
    # Sent yesterday: a time written when Ada responds would stand out from these.
    yesterday = utcnow() - timedelta(days=1)
    db.session.execute(update(SurveyContact).values(created_at=yesterday, invited_at=yesterday))
    db.session.execute(update(ContactLink).values(created_at=yesterday))
    db.session.commit()
    assert published_survey(SLUG).invitation_only is invitation_only
    before = {c.key: getattr(_contact("ada@example.org"), c.key)
              for c in inspect(SurveyContact).mapper.column_attrs}
    path = link(ada_mail)
    answering = utcnow()
    _answer(client, path)
    ada = _contact("ada@example.org")
    after = {c.key: getattr(ada, c.key) for c in inspect(SurveyContact).mapper.column_attrs}
    # Only the flag changed: no time, no response id was written on the contact.
    assert {k for k in after if after[k] != before[k]} == {"responded"}
    assert ada.responded is True
    assert _contact("dee@example.org").responded is False
    # The link is used up.
    page = check_page(client.get(path), 410)
    assert "already answered" in page.get_text()
    # No join by the schema: no column or foreign key of a response names a contact or a
    # link, and no contact table points at a response.
    response = db.session.scalars(select(Response)).one()
    assert response.status == "submitted" and response.submitted_at is not None
    response_columns = {c.name for c in Response.__table__.columns}
    assert not {n for n in response_columns if "contact" in n or "invit" in n}
    assert "responses" not in {fk.column.table.name for fk in SurveyContact.__table__.foreign_keys}
    assert "responses" not in {fk.column.table.name for fk in ContactLink.__table__.foreign_keys}
    assert not {fk.column.table.name for fk in Response.__table__.foreign_keys} & {
        "survey_contacts", "contact_links"}
    # No join by value: nothing identifying the contact in the response or a linked row.
    links = list(db.session.scalars(select(ContactLink).where(ContactLink.contact_id == ada.id)))
    raw_token = path.rsplit("/", 1)[-1]
    assert links and token_hash(raw_token) in {x.token_hash for x in links}
    ids = {ada.id, *(x.id for x in links)}
    texts = {t for t in (ada.email, ada.mobile, ada.name, ada.notify_id, raw_token,
                         *(x.token_hash for x in links)) if t}
    for row in _response_rows(response.id):
        for column, value in row.items():
            assert not _identifies(value, ids, texts), (column, value)
    # No join by time: nothing about the contact or their links (nor an audit row about
    # contacts) was written at the time the response was submitted, to the second.
    submitted = _naive(response.submitted_at)
    times = [v for v in after.values() if isinstance(v, datetime)]
    times += [x.created_at for x in links]
    assert times
    assert not [t for t in times if abs(_naive(t) - submitted) <= timedelta(seconds=1)]
    assert not [e for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.occurred_at >= answering))
                if "contact" in (e.object_type or "") or e.action.startswith("contacts.")]
    assert not {c.name for c in SurveyContact.__table__.columns if c.name.startswith("respond")
                } - {"responded"}


def test_reminders_by_hand_skip_responded_and_opted_out(
        app: Flask, client: FlaskClient) -> None:
    survey, officer = setup(app)
    upload(survey, officer)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "invite", officer)
        mails = {m["To"]: m for m in smtp.messages}
    _answer(client, link(mails["ada@example.org"]))
    # Dee stops emails with one click on the stop link (a mail program's RFC 8058 POST).
    stop = link(mails["dee@example.org"], stop=True)
    check_page(app.test_client().get(stop))  # the page alone changes nothing
    assert _contact("dee@example.org").opted_out is False
    assert app.test_client().post(stop).status_code == 303
    assert _contact("dee@example.org").opted_out is True
    check_page(app.test_client().get(link(mails["dee@example.org"])), 410)
    with SmtpServer() as smtp:
        app.config.update(MAIL_PORT=smtp.port)
        job = contact_sending.start(survey.id, "reminder", officer)
        # Ada responded, Dee opted out, Bob's invitation bounced: the reminder goes only to
        # Cy (who has only a mobile number, so it is not sent without GOV.UK Notify).
        assert smtp.count == 0
    db.session.refresh(job)
    assert job.result["contacts"] == 1
    assert _contact("bob@refused.example").reminders == 0
    assert _contact("ada@example.org").reminders == 0


def test_scheduled_reminder_is_sent_once_when_due(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer, b"email\nann@example.org\n")
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "invite", officer)
        due = utcnow() + timedelta(days=2)
        contact_sending.schedule_reminder(survey.id, due, officer)
        assert contact_sending.send_due_reminders(utcnow()) == []
        started = contact_sending.send_due_reminders(due + timedelta(minutes=1))
        assert len(started) == 1
        assert contact_sending.send_due_reminders(due + timedelta(minutes=2)) == []
        assert [m["Subject"] for m in smtp.messages][-1].startswith("Reminder:")
        assert smtp.count == 2
    reminder = db.session.scalars(select(ContactReminder)).one()
    assert reminder.job_id == started[0] and reminder.started_at is not None
    assert db.session.get(Job, started[0]).status == "succeeded"
    assert _audits("contacts.schedule_reminder")


def test_reminder_cli(app: Flask) -> None:
    from engage.cli import send_reminders_command

    result = app.test_cli_runner().invoke(send_reminders_command)
    assert result.exit_code == 0 and "Started 0 reminder job(s)" in result.output


def test_erasure_by_address_and_retention(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "invite", officer)
    assert contacts.erase(survey.id, " ADA@example.org ", officer) == 1
    assert contacts.erase(survey.id, "07700900123", officer) == 1
    assert db.session.scalar(select(func.count()).select_from(SurveyContact)) == 2
    # Ada's and Cy's links went with them; Bob's (refused) and Dee's stay.
    assert db.session.scalar(select(func.count()).select_from(ContactLink)) == 2
    events = _audits("contacts.erase")
    assert [e.detail["contacts"] for e in events] == [1, 1]
    assert "ada" not in str([e.detail for e in events])
    # Retention: kept for the survey's retention period, or 90 days after it closes.
    version = db.session.scalars(select(SurveyVersion)).one()
    version.retention_days = 30
    db.session.commit()
    assert privacy.purge_expired_responses(utcnow() + timedelta(days=29)).contacts == 0
    assert privacy.purge_expired_responses(utcnow() + timedelta(days=31)).contacts == 2
    assert db.session.scalar(select(func.count()).select_from(ContactLink)) == 0
    assert _audits("contacts.retention_purge")


def test_contacts_deleted_after_the_survey_closed(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer)
    version = db.session.scalars(select(SurveyVersion)).one()
    version.closes_at = utcnow() + timedelta(days=10)
    db.session.commit()
    assert contacts.purge_expired_contacts(utcnow() + timedelta(days=99)) == 0
    assert contacts.purge_expired_contacts(utcnow() + timedelta(days=101)) == 4


def test_unknown_link(app: Flask, client: FlaskClient) -> None:
    setup(app)
    check_page(client.get("/i/not-a-real-token"), 400)
    check_page(client.get("/i/not-a-real-token/stop"), 400)
    assert client.post("/i/not-a-real-token/stop").status_code == 400
    assert CSV  # the shared list is the one the route tests upload


@pytest.mark.parametrize("kind", ["invite", "scheduled_reminder"])
def test_sending_is_queued_once_through_a_briefly_locked_database(
        app: Flask, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """Queueing a sending (its job and audit row, and a scheduled reminder's claim) is one
    retrying transaction (issue 20): a lock that clears is waited out, the job is queued,
    audited and sent once."""
    survey, officer = setup(app)
    upload(survey, officer, b"email\nann@example.org\n")
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        if kind == "invite":
            failed = locked_once(monkeypatch)
            job = contact_sending.start(survey.id, "invite", officer)
            started = [job.id]
        else:
            contact_sending.start(survey.id, "invite", officer)
            due = utcnow() + timedelta(days=2)
            contact_sending.schedule_reminder(survey.id, due, officer)
            failed = locked_once(monkeypatch)
            started = contact_sending.send_due_reminders(due + timedelta(minutes=1))
        assert failed == [1]
        assert smtp.count == (1 if kind == "invite" else 2)
    db.session.expire_all()
    assert len(started) == 1 and db.session.get(Job, started[0]).status == "succeeded"
    assert len(_audits("contacts.send")) == (1 if kind == "invite" else 2)
    assert db.session.scalar(select(func.count(Job.id))) == (1 if kind == "invite" else 2)
    if kind == "scheduled_reminder":
        reminder = db.session.scalars(select(ContactReminder)).one()
        assert reminder.job_id == started[0] and reminder.started_at is not None
