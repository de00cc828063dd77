"""The Ask the Mayor demo is coherent (issue 17): every answer speaks to its own question, the
queue is not nearly all overdue, and a past session's count matches what its page says."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo import load_all
from engage.demo.mayor import BENGALI, PLACES, QUESTIONS
from engage.extensions import db
from engage.models import MayorQuestion
from tests.pages import check_page


def _pairs() -> list[tuple[re.Pattern[str], str]]:
    pairs = [pair for topic in QUESTIONS.values() for pair in topic] + list(BENGALI.values())
    places = "|".join(re.escape(p) for p in PLACES)
    return [(re.compile("^" + re.escape(q).replace(re.escape("{place}"), f"(?P<place>{places})")
                        + "$"), a) for q, a in pairs]


def test_every_answer_fits_its_question(app: Flask) -> None:
    list(load_all())
    pairs = _pairs()
    answered = list(db.session.scalars(select(MayorQuestion).where(
        MayorQuestion.answer_text.is_not(None), MayorQuestion.answer_text != "")))
    assert len(answered) > 100
    for question in answered:
        found = [(m, a) for p, a in pairs if (m := p.match(question.text))]
        assert found, question.text
        match, answer = found[0]
        place = match.groupdict().get("place") or ""
        assert question.answer_text == answer.format(place=place), question.text
    patrols = [q for q in answered if "police patrols" in q.text]
    assert patrols and all("patrol" in q.answer_text for q in patrols)
    assert not [q for q in answered if "police" in q.text and "Work is booked" in q.answer_text]


def test_open_queue_is_not_nearly_all_overdue(app: Flask) -> None:
    list(load_all())
    waiting = list(db.session.scalars(select(MayorQuestion).where(
        MayorQuestion.status.in_(("assigned", "drafted")))))
    overdue = [q for q in waiting if q.due_on and q.due_on < date.today()]
    assert waiting and len(overdue) < len(waiting) / 2


def test_past_sessions_say_how_many_they_list(app: Flask, client: FlaskClient) -> None:
    list(load_all())
    soup = check_page(client.get("/ask-the-mayor/sessions"))
    past = soup.find("h2", string="Past sessions")
    sections = past.find_all_next("h3")
    assert len(sections) == 2
    for heading in sections:
        count_line = heading.find_next("p").find_next("p").get_text(strip=True)
        count = int(count_line.rsplit(" ", 1)[1])
        listed = heading.find_next("ul").find_all("li")
        link = heading.find_next("a", href=re.compile("session="))
        if count > len(listed):
            assert f"The {len(listed)} questions residents supported most:" in \
                heading.find_next("ul").find_previous("p").get_text(strip=True)
            assert link.get_text(strip=True) == f"Read all {count} answers from this session"
        else:
            assert len(listed) == count
