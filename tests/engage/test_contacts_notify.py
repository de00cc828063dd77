"""Invitations through GOV.UK Notify (notifications-python-client) against a local fake of its
API on 127.0.0.1 that checks each request's JWT: emails and text messages sent with the
personalisation, refusals recorded per contact, delivery statuses read back by a job."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from engage.extensions import db
from engage.models import SurveyContact
from engage.services.collect import contact_sending
from tests.engage.contacts_helpers import setup, upload
from tests.notify_fake import API_KEY, SERVICE_ID, NotifyFake

CSV = (b"email,mobile,name\n"
       b"ada@example.org,,Ada\n"
       b"fay@fail.example,,Fay\n"
       b"bea@bounce.example,,Bea\n"
       b",07700 900 123,Cy\n")


def _by_name() -> dict[str, SurveyContact]:
    db.session.expire_all()
    return {c.name: c for c in db.session.scalars(select(SurveyContact))}


def _configure(app: Flask, base_url: str, key: str = API_KEY) -> None:
    app.config.update(NOTIFY_API_KEY=key, NOTIFY_BASE_URL=base_url,
                      NOTIFY_EMAIL_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000001",
                      NOTIFY_SMS_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000002")


def test_send_through_notify_and_read_statuses_back(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer, CSV)
    with NotifyFake() as notify:
        _configure(app, notify.base_url)
        job = contact_sending.start(survey.id, "invite", officer)
        db.session.refresh(job)
        assert job.status == "succeeded", job.error
        sent = {v["to"]: v for v in notify.sent.values()}
        assert set(sent) == {"ada@example.org", "bea@bounce.example", "+447700900123"}
        assert sent["+447700900123"]["kind"] == "sms"
        values = sent["ada@example.org"]["body"]["personalisation"]
        assert values["name"] == "Ada" and values["survey"] == "Library survey"
        assert values["link"].startswith("https://engage.example.org/i/")
        assert values["stop_link"] == values["link"] + "/stop"
        contacts = _by_name()
        assert contacts["Fay"].delivery == "failed"
        assert contacts["Fay"].delivery_detail.startswith("400 Can")
        assert contacts["Ada"].delivery == "sent" and contacts["Ada"].notify_id in notify.sent
        job = contact_sending.refresh_statuses(survey.id, officer)
        db.session.refresh(job)
        assert job.status == "succeeded" and job.result["changed"] == 3
    contacts = _by_name()
    assert contacts["Ada"].delivery == "delivered"
    assert contacts["Bea"].delivery == "bounced"
    assert contacts["Bea"].delivery_detail == "permanent-failure"
    assert contacts["Cy"].delivery == "delivered"


def test_a_wrong_key_is_refused_by_notify_and_shown_per_contact(app: Flask) -> None:
    survey, officer = setup(app)
    upload(survey, officer, b"email\nada@example.org\n")
    wrong = f"engage_test-{SERVICE_ID}-00000000-0000-4000-8000-000000000000"
    with NotifyFake() as notify:
        _configure(app, notify.base_url, wrong)
        contact_sending.start(survey.id, "invite", officer)
        assert notify.sent == {}
    ada = _by_name()[""]
    assert ada.delivery == "failed" and ada.delivery_detail.startswith("403")


def test_statuses_need_notify(app: Flask) -> None:
    survey, officer = setup(app)
    job = contact_sending.refresh_statuses(survey.id, officer)
    db.session.refresh(job)
    assert job.status == "failed" and "GOV.UK Notify" in job.error
