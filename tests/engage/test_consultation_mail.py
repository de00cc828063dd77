"""Email subscriptions to consultations: double opt-in with a signed single-use link, nothing
sent before confirmation, one-click unsubscribe (link and RFC 8058 POST) that deletes the
address, notices when a consultation opens and when its results are published, no tracking."""

from __future__ import annotations

import re
from email.header import decode_header, make_header
from email.message import Message

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import ConsultationSubscription, MayorTopic
from engage.services.collect.consultations import manage, subscriptions
from tests.engage.consultation_helpers import consultation, officer
from tests.pages import check_page, csrf_token, error_summary
from tests.smtp_server import SmtpServer

BASE = "https://engage.example.org"


def _body(message: Message) -> str:
    return str(message.get_payload(decode=True).decode())  # type: ignore[union-attr]


def _link(message: Message, kind: str) -> str:
    found = re.search(BASE + r"(/consultations/" + kind + r"/[^\s]+)", _body(message))
    assert found, _body(message)
    return found.group(1)


def test_subscribe_confirm_notify_and_unsubscribe(app: Flask, client: FlaskClient) -> None:
    app.config["BASE_URL"] = BASE
    actor = officer()
    topic = MayorTopic(slug="parks", name_en="Parks")
    db.session.add(topic)
    db.session.commit()
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        token = csrf_token(client, "/consultations/subscribe")
        response = client.post("/consultations/subscribe", data={
            "csrf_token": token, "email": "resident@example.org", "ward": "bow-east"})
        assert response.status_code == 303, error_summary(check_page(response, 400))
        check_page(client.get(response.headers["Location"]))
        assert len(smtp.messages) == 1
        confirm = _link(smtp.messages[0], "confirm")
        assert "<img" not in _body(smtp.messages[0])  # plain text, no tracking pixel

        # Before confirmation nothing is sent.
        consultation(actor, "published", "early", wards=["bow-east"])
        assert len(smtp.messages) == 1

        page = check_page(client.get(confirm))  # the link alone changes nothing
        assert db.session.scalar(select(ConsultationSubscription)).confirmed_at is None
        form_token = str(page.select_one("input[name=csrf_token]")["value"])
        assert client.post(confirm, data={"csrf_token": form_token}).status_code == 303
        db.session.expire_all()
        assert db.session.scalar(select(ConsultationSubscription)).confirmed_at is not None
        assert client.get(confirm).status_code == 400  # single use

        consultation(actor, "published", "mine", wards=["bow-east"])
        consultation(actor, "published", "elsewhere", wards=["poplar"])
        consultation(actor, "published", "on-topic", topic_ids=[topic.id])  # not subscribed
        assert len(smtp.messages) == 2
        notice = smtp.messages[1]
        assert notice["Subject"] == "New consultation: Library opening hours"
        assert f"{BASE}/consultations/mine" in _body(notice)
        unsubscribe = _link(notice, "unsubscribe")
        assert notice["List-Unsubscribe"] == f"<{BASE}{unsubscribe}>"
        assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        # RFC 8058: the mail program POSTs without a CSRF token; the signed link is enough.
        plain = FlaskClient(client.application)
        assert plain.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}
                          ).status_code == 303
        assert db.session.scalars(select(ConsultationSubscription)).all() == []
        assert plain.post(unsubscribe).status_code == 400
        consultation(actor, "published", "after", wards=["bow-east"])
        assert len(smtp.messages) == 2


def test_consultation_subscribers_hear_of_results(app: Flask, client: FlaskClient) -> None:
    app.config["BASE_URL"] = BASE
    actor = officer()
    found = consultation(actor, "published")
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        token = csrf_token(client, "/consultations/subscribe?consultation=library-hours")
        client.post("/consultations/subscribe?lang=bn", data={
            "csrf_token": token, "email": "a@example.org", "consultation": "library-hours"})
        pending = db.session.scalar(select(ConsultationSubscription))
        assert pending.consultation_id == found.id and pending.language == "bn"
        subscriptions.confirm(_link(smtp.messages[0], "confirm").rsplit("/", 1)[1])
        manage.change_status(found.id, "close", actor)
        assert len(smtp.messages) == 1
        manage.change_status(found.id, "results", actor)
        assert len(smtp.messages) == 2
        subject = str(make_header(decode_header(smtp.messages[1]["Subject"])))
        assert "লাইব্রেরি খোলার সময়" in subject  # in the subscriber's language
        page = check_page(client.get(_link(smtp.messages[1], "unsubscribe")))
        token = str(page.select_one("input[name=csrf_token]")["value"])
        client.post(_link(smtp.messages[1], "unsubscribe"), data={"csrf_token": token})
        assert db.session.scalars(select(ConsultationSubscription)).all() == []


def test_subscription_errors_and_bad_links(client: FlaskClient) -> None:
    token = csrf_token(client, "/consultations/subscribe")
    soup = check_page(client.post("/consultations/subscribe", data={
        "csrf_token": token, "email": "not-an-email"}), status=400)
    assert "Enter an email address in the correct format, like name@example.com" in \
        error_summary(soup)
    assert soup.select_one("#email")["value"] == "not-an-email"
    soup = check_page(client.post("/consultations/subscribe", data={
        "csrf_token": token, "email": "a@example.org"}), status=400)
    assert error_summary(soup) == ["Select a ward or a topic"]
    assert db.session.scalars(select(ConsultationSubscription)).all() == []
    check_page(client.get("/consultations/confirm/forged"), status=400)
    check_page(client.get("/consultations/unsubscribe/forged"), status=400)
    assert client.get("/consultations/subscribe?consultation=nope").status_code == 404


def test_subscribing_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["CONSULTATION_SUBSCRIBE_LIMIT"] = "2 per hour"
    token = csrf_token(client, "/consultations/subscribe")
    codes = [client.post("/consultations/subscribe", data={
        "csrf_token": token, "email": f"{n}@example.org", "ward": "poplar"}).status_code
        for n in range(3)]
    assert codes == [303, 303, 429]


def test_unconfirmed_addresses_are_deleted_after_their_link_expires(app: Flask) -> None:
    from datetime import timedelta

    from engage.models._types import utcnow

    stale = subscriptions.subscribe("stale@example.org", "en", ward="bow-east")
    subscriptions.subscribe("fresh@example.org", "en", ward="bow-east")
    confirmed = subscriptions.subscribe("kept@example.org", "en", ward="bow-east")
    week_ago = utcnow() - timedelta(days=subscriptions.CONFIRM_DAYS, minutes=1)
    for row_id in (stale, confirmed):
        db.session.get(ConsultationSubscription, row_id).created_at = week_ago
    db.session.get(ConsultationSubscription, confirmed).confirmed_at = week_ago
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge-subscriptions"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 unconfirmed subscription(s)." in result.output
    db.session.expire_all()
    left = set(db.session.scalars(select(ConsultationSubscription.email)))
    assert left == {"fresh@example.org", "kept@example.org"}
    # A week on, the fresh one's link has expired too.
    later = utcnow() + timedelta(days=subscriptions.CONFIRM_DAYS, minutes=1)
    assert subscriptions.purge_unconfirmed(later) == 1
    assert set(db.session.scalars(select(ConsultationSubscription.email))) == {"kept@example.org"}
