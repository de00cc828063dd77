"""Routes of the contact list page (/staff/surveys/<slug>/contacts): roles, upload with GOV.UK
messages naming each row, sending and reminders as jobs, planning a reminder, erasure; and the
resident's link pages."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, ContactReminder, SurveyContact
from engage.services.collect import contacts
from tests.engage.contacts_helpers import CSV, SLUG, setup
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in
from tests.smtp_server import SmtpServer

PAGE = f"/staff/surveys/{SLUG}/contacts"


def _signed_in(app: Flask, client: FlaskClient) -> None:
    setup(app)
    assert sign_in(client, "officer@example.org").status_code == 303


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyContact)) or 0


def _upload(client: FlaskClient, data: bytes, name: str = "list.csv"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, PAGE)
    return client.post(f"{PAGE}/upload", data={"csrf_token": token,
                                               "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_only_officers_and_admins(app: Flask, client: FlaskClient) -> None:
    setup(app)
    assert client.get(PAGE).status_code == 302  # to sign in
    make_user("analyst@example.org", role="analyst")
    assert sign_in(client, "analyst@example.org").status_code == 303
    assert client.get(PAGE).status_code == 403
    admin = app.test_client()
    make_user("admin@example.org", role="admin")
    assert sign_in(admin, "admin@example.org").status_code == 303
    check_page(admin.get(PAGE))
    check_page(admin.get("/staff/surveys/no-such-survey/contacts"), 404)


def test_upload_errors_name_the_rows_and_save_nothing(app: Flask, client: FlaskClient) -> None:
    _signed_in(app, client)
    bad = b"email,name\nfine@example.org,A\nnope,B\n,C\n"
    soup = check_page(_upload(client, bad), 400)
    assert error_summary(soup) == [
        "Row 3: enter an email address in the correct format, like name@example.com",
        "Row 4: enter an email address or a mobile number"]
    assert _count() == 0
    soup = check_page(_upload(client, b"first,second\n1,2\n"), 400)
    assert error_summary(soup) == [
        "Row 1: the selected file must have a column called email or mobile"]
    token = csrf_token(client, PAGE)
    soup = check_page(client.post(f"{PAGE}/upload", data={"csrf_token": token}), 400)
    assert error_summary(soup) == ["Select a CSV file"]


def test_upload_then_the_list_shows_and_its_reading_is_audited(
        app: Flask, client: FlaskClient) -> None:
    _signed_in(app, client)
    response = _upload(client, CSV)
    assert response.status_code == 303 and response.headers["Location"] == PAGE
    assert _count() == 4
    soup = check_page(client.get(PAGE))
    table = soup.select_one("#contacts-table").get_text()
    assert "ada@example.org" in table and "Bow East" in table and "+447700900123" in table
    assert "4 contacts added" in soup.get_text()
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contacts.view"))
    assert [e.detail["rows"] for e in views] == [4]


def test_send_remind_and_the_outcome_per_contact(app: Flask, client: FlaskClient) -> None:
    _signed_in(app, client)
    _upload(client, CSV)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        token = csrf_token(client, PAGE)
        response = client.post(f"{PAGE}/send", data={"csrf_token": token, "kind": "invite"})
        assert response.status_code == 303
        job_page = check_page(client.get(response.headers["Location"]))
        assert "The messages have been sent" in job_page.get_text()
        assert job_page.find("a", string="See the contact list")["href"] == PAGE
        assert smtp.count == 2
        token = csrf_token(client, PAGE)
        client.post(f"{PAGE}/send", data={"csrf_token": token, "kind": "reminder"})
        assert smtp.count == 4  # Ada and Dee again; Bob is refused, Cy has only a mobile
    soup = check_page(client.get(PAGE))
    rows = {r.select("td")[1].get_text(): r.get_text(" ")
            for r in soup.select("#contacts-table tbody tr")}
    assert "Bounced" in rows["bob@refused.example"] and "550" in rows["bob@refused.example"]
    assert "Not sent" in rows["+447700900123"] and "GOV.UK Notify" in rows["+447700900123"]
    assert "Sent" in rows["ada@example.org"]
    token = csrf_token(client, PAGE)
    assert client.post(f"{PAGE}/send", data={"csrf_token": token, "kind": "x"}).status_code == 400


def test_plan_a_reminder(app: Flask, client: FlaskClient) -> None:
    _signed_in(app, client)
    token = csrf_token(client, PAGE)
    soup = check_page(client.post(f"{PAGE}/reminders", data={
        "csrf_token": token, "day": ["", "", ""], "time": "9"}), 400)
    assert error_summary(soup) == ["Enter the date to send the reminder, like 27 3 2027",
                                   "Enter the time on the 24-hour clock, like 09:30"]
    assert soup.select_one("#time")["value"] == "9"  # what was typed is kept
    soup = check_page(client.post(f"{PAGE}/reminders", data={
        "csrf_token": token, "day": ["1", "1", "2020"], "time": "09:30"}), 400)
    assert error_summary(soup) == ["The date and time to send the reminder must be in the future"]
    response = client.post(f"{PAGE}/reminders", data={
        "csrf_token": token, "day": ["1", "3", "2099"], "time": "09:30"})
    assert response.status_code == 303
    reminder = db.session.scalars(select(ContactReminder)).one()
    assert (reminder.due_at.month, reminder.due_at.hour, reminder.due_at.minute) == (3, 9, 30)
    assert "planned" in check_page(client.get(PAGE)).select_one("#planned-reminders").get_text()


def test_erase_a_person(app: Flask, client: FlaskClient) -> None:
    _signed_in(app, client)
    _upload(client, CSV)
    token = csrf_token(client, PAGE)
    soup = check_page(client.post(f"{PAGE}/erase", data={"csrf_token": token,
                                                         "address": "not an address"}), 400)
    assert error_summary(soup) == ["Enter an email address or a UK mobile number"]
    assert soup.select_one("#address")["value"] == "not an address"
    response = client.post(f"{PAGE}/erase", data={"csrf_token": token,
                                                  "address": "dee@example.org"})
    assert response.status_code == 303 and _count() == 3
    assert "removed from the list" in check_page(client.get(PAGE)).get_text()


def test_stop_page_has_a_button(app: Flask, client: FlaskClient) -> None:
    survey, officer = setup(app)
    contacts.upload(survey.id, b"email\nann@example.org\n", officer)
    contact_id = db.session.scalar(select(SurveyContact.id))
    raw = contacts.new_link(int(contact_id))
    db.session.commit()
    soup = check_page(client.get(f"/i/{raw}/stop"))
    assert soup.select_one("form button").get_text(strip=True) == "Stop my emails"
    token = str(soup.select_one("input[name=csrf_token]")["value"])
    assert client.post(f"/i/{raw}/stop", data={"csrf_token": token}).status_code == 303
    assert "no more emails" in check_page(client.get(f"/i/{raw}/stop")).get_text()


def test_long_lists_come_in_pages(app: Flask, client: FlaskClient) -> None:
    _signed_in(app, client)
    rows = "".join(f"p{i}@example.org\n" for i in range(60))
    assert _upload(client, ("email\n" + rows).encode()).status_code == 303
    first = check_page(client.get(PAGE))
    assert len(first.select("#contacts-table tbody tr")) == 50
    assert first.select_one(".govuk-pagination__next a")["href"] == f"{PAGE}?page=2"
    second = check_page(client.get(f"{PAGE}?page=2"))
    assert len(second.select("#contacts-table tbody tr")) == 10
    assert "p59@example.org" in second.select_one("#contacts-table").get_text()
    check_page(client.get(f"{PAGE}?page=99"))  # past the end: the last page
