"""S10 in a real browser: hostile text sent through the public forms runs no script on the
staff pages, the public answers or the resident's own pages (window flag never set, no dialog).
A control proves the same payloads do run when pasted raw."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import BROWSER_PASSWORD, LiveServer
from tests.stress.hostile import FLAG, MARK, XSS

pytestmark = pytest.mark.browser
DEMO_SLUG = "residents-2026"


def _flag(page: Any) -> Any:
    return page.evaluate(f"window.{FLAG}")


_PLANTED: list[int] = []


def _plant(live_server: LiveServer) -> list[int]:
    """Hostile questions (one published with a hostile answer) and a hostile survey response,
    once per live server (each viewport's test reads the same pages)."""
    if not _PLANTED:
        _PLANTED.extend(_plant_once(live_server))
    return _PLANTED


def _plant_once(live_server: LiveServer) -> list[int]:
    from datetime import date, timedelta

    from engage.extensions import db
    from engage.models import MayorQuestion, User
    from engage.services.collect.mayor import answers, moderation
    from tests.conftest import IsolatedClient
    from tests.pages import csrf_token
    from tests.stress.world import World

    app = live_server.app
    app.test_client_class = IsolatedClient
    with app.app_context():
        client = app.test_client()
        from engage.services.collect.mayor.public import active_topics

        topic = str(active_topics()[0].id)
        for payload in XSS:
            token = csrf_token(client, "/ask-the-mayor")
            sent = client.post("/ask-the-mayor", data={
                "csrf_token": token, "question": f"{payload} Why is the lift broken?",
                "topic": topic, "ward": "bow-east", "consent": "yes", "name": payload[:100]})
            assert sent.status_code == 303
        moderator = db.session.scalar(select(User).where(User.role == "moderator"))
        hostile = db.session.scalars(select(MayorQuestion).where(
            MayorQuestion.text.contains(MARK))).all()
        first = hostile[0]
        moderation.approve(first, moderator)
        # Whoever drafts an answer cannot approve it (issue 15): the officer drafts.
        officer = db.session.scalar(select(User).where(User.role == "engagement_officer"))
        moderation.assign(first, moderator, date.today() + timedelta(days=5), officer=officer)
        answers.draft_answer(first, officer, f"{XSS[2]} {XSS[6]}")
        answers.approve_answer(first, moderator)
        answers.publish(first, moderator)
        from tests.stress.test_hostile_input import _answer_survey

        _answer_survey(app, app.test_client(), World(args={"slug": DEMO_SLUG}), offset=0)
        return [q.id for q in hostile[:4]]


def test_no_script_runs_from_hostile_text(page: Any, live_server: LiveServer) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ids = _plant(live_server)
    base = live_server.url
    public = [f"{base}/ask-the-mayor/answers", f"{base}/ask-the-mayor/answers?q={MARK}"]
    for url in public:
        page.goto(url)
        assert _flag(page) is None, url
    assert MARK in page.content()
    page.goto(f"{base}/auth/sign-in")
    page.fill("#email", "admin@engage.example")
    page.fill("#password", BROWSER_PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{base}/staff/")
    staff = [f"{base}/staff/mayor/?status=received", f"{base}/staff/mayor/?status=all",
             f"{base}/staff/surveys", f"{base}/staff/mayor/mine",
             *[f"{base}/staff/mayor/questions/{i}" for i in ids]]
    shown = 0
    for url in staff:
        page.goto(url)
        page.wait_for_load_state("load")
        assert _flag(page) is None, url
        shown += MARK in page.content()
    assert shown >= 3, "the hostile text was not on the staff pages"
    assert not dialogs, dialogs


def test_the_payloads_are_live_when_pasted_raw(page: Any) -> None:
    """Control: the flag is a working detector (these payloads do run without escaping)."""
    page.set_content(f"<div>{XSS[2]}</div>")
    page.wait_for_function(f"window.{FLAG} === 1", timeout=5000)
