"""Hostile input (issue 15): NUL bytes and out-of-range numbers never give a 500.

One test walks every route and method in the URL map, anonymous and signed in as each staff
role, with a NUL byte in the path, the query string and each form field, and with huge numbers
in each int converter and in number-like query arguments, on the demo data."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from engage.models.user import ROLES
from engage.services.collect.published_surveys import publish_definition
from tests.engage.test_runner import DEFINITION, SLUG
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in
from tests.stress.world import ARGUMENT as ARG

NUL = "a\x00b"
HUGE = "99999999999999999999"
# Every query argument a view reads, and the number-like ones among them.
QUERY_ARGS = ("page", "per_page", "run", "job", "q", "sort", "lang", "next", "reference",
              "batch", "sheet_number", "language", "channel", "version", "show", "return",
              "view", "short", "too_big", "status", "topic", "ward", "age", "overdue", "session")
NUMBER_ARGS = ("page", "per_page", "run", "job", "sheet_number", "session", "reference")
# Real values for path arguments, so the probes reach past the first lookup.
REAL_ARGS = {"slug": "residents-2026", "language": "bn", "page_id": "about-you"}
EXTRA_FIELDS = {"email", "text", "name", "q", "title"}


def _fill(rule: Rule, hostile: str | None, hostile_int: str | None) -> Iterator[str]:
    """URLs for a rule: each argument in turn replaced by the hostile value for its type."""
    parts = list(ARG.finditer(rule.rule))

    def build(target: int | None, value: str) -> str:
        out, last = [], 0
        for i, match in enumerate(parts):
            converter = match.group(1) or "string"
            out.append(rule.rule[last:match.start()])
            if i == target:
                out.append(value)
            elif converter == "int":
                out.append("1")
            else:
                out.append(REAL_ARGS.get(match.group(2), "sample"))
            last = match.end()
        out.append(rule.rule[last:])
        return "".join(out)

    yield build(None, "")
    for i, match in enumerate(parts):
        converter = match.group(1) or "string"
        if converter == "int" and hostile_int is not None:
            yield build(i, hostile_int)
        elif converter != "int" and hostile is not None:
            yield build(i, hostile)


def _form_fields(client: FlaskClient, url: str) -> set[str]:
    response = client.get(url)
    if response.status_code != 200 or response.mimetype != "text/html":
        return set()
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    names = {str(tag.get("name")) for tag in soup.select("form [name]")}
    return names - {"csrf_token", "None"}


def _probe(app: Flask, client: FlaskClient, who: str) -> list[tuple[Any, ...]]:
    token = csrf_token(client, "/auth/sign-in" if who == "anonymous" else "/staff/")
    failures: list[tuple[Any, ...]] = []

    def check(method: str, url: str, **kwargs: Any) -> None:
        response = client.open(url, method=method, **kwargs)
        if response.status_code >= 500:
            failures.append((who, method, url, kwargs.get("data", kwargs.get("query_string")),
                             response.status_code))

    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "auth.sign_out"):
            continue
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        base = next(_fill(rule, None, None))
        fields = _form_fields(client, base) if "GET" in methods else set()
        for method in methods:
            form = {"csrf_token": token} if method != "GET" else None
            for url in _fill(rule, "x%00y", HUGE):
                check(method, url, data=form)
            # Every query argument and every form field at once: each one carries the value.
            for value, names in ((NUL, QUERY_ARGS), (HUGE, NUMBER_ARGS)):
                if form is not None:
                    form = {"csrf_token": token} | dict.fromkeys(fields | EXTRA_FIELDS, value)
                check(method, base, query_string=dict.fromkeys(names, value), data=form)
    if who != "anonymous":  # the walk must have run signed in throughout
        assert client.get("/staff/").status_code == 200, who
    return failures


def test_no_route_gives_a_500_for_nul_bytes_or_huge_numbers(app: Flask) -> None:
    from engage.demo import load_all

    for _line in load_all():
        pass
    failures: list[tuple[Any, ...]] = []
    failures += _probe(app, app.test_client(), "anonymous")
    for role in ROLES:
        email = f"{role.replace('_', '-')}@example.org"
        make_user(email, role=role)
        client = app.test_client()
        sign_in(client, email)
        failures += _probe(app, client, role)
    assert not failures, f"{len(failures)} 5xx: " + "\n".join(map(str, failures[:60]))


def test_nul_in_a_path_is_the_friendly_404_and_never_logged(
        app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for path in ("/s/x%00y/", "/you-said-we-did/x%00y", "/static/x%00y.css",
                 "/ask-the-mayor/answers/1%00/support"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.get_data(as_text=True)
    assert "\x00" not in caplog.text


def test_numbers_too_large_for_an_id_are_404(app: Flask, client: FlaskClient) -> None:
    make_user("admin@example.org", role="admin")
    sign_in(client, "admin@example.org")
    for path in (f"/staff/mayor/questions/{HUGE}", f"/staff/mayor/questions/{2**31}",
                 f"/staff/jobs/{HUGE}", f"/ask-the-mayor/answers?session={HUGE}"):
        assert client.get(path).status_code == 404, path
    # A number that is not one (or not ASCII digits) is ignored, as before; a page past the
    # end, however long, is the last page (tests/engage/test_paging.py).
    for path in ("/staff/mayor/?page=abc", "/staff/mayor/?page=%C2%B2",
                 "/ask-the-mayor/answers?page=-1", f"/staff/mayor/?page={HUGE}",
                 f"/ask-the-mayor/answers?page={HUGE}"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/staff/mayor/questions/{2**31 - 1}").status_code == 404


@pytest.mark.parametrize("year", ["99999", "10000", "12", "0000", "1850"])
def test_absurd_years_in_staff_dates_get_the_govuk_message(
        app: Flask, client: FlaskClient, year: str) -> None:
    from engage.services.collect.mayor.queue import ensure_default_topics
    from tests.engage.mayor_helpers import ask

    ensure_default_topics()
    make_user("admin@example.org", role="admin")
    sign_in(client, "admin@example.org")
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="We keep it")
    token = csrf_token(client, "/staff/")
    response = client.post(f"/staff/surveys/{SLUG}/dates", data={
        "csrf_token": token, "closes-day": "1", "closes-month": "6", "closes-year": year})
    assert "Enter a real date" in error_summary(check_page(response, 400))
    question = ask()
    page = f"/staff/mayor/questions/{question.id}"
    client.post(f"{page}/approve", data={"csrf_token": token})
    response = client.post(f"{page}/assign", data={
        "csrf_token": token, "assign-organisation": "Parks team",
        "assign-due_on": ["1", "6", year]})
    assert "Enter a real date" in error_summary(check_page(response, response.status_code))
    response = client.post("/staff/mayor/sessions/new", data={
        "csrf_token": token, "title": "Bow", "day": ["1", "6", year], "time": "18:30",
        "place": "Bow Library"})
    assert "Enter a real date" in error_summary(check_page(response, response.status_code))
    assert response.status_code < 500


def test_deeply_nested_json_import_gives_a_clear_error(app: Flask, client: FlaskClient) -> None:
    make_user("admin@example.org", role="admin")
    sign_in(client, "admin@example.org")
    for body in (b"[" * 100_000, b'{"a":' * 30_000 + b"1" + b"}" * 30_000):
        response = client.post("/staff/surveys/import", data={
            "csrf_token": csrf_token(client, "/staff/surveys/import"),
            "definition": (io.BytesIO(body), "deep.json")}, content_type="multipart/form-data")
        page = check_page(response, 400)
        assert error_summary(page)
        assert "nested more than 40 deep" in page.get_text()
