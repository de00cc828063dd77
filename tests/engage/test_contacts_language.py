"""Invitations in each contact's language (issue 19): a contact list's optional language
column (en or bn, English when empty, a clear error by row otherwise); the email (through a
real SMTP server) and GOV.UK Notify's subject and body in Bengali for bn contacts, with the
survey's Bengali title and Bengali digits, in English for en contacts."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import Survey, SurveyContact
from engage.services.collect import contact_sending, contacts
from engage.services.collect.published_surveys import publish_definition
from tests.engage.contacts_helpers import BASE, DEFINITION, SLUG, body, link, setup
from tests.notify_fake import API_KEY, NotifyFake
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in
from tests.smtp_server import SmtpServer

PAGE = f"/staff/surveys/{SLUG}/contacts"
CSV = (b"email,mobile,name,language\n"
       b"ada@example.org,,Ada,en\n"
       b"rahim@example.org,,Rahim,bn\n"
       b",07700 900 123,Cy,Bengali\n"
       b"dee@example.org,,Dee,\n")


def _bilingual(app: Flask):  # type: ignore[no-untyped-def]
    """The library survey in English and Bengali, closing at the end of 31 March 2027."""
    app.config.update(BASE_URL=BASE, JOBS_MODE="sync", INVITATION_RATE=1000)

    def both(en: str, bn: str) -> dict[str, str]:
        return {"en": en, "bn": bn}

    page = DEFINITION["sections"][0]["pages"][0]
    question = page["questions"][0]
    definition = {
        **DEFINITION, "languages": ["en", "bn"], "title": both("Library survey", "লাইব্রেরি জরিপ"),
        "sections": [{"id": "main", "title": both("Libraries", "লাইব্রেরি"), "pages": [{
            **page, "questions": [{
                **question, "name": both("whether you use the library", "লাইব্রেরি ব্যবহার"),
                "title": both("Do you use the library?", "আপনি কি লাইব্রেরি ব্যবহার করেন?"),
                "options": [{"id": "yes", "text": both("Yes", "হ্যাঁ")},
                            {"id": "no", "text": both("No", "না")}]}]}]}]}
    publish_definition(definition, lawful_basis="Public task", privacy_notice="1 year",
                       closes_at=datetime(2027, 3, 31, 23, 0, tzinfo=UTC))  # midnight BST
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    officer = make_user(email="officer@example.org", role="engagement_officer")
    contacts.upload(survey.id, CSV, officer)
    return survey, officer


def test_language_column_is_read_and_bad_values_are_named_by_row(
        app: Flask, client: FlaskClient) -> None:
    setup(app)
    assert sign_in(client, "officer@example.org").status_code == 303
    token = csrf_token(client, PAGE)
    bad = b"email,language\nok@example.org,bn\nno@example.org,fr\n"
    response = client.post(f"{PAGE}/upload", data={
        "csrf_token": token, "upload": (io.BytesIO(bad), "list.csv")},
        content_type="multipart/form-data")
    assert error_summary(check_page(response, 400)) == [
        "Row 3: enter the language as en for English or bn for Bengali, or leave it empty "
        "for English"]
    assert db.session.scalar(select(func.count()).select_from(SurveyContact)) == 0
    response = client.post(f"{PAGE}/upload", data={
        "csrf_token": token, "upload": (io.BytesIO(CSV), "list.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    languages = dict(db.session.execute(
        select(SurveyContact.name, SurveyContact.language)).all())
    assert languages == {"Ada": "en", "Rahim": "bn", "Cy": "bn", "Dee": "en"}
    table = check_page(client.get(PAGE)).select_one("#contacts-table")
    rahim = next(row for row in table.select("tr") if "Rahim" in row.get_text())
    assert rahim.select("td")[-1].get_text() == "বাংলা"
    assert rahim.select("td")[-1]["lang"] == "bn"


def _subject(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def test_email_in_the_contacts_language(app: Flask, client: FlaskClient) -> None:
    survey, officer = _bilingual(app)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        job = contact_sending.start(survey.id, "invite", officer)
        db.session.refresh(job)
        assert job.status == "succeeded", job.error
        mails = {m["To"]: m for m in smtp.messages}
    rahim, ada = mails["rahim@example.org"], mails["ada@example.org"]
    assert _subject(rahim) == "আপনার মত দিন: লাইব্রেরি জরিপ"
    assert body(rahim).startswith("প্রিয় Rahim,")
    assert "৩১ মার্চ ২০২৭" in body(rahim) and "31" not in body(rahim).split("http")[0]
    assert _subject(ada) == "Have your say: Library survey"
    assert body(ada).startswith("Dear Ada,")
    assert "11:59pm on 31 March 2027" in body(ada)
    # The link in the Bengali email keeps its ASCII token and works.
    assert client.get(link(rahim)).status_code == 303
    # A reminder is in Bengali too.
    with SmtpServer() as smtp:
        app.config.update(MAIL_PORT=smtp.port)
        contact_sending.start(survey.id, "reminder", officer)
        again = {m["To"]: m for m in smtp.messages}
    assert _subject(again["rahim@example.org"]).startswith("রিমাইন্ডার")
    assert _subject(again["ada@example.org"]).startswith("Reminder")


def test_notify_subject_and_body_in_the_contacts_language(app: Flask) -> None:
    survey, officer = _bilingual(app)
    with NotifyFake() as notify:
        app.config.update(NOTIFY_API_KEY=API_KEY, NOTIFY_BASE_URL=notify.base_url,
                          NOTIFY_EMAIL_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000001",
                          NOTIFY_SMS_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000002")
        job = contact_sending.start(survey.id, "invite", officer)
        db.session.refresh(job)
        assert job.status == "succeeded", job.error
        sent = {v["to"]: v["body"]["personalisation"] for v in notify.sent.values()}
    assert sent["rahim@example.org"]["subject"] == "আপনার মত দিন: লাইব্রেরি জরিপ"
    assert sent["rahim@example.org"]["survey"] == "লাইব্রেরি জরিপ"
    assert sent["rahim@example.org"]["body"].startswith("প্রিয় Rahim,")
    assert sent["+447700900123"]["body"].startswith("প্রিয় Cy,")  # a text message
    assert sent["ada@example.org"]["subject"] == "Have your say: Library survey"
    assert sent["ada@example.org"]["body"].startswith("Dear Ada,")
