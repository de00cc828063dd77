"""The page-checking helper every GET test uses, and small helpers for forms and sign-in."""

from __future__ import annotations

import re
from collections import Counter

import html5lib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

STAFF_PASSWORD = "a-long-test-password-for-staff"


def check_page(response: TestResponse, status: int = 200, lang: str | None = None) -> BeautifulSoup:
    """Assert status, a non-empty <title>, valid HTML and unique ids; return the parsed page."""
    assert response.status_code == status, (response.status_code, response.data[:500])
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)  # raises ParseError on invalid HTML
    soup = BeautifulSoup(html, "html.parser")
    title = soup.find("title")
    assert title is not None and title.get_text(strip=True), "page has no <title>"
    ids = Counter(tag["id"] for tag in soup.find_all(attrs={"id": True}))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert soup.html is not None and soup.html.get("lang"), "<html> has no lang"
    if lang is not None:
        assert soup.html["lang"] == lang
    for label in soup.find_all("label"):
        target = label.get("for")
        if target:
            assert soup.find(id=target) is not None, f"label for missing id {target}"
    # Untranslated Jinja markers or raw format strings must never leak into a page.
    assert not re.search(r"%\([a-z_]+\)s|\{\{|\{%", soup.get_text()), "unrendered template text"
    return soup


def csrf_token(client: FlaskClient, path: str) -> str:
    """Fetch a page and return the CSRF token from its first form."""
    response = client.get(path)
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    field = soup.find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF token on {path}"
    return str(field["value"])


def make_user(email: str = "officer@example.org", role: str = "engagement_officer",
              password: str = STAFF_PASSWORD):  # type: ignore[no-untyped-def]
    """Create a staff account directly through the service."""
    from engage.services.platform.accounts import create_user

    return create_user(email, role, password, name=email.split("@")[0])


def sign_in(client: FlaskClient, email: str, password: str = STAFF_PASSWORD) -> TestResponse:
    """Sign in through the real form."""
    token = csrf_token(client, "/auth/sign-in")
    return client.post("/auth/sign-in", data={"email": email, "password": password,
                                              "csrf_token": token})


def error_summary(soup: BeautifulSoup) -> list[str]:
    """The messages in a page's GOV.UK error summary."""
    box = soup.select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in box.select("li")] if box else []
