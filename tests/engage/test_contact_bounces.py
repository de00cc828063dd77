"""Late bounces (issue 19): a message refused after it was sent, recorded from a mail
server's bounce email (RFC 3464) or by address with ``flask record-bounce``, or read back from
GOV.UK Notify; the contact list shows it and reminders skip bounced and opted-out contacts."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.cli import record_bounce_command
from engage.extensions import db
from engage.models import AuditEvent, SurveyContact
from engage.services.collect import contact_bounces, contact_sending, contacts
from tests.engage.contacts_helpers import SLUG, link, setup, upload
from tests.notify_fake import API_KEY, NotifyFake
from tests.pages import check_page, sign_in
from tests.smtp_server import SmtpServer

DSN = b"""From: MAILER-DAEMON@mail.example.org
To: engage@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org

Final-Recipient: rfc822; Dee@Example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <dee@example.org>: Recipient address rejected

Final-Recipient: rfc822; slow@example.org
Action: delayed
Status: 4.4.1

--B--
"""


def _contact(email: str) -> SurveyContact:
    db.session.expire_all()
    found = db.session.scalar(select(SurveyContact).where(SurveyContact.email == email))
    assert found is not None
    return found


def test_bounce_email_read_by_the_command_shows_on_the_list_and_stops_reminders(
        app: Flask, client: FlaskClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    survey, officer = setup(app)
    upload(survey, officer)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "invite", officer)
        mails = {m["To"]: m for m in smtp.messages}
    assert _contact("dee@example.org").delivery == "sent"
    # Days later the mail server sends a bounce email back for Dee.
    (tmp_path / "bounce.eml").write_bytes(DSN)
    result = app.test_cli_runner().invoke(record_bounce_command,
                                          ["--dsn", str(tmp_path / "bounce.eml")])
    assert result.exit_code == 0, result.output
    assert "Recorded a bounce for 1 contact(s)." in result.output
    dee = _contact("dee@example.org")
    assert dee.delivery == "bounced"
    assert dee.delivery_detail == "550 5.1.1 <dee@example.org>: Recipient address rejected"
    audit = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "contacts.bounce")).one()
    assert audit.detail == {"contacts": 1} and "dee" not in str(audit.detail)
    # The contact list page shows it.
    sign_in(client, "officer@example.org")
    table = check_page(client.get(f"/staff/surveys/{SLUG}/contacts")).select_one(
        "#contacts-table")
    row = next(r for r in table.select("tr") if "dee@example.org" in r.get_text())
    assert "Bounced" in row.get_text() and "Recipient address rejected" in row.get_text()
    assert contacts.counts(survey.id).waiting == 2  # Ada and Cy; Bob bounced when sent
    # Ada opts out; the reminder goes to nobody with an email: Bob and Dee bounced.
    assert app.test_client().post(link(mails["ada@example.org"], stop=True)).status_code == 303
    with SmtpServer() as smtp:
        app.config.update(MAIL_PORT=smtp.port)
        job = contact_sending.start(survey.id, "reminder", officer)
        assert smtp.count == 0
    db.session.refresh(job)
    assert job.result["contacts"] == 1  # Cy, who has only a mobile number (not sent)
    assert _contact("dee@example.org").reminders == 0
    assert _contact("bob@refused.example").reminders == 0


def test_bounce_by_address(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer)
    runner = app.test_cli_runner()
    result = runner.invoke(record_bounce_command, ["07700 900 123", "--survey", SLUG,
                                                   "--detail", "Number not in use"])
    assert result.exit_code == 0 and "1 contact(s)" in result.output
    cy = db.session.scalar(select(SurveyContact).where(SurveyContact.name == "Cy"))
    assert cy is not None and (cy.delivery, cy.delivery_detail) == ("bounced",
                                                                    "Number not in use")
    result = runner.invoke(record_bounce_command, ["not an address"])
    assert result.exit_code == 2 and "Not an email address" in result.output
    result = runner.invoke(record_bounce_command, ["ada@example.org", "--survey", "nope"])
    assert result.exit_code == 2 and "No survey" in result.output
    assert runner.invoke(record_bounce_command, []).exit_code == 2
    assert _contact("ada@example.org").delivery == "pending"  # nothing half-done


def test_only_permanent_failures_are_read_from_a_bounce_email() -> None:
    assert contact_bounces.read_dsn(DSN) == [contact_bounces.Bounce(
        "Dee@Example.org", "550 5.1.1 <dee@example.org>: Recipient address rejected")]
    assert contact_bounces.read_dsn(b"Subject: hello\n\nNot a bounce.\n") == []


def test_notify_permanent_failure_stops_reminders(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer, b"email,name\nada@example.org,Ada\nbea@bounce.example,Bea\n")
    with NotifyFake() as notify:
        app.config.update(NOTIFY_API_KEY=API_KEY, NOTIFY_BASE_URL=notify.base_url,
                          NOTIFY_EMAIL_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000001",
                          NOTIFY_SMS_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000002")
        contact_sending.start(survey.id, "invite", officer)
        contact_sending.refresh_statuses(survey.id, officer)
        assert _contact("bea@bounce.example").delivery == "bounced"
        before = len(notify.sent)
        contact_sending.start(survey.id, "reminder", officer)
        reminded = [v["to"] for v in list(notify.sent.values())[before:]]
    assert reminded == ["ada@example.org"]
