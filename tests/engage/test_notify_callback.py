"""GOV.UK Notify's delivery-status callback (issue 19): POST /callbacks/notify with the bearer
token set in NOTIFY_CALLBACK_TOKEN (404 without it, 401 for another), the reference the
sending job gave Notify, each final status recorded on the contact as the status job and
``flask record-bounce`` record them, audited; unknown references answered 200 and logged."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.config import ConfigError, load_config
from engage.extensions import db
from engage.models import AuditEvent, SurveyContact
from engage.services.collect import contact_sending
from tests.engage.contacts_helpers import setup, upload
from tests.notify_fake import API_KEY, NotifyFake

URL = "/callbacks/notify"
TOKEN = "callback-token-0123456789-abcdef"
CSV = b"email,mobile,name\nada@example.org,,Ada\nbea@example.org,,Bea\n,07700 900 123,Cy\n"


def _contacts() -> dict[str, SurveyContact]:
    db.session.expire_all()
    return {c.name: c for c in db.session.scalars(select(SurveyContact))}


def _audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def sent(app: Flask) -> dict[str, dict[str, Any]]:
    """Invitations sent through the local Notify fake: name → what Notify was asked to send
    (with its id), the callback token set."""
    survey, officer = setup(app)
    upload(survey, officer, CSV)
    with NotifyFake() as notify:
        app.config.update(
            NOTIFY_API_KEY=API_KEY,
            NOTIFY_BASE_URL=notify.base_url,
            NOTIFY_EMAIL_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000001",
            NOTIFY_SMS_TEMPLATE_ID="4f1b2b2a-0000-4000-8000-000000000002",
        )
        job = contact_sending.start(survey.id, "invite", officer)
        db.session.refresh(job)
        assert job.status == "succeeded", job.error
        requests = {k: {**v, "id": k} for k, v in notify.sent.items()}
    app.config["NOTIFY_CALLBACK_TOKEN"] = TOKEN
    by_id = {c.notify_id: c.name for c in _contacts().values()}
    return {by_id[k]: v for k, v in requests.items()}


def _callback(message: dict[str, Any], status: str, **changes: Any) -> dict[str, Any]:
    body = {
        "id": message["id"],
        "reference": message["body"].get("reference"),
        "to": message["to"],
        "status": status,
        "created_at": "2026-12-07T10:00:00.000000Z",
        "completed_at": "2026-12-07T10:00:05.000000Z",
        "sent_at": "2026-12-07T10:00:01.000000Z",
        "notification_type": message["kind"],
        "template_id": "x",
        "template_version": 1,
    }
    body.update(changes)
    return body


def _post(client: FlaskClient, body: Any, token: str = TOKEN, raw: bytes | None = None) -> Any:
    return client.post(
        URL,
        data=raw if raw is not None else json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


def test_the_sending_job_gives_notify_a_signed_reference_per_contact(
    sent: dict[str, dict[str, Any]],
) -> None:
    contacts = _contacts()
    for name, message in sent.items():
        reference = message["body"]["reference"]
        assert contact_sending.read_reference(reference) == (contacts[name].id, 0)
        assert "@" not in reference and "7700" not in reference  # nothing personal
    reference = sent["Ada"]["body"]["reference"]
    contact_id, _sequence, signature = reference.split(".")
    assert contact_sending.read_reference(f"{contacts['Bea'].id}.0.{signature}") is None
    assert contact_sending.read_reference(f"{contact_id}.1.{signature}") is None
    tampered = reference[:-1] + ("1" if reference.endswith("0") else "0")
    assert contact_sending.read_reference(tampered) is None
    assert contact_sending.read_reference("") is None
    assert contact_sending.read_reference("a.b.c") is None


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("delivered", "delivered"),
        ("permanent-failure", "bounced"),
        ("temporary-failure", "failed"),
        ("technical-failure", "failed"),
    ],
)
def test_each_status_is_recorded_on_the_contact(
    client: FlaskClient, sent: dict[str, dict[str, Any]], status: str, state: str
) -> None:
    response = _post(client, _callback(sent["Ada"], status))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"result": "recorded"}
    contacts = _contacts()
    assert contacts["Ada"].delivery == state
    assert contacts["Ada"].delivery_detail == status
    assert contacts["Bea"].delivery == "sent"  # nobody else
    if state == "bounced":  # as `flask record-bounce` does
        audit = _audits("contacts.bounce")
        assert [a.actor_label for a in audit] == ["system:notify-callback"]
        assert audit[0].detail == {"contacts": 1}
    else:
        audit = _audits("contacts.delivery_status")
        assert [a.detail["status"] for a in audit] == [status]
        assert audit[0].object_id == str(contacts["Ada"].survey_id)
    assert "ada@example.org" not in json.dumps([a.detail for a in audit])
    # A text message's status too.
    assert _post(client, _callback(sent["Cy"], status)).status_code == 200
    assert _contacts()["Cy"].delivery == state


def test_a_wrong_or_missing_token_is_refused(
    client: FlaskClient, sent: dict[str, dict[str, Any]]
) -> None:
    body = _callback(sent["Ada"], "permanent-failure")
    for token in ("wrong-token-0123456789-abcdef", TOKEN[:-1], TOKEN + "x", ""):
        response = _post(client, body, token)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.post(URL, json=body, headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 401
    assert _contacts()["Ada"].delivery == "sent"
    assert not _audits("contacts.bounce")


def test_without_the_setting_there_is_no_callback(
    app: Flask, client: FlaskClient, sent: dict[str, dict[str, Any]]
) -> None:
    app.config["NOTIFY_CALLBACK_TOKEN"] = ""
    assert _post(client, _callback(sent["Ada"], "permanent-failure")).status_code == 404
    assert _post(client, _callback(sent["Ada"], "delivered"), "").status_code == 404
    assert _contacts()["Ada"].delivery == "sent"


def test_a_body_that_is_not_a_callback_is_refused(
    client: FlaskClient, sent: dict[str, dict[str, Any]]
) -> None:
    good = _callback(sent["Ada"], "delivered")
    for raw in (b"{not json", b"\xff\xfe", b"[]", b"", b'"delivered"'):
        assert _post(client, None, raw=raw).status_code == 400, raw
    for changes in (
        {"id": None},
        {"status": 3},
        {"status": ""},
        {"reference": ["x"]},
        {"notification_type": {}},
    ):
        assert _post(client, {**good, **changes}).status_code == 400, changes
    too_big = {**good, "padding": "x" * 5000}
    assert _post(client, too_big).status_code == 413
    assert _contacts()["Ada"].delivery == "sent"


def test_an_unknown_reference_changes_nothing_and_is_logged(
    client: FlaskClient, sent: dict[str, dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    ada = sent["Ada"]
    contact_id = _contacts()["Ada"].id
    with caplog.at_level(logging.WARNING):
        for reference in (
            None,
            "",
            "another-service-ref",
            f"{contact_id}.0.{'0' * 32}",
            contact_sending.notify_reference(contact_id + 1000, 0),
        ):
            response = _post(client, _callback(ada, "permanent-failure", reference=reference))
            assert response.status_code == 200  # so that Notify stops retrying
            assert response.get_json() == {"result": "unknown"}
    assert caplog.text.count("Notify callback unknown") == 5
    assert _contacts()["Ada"].delivery == "sent"
    assert not _audits("contacts.bounce") and not _audits("contacts.delivery_status")
    # A status with nothing to record ("sending" is not a final status).
    response = _post(client, _callback(ada, "sending"))
    assert response.status_code == 200 and response.get_json() == {"result": "ignored"}
    assert _contacts()["Ada"].delivery == "sent"


def test_an_earlier_message_does_not_undo_a_later_one(
    client: FlaskClient, sent: dict[str, dict[str, Any]]
) -> None:
    ada = _contacts()["Ada"]
    db.session.execute(
        SurveyContact.__table__.update().where(SurveyContact.id == ada.id).values(reminders=1)
    )  # a reminder has gone since
    db.session.commit()
    response = _post(client, _callback(sent["Ada"], "temporary-failure"))
    assert response.get_json() == {"result": "earlier"}
    assert _contacts()["Ada"].delivery == "sent"
    reminder = contact_sending.notify_reference(ada.id, 1)
    response = _post(
        client, _callback(sent["Ada"], "delivered", id="reminder-1", reference=reminder)
    )
    assert response.get_json() == {"result": "recorded"}
    assert _contacts()["Ada"].delivery == "delivered"
    # A bounce is a bounce, whichever message found it out.
    _post(client, _callback(sent["Ada"], "permanent-failure"))
    assert _contacts()["Ada"].delivery == "bounced"


def test_a_status_that_comes_before_the_batch_is_written_is_kept(
    client: FlaskClient, sent: dict[str, dict[str, Any]]
) -> None:
    ada, bea = _contacts()["Ada"], _contacts()["Bea"]
    _post(client, _callback(sent["Ada"], "delivered"))
    _post(client, _callback(sent["Bea"], "permanent-failure"))
    # The sending job writes its batch's outcomes after Notify has already called back.
    contact_sending._record(
        [
            (ada.id, contact_sending.Outcome("sent", "", sent["Ada"]["id"])),
            (bea.id, contact_sending.Outcome("sent", "", sent["Bea"]["id"])),
        ],
        "invite",
    )
    contacts = _contacts()
    assert contacts["Ada"].delivery == "delivered"
    assert contacts["Bea"].delivery == "bounced"
    # A new message's outcome replaces the last one's status.
    contact_sending._record([(ada.id, contact_sending.Outcome("sent", "", "new-id"))], "reminder")
    assert _contacts()["Ada"].delivery == "sent"


def test_the_callback_is_rate_limited(
    app: Flask, client: FlaskClient, sent: dict[str, dict[str, Any]]
) -> None:
    app.config["NOTIFY_CALLBACK_LIMIT"] = "3 per minute"
    body = _callback(sent["Ada"], "delivered")
    codes = [_post(client, body, "wrong").status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    assert _post(client, body).status_code == 429


def test_a_short_callback_token_is_refused_at_start(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="NOTIFY_CALLBACK_TOKEN"):
        load_config(str(tmp_path), {"NOTIFY_CALLBACK_TOKEN": "short"})
    assert (
        load_config(str(tmp_path), {"NOTIFY_CALLBACK_TOKEN": TOKEN})["NOTIFY_CALLBACK_TOKEN"]
        == TOKEN
    )
