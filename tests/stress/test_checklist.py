"""SECURITY.md items that had no test of their own yet: S8 (a shared rate-limit store), S9
(per-field limits), S17 (no personal data in logs)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator

import pytest
from flask import Flask

from engage.extensions import db, limiter
from tests.conftest import IsolatedClient, make_app, require_redis
from tests.pages import check_page, csrf_token, error_summary
from tests.stress.world import build_world

REDIS = "redis://127.0.0.1:6379/7"  # this suite's own Redis database


@pytest.fixture
def redis_apps(database_url: str) -> Iterator[list[Flask]]:
    require_redis(REDIS)
    prefix = f"engage-stress-{secrets.token_hex(4)}"
    apps = []
    for _ in range(2):
        app = make_app(database_url, RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=prefix,
                       MAYOR_SUBMIT_LIMIT="3 per 10 minutes")
        app.test_client_class = IsolatedClient
        apps.append(app)
    yield apps
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rate_limits_are_shared_through_redis(redis_apps: list[Flask]) -> None:
    """S8 at scale: two app processes (each with its own limiter storage) count together, so
    a burst spread over workers is still limited; the refusal is the friendly 429 page."""
    first, second = redis_apps
    with first.app_context():
        build_world(first, survey=False)
        from engage.services.collect.mayor.public import active_topics

        topic = str(active_topics()[0].id)

    def ask(app: Flask) -> int:
        with app.app_context():
            client = app.test_client()
            token = csrf_token(client, "/ask-the-mayor")
            return client.post("/ask-the-mayor", data={
                "csrf_token": token, "question": "When will the lift be repaired?",
                "topic": topic, "ward": "bow-east", "consent": "yes"}).status_code

    assert [ask(first), ask(first), ask(first)] == [303, 303, 303]
    with second.app_context():
        limiter.init_app(second)  # a fresh storage object, as in another process
    refused = ask(second)
    assert refused == 429
    with second.app_context():
        client = second.test_client()
        page = client.post("/ask-the-mayor", data={"csrf_token": csrf_token(
            client, "/ask-the-mayor")})
        check_page(page, status=429)


def test_over_long_fields_get_a_validation_message(app: Flask) -> None:
    """S9: length limits are enforced on the server, with a message, what was typed kept."""
    world = build_world(app)
    client = app.test_client()
    token = csrf_token(client, "/ask-the-mayor")
    from engage.services.collect.mayor.public import active_topics

    long_question = "word " * 400
    page = client.post("/ask-the-mayor", data={
        "csrf_token": token, "question": long_question, "topic": str(active_topics()[0].id),
        "ward": "bow-east", "consent": "yes", "name": "n" * 500})
    soup = check_page(page)
    assert error_summary(soup), "no message for an over-long question"
    assert "word word word" in soup.get_text()
    # The survey's free-text question: over its word limit.
    from engage.services.collect.published_surveys import published_survey

    slug = world.args["slug"]
    definition = published_survey(slug).definition
    long_text = next(q for q in definition.questions if q.type == "long-text")
    import surveys

    page_id = next(p.id for p in definition.pages if long_text in p.questions)
    result = surveys.validate_page(definition, page_id, {
        surveys.field_name(long_text.id): ["word " * 1000]}, "en", {})
    assert not result.ok


def test_no_answer_reaches_the_logs(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """S17: a unique canary sent as a survey answer, a question, a name and an email address
    appears in no log record at any level."""
    from tests.stress.test_hostile_input import _valid_answers

    world = build_world(app)
    canary = f"canary{secrets.token_hex(6)}"
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    from engage.services.collect.mayor.public import active_topics

    token = csrf_token(client, "/ask-the-mayor")
    assert client.post("/ask-the-mayor", data={
        "csrf_token": token, "question": f"Why {canary}?", "topic": str(active_topics()[0].id),
        "ward": "bow-east", "consent": "yes", "name": canary,
        "email": f"{canary}@example.org"}).status_code == 303
    import surveys
    from engage.services.collect.published_surveys import published_survey

    slug = world.args["slug"]
    definition = published_survey(slug).definition
    answers = surveys.prune(definition, _valid_answers(definition))
    token = csrf_token(client, f"/s/{slug}/")
    client.post(f"/s/{slug}/start", data={"csrf_token": token})
    for page_id in surveys.path(definition, answers):
        form = surveys.to_form_data(definition, page_id, answers)
        for q in definition.page(page_id).questions:
            if q.type in surveys.types.TEXT_TYPES:
                form[surveys.field_name(q.id)] = [f"{canary} here"]
        assert client.post(f"/s/{slug}/q/{page_id}",
                           data={**form, "csrf_token": token}).status_code == 303
    assert client.post(f"/s/{slug}/submit", data={"csrf_token": token}).status_code == 303
    logging.getLogger("engage.services").info("control record %s", "seen")
    assert "control record seen" in caplog.text, "the engage loggers are not captured"
    assert canary not in caplog.text
    for record in caplog.records:
        assert canary not in str(record.args) and canary not in str(record.__dict__)


def test_nul_characters_never_reach_the_database(app: Flask) -> None:
    """Found on PostgreSQL by the hostile-input tests: a NUL in a search or a form field was a
    500 (PostgreSQL text cannot hold one). They are dropped from every parameter on arrival."""
    from sqlalchemy import select

    from engage.models import MayorQuestion
    from engage.services.collect.mayor.public import active_topics

    build_world(app, survey=False)
    client = app.test_client()
    assert client.get("/ask-the-mayor/answers", query_string={"q": "lift\x00"}).status_code == 200
    token = csrf_token(client, "/ask-the-mayor")
    sent = client.post("/ask-the-mayor", data={
        "csrf_token": token, "question": "Why is the li\x00ft broken?",
        "topic": str(active_topics()[0].id), "ward": "bow-east", "consent": "yes",
        "name": "Sa\x00ra"})
    assert sent.status_code == 303
    stored = db.session.scalar(select(MayorQuestion).where(
        MayorQuestion.text.contains("broken")))
    assert stored is not None and stored.text == "Why is the lift broken?"
