"""S22, S23 (issue 15): links from the configured BASE_URL, other Host headers refused, client
addresses from a configured number of trusted proxies, sign-in throttles that never lock out
staff who have not failed, and a saved page that says the link is only shown when no mail
server is set."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage import mail
from engage.extensions import db
from engage.models import SignInAttempt
from engage.services.collect.published_surveys import publish_definition, published_survey
from tests.conftest import TEST_SECRET, IsolatedClient, build_app, make_app
from tests.engage.mayor_helpers import answered, ask, mayor_topics, staff  # noqa: F401
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import STAFF_PASSWORD, check_page, csrf_token, make_user
from tests.smtp_server import SmtpServer

BASE = "https://engage.example.org"
FORGED = "evil.example"


@pytest.fixture
def survey(app: Flask) -> Any:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="We keep it 1 year")
    return published_survey(SLUG)


def _token(client: FlaskClient, path: str, **request: Any) -> str:
    soup = check_page(client.get(path, **request))
    return str(soup.find("input", attrs={"name": "csrf_token"})["value"])


def _saved_page(client: FlaskClient, lang: str = "en", **request: Any) -> Any:
    token = _token(client, f"/s/{SLUG}/?lang={lang}", **request)
    client.post(f"/s/{SLUG}/start", data={"csrf_token": token}, **request)
    token = _token(client, f"/s/{SLUG}/q/use", **request)
    client.post(f"/s/{SLUG}/q/use", data={"csrf_token": token, "q-use": "yes", "action": "save"},
                **request)
    return check_page(client.get(f"/s/{SLUG}/saved", **request), lang=lang)


# --- Links from BASE_URL, never from the Host header ------------------------------------------

def test_resume_link_is_built_from_base_url_not_the_host_header(
        app: Flask, client: FlaskClient, survey: Any) -> None:
    app.config["BASE_URL"] = BASE
    soup = _saved_page(client, headers={"Host": FORGED})
    link = soup.select_one(".govuk-inset-text a")["href"]
    assert link.startswith(f"{BASE}/s/{SLUG}/resume/")
    assert FORGED not in str(soup)


def test_openapi_servers_come_from_base_url(app: Flask, client: FlaskClient) -> None:
    app.config["BASE_URL"] = BASE + "/"
    spec = client.get("/api/v1/openapi.json", headers={"Host": FORGED}).get_json()
    assert [s["url"] for s in spec["servers"]] == [f"{BASE}/api/v1"]


def test_mayor_answer_email_links_to_the_status_page_under_base_url(
        app: Flask, mayor_topics: Any) -> None:  # noqa: F811
    app.config["BASE_URL"] = BASE
    moderator, officer = staff()
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        answered(ask(email="resident@example.org"), moderator, officer)
    assert len(smtp.messages) == 1
    assert f"{BASE}/ask-the-mayor/status" in smtp.messages[0].get_payload(decode=True).decode()


# --- Other Host headers refused, settings checked at start -------------------------------------

def _production(monkeypatch: pytest.MonkeyPatch, tmp_path: Any, **env: str) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    for name in ("FLASK_DEBUG", "BASE_URL", "TRUSTED_HOSTS", "TRUSTED_PROXIES",
                 "WEB_CONCURRENCY", "REDIS_URL", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_a_request_with_another_host_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Any) -> None:
    _production(monkeypatch, tmp_path, BASE_URL=BASE, TRUSTED_HOSTS="engage.example.org",
                ENGAGE_INSECURE_COOKIES="1")
    app = build_app()
    client = app.test_client()
    soup = check_page(client.get("/privacy", headers={"Host": FORGED}), status=400)
    assert "problem with your request" in soup.find("h1").get_text()
    assert client.get("/privacy", headers={"Host": "engage.example.org"}).status_code == 200
    # A forged X-Forwarded-Host changes nothing: no proxy header names the host.
    response = client.get("/privacy", headers={"Host": FORGED,
                                               "X-Forwarded-Host": "engage.example.org"})
    assert response.status_code == 400


@pytest.mark.parametrize(("env", "message"), [
    ({"TRUSTED_HOSTS": "engage.example.org"}, "BASE_URL"),
    ({"BASE_URL": BASE}, "TRUSTED_HOSTS"),
    ({"BASE_URL": BASE, "TRUSTED_HOSTS": "other.example.org"}, "not in TRUSTED_HOSTS"),
    ({"BASE_URL": "engage.example.org", "TRUSTED_HOSTS": "engage.example.org"}, "BASE_URL"),
    ({"BASE_URL": BASE, "TRUSTED_HOSTS": "engage.example.org", "TRUSTED_PROXIES": "-1"},
     "TRUSTED_PROXIES"),
    ({"BASE_URL": BASE, "TRUSTED_HOSTS": "engage.example.org", "WEB_CONCURRENCY": "4"},
     "REDIS_URL"),
])
def test_production_refuses_to_start_without_hosts_and_shared_limits(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Any, env: dict[str, str],
        message: str) -> None:
    from engage.config import ConfigError

    _production(monkeypatch, tmp_path, **env)
    with pytest.raises(ConfigError, match=message):
        build_app()


def test_production_starts_with_hosts_and_several_workers_sharing_redis(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    _production(monkeypatch, tmp_path, BASE_URL=BASE, WEB_CONCURRENCY="4",
                TRUSTED_HOSTS="engage.example.org, .engage.example.org",
                RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", TRUSTED_PROXIES="1")
    app = build_app()
    assert app.config["TRUSTED_HOSTS"] == ["engage.example.org", ".engage.example.org"]
    assert app.config["BASE_URL"] == BASE
    assert app.config["TRUSTED_PROXIES"] == 1


# --- Client addresses from trusted proxies only -----------------------------------------------

def _sign_in(client: FlaskClient, email: str, password: str, forwarded: str = "") -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = csrf_token(client, "/auth/sign-in")
    return client.post("/auth/sign-in", headers=headers,
                       data={"email": email, "password": password,
                             "csrf_token": token}).status_code


def _proxied_app(database_url: str, proxies: int) -> Flask:
    app = make_app(database_url, TRUSTED_PROXIES=proxies)
    app.test_client_class = IsolatedClient
    return app


def test_limits_key_on_the_address_the_trusted_proxy_saw(app: Flask) -> None:
    proxied = _proxied_app(app.config["SQLALCHEMY_DATABASE_URI"], 1)
    client = proxied.test_client()
    # The client forges the first X-Forwarded-For value; the proxy appends the real address.
    for i in range(20):
        assert _sign_in(client, f"nobody{i}@example.org", "wrong-password-xx",
                        f"10.9.8.{i}, 203.0.113.7") == 200
    assert _sign_in(client, "nobody@example.org", "wrong-password-xx",
                    "198.51.100.99, 203.0.113.7") == 429
    # Someone else behind the same proxy is not held back by that address's failures.
    assert _sign_in(client, "nobody@example.org", "wrong-password-xx",
                    "203.0.113.7, 198.51.100.2") == 200
    addresses = set(db.session.scalars(select(SignInAttempt.address)))
    assert addresses == {"203.0.113.7", "198.51.100.2"}


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client: FlaskClient) -> None:
    for i in range(20):
        assert _sign_in(client, f"nobody{i}@example.org", "wrong-password-xx",
                        f"10.9.8.{i}") == 200
    assert _sign_in(client, "nobody@example.org", "wrong-password-xx", "198.51.100.2") == 429
    assert set(db.session.scalars(select(SignInAttempt.address))) == {"127.0.0.1"}


# --- Throttles that never lock out staff who have not failed ----------------------------------

def test_unknown_email_failures_from_one_address_do_not_lock_out_staff(
        client: FlaskClient) -> None:
    make_user("officer@example.org")
    make_user("analyst@example.org", role="analyst")
    for i in range(100):
        assert _sign_in(client, f"nobody{i % 7}@example.org", "wrong-password-xx") in (200, 429)
    assert _sign_in(client, "nobody0@example.org", "wrong-password-xx") == 429
    assert _sign_in(client, "officer@example.org", STAFF_PASSWORD) == 303
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client, "/staff/")})
    # An account that has failed from this address is held back by the address's limit...
    assert _sign_in(client, "analyst@example.org", "wrong-password-xx") == 429
    assert _sign_in(client, "analyst@example.org", STAFF_PASSWORD) == 429
    # ...and the member of staff who signed in is still not.
    assert _sign_in(client, "officer@example.org", STAFF_PASSWORD) == 303


# --- No mail server: the page says the link is shown, not sent --------------------------------

@pytest.mark.parametrize(("lang", "shown", "sent"), [
    ("en", "the link is only shown on this page", "We have sent the link"),
    ("bn", "লিংকটি শুধু এই পাতায় দেখানো হচ্ছে", "আমরা লিংকটি"),
])
def test_without_a_mail_server_the_link_is_shown_not_sent(
        app: Flask, client: FlaskClient, survey: Any, lang: str, shown: str, sent: str) -> None:
    app.config["MAIL_SERVER"] = ""
    mail.outbox.clear()
    soup = _saved_page(client, lang)
    assert shown in soup.get_text()
    assert soup.select_one(".govuk-inset-text a")["href"].startswith("http://localhost/s/")
    assert soup.find("input", attrs={"name": "email"}) is None  # no form that cannot work
    token = csrf_token(client, "/auth/sign-in")  # the session's token; the page has no form
    response = client.post(f"/s/{SLUG}/saved",
                           data={"csrf_token": token, "email": "resident@example.org"})
    soup = check_page(response if response.status_code == 200
                      else client.get(f"/s/{SLUG}/saved"), lang=lang)
    assert sent not in soup.get_text() and shown in soup.get_text()
    assert mail.outbox == []
