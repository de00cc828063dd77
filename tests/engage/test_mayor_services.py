"""Ask the Mayor use cases: every state change, the illegal ones, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from engage import mail
from engage.extensions import db
from engage.models import MayorQuestion
from engage.models._types import utcnow
from engage.services.collect.mayor import (
    MayorError,
    answers,
    moderation,
    public,
    queue,
    search,
    sessions,
)
from engage.services.collect.mayor.similarity import similar_questions
from engage.services.collect.mayor.submission import QuestionInput, enter_question, status_for
from engage.services.collect.mayor.theme_texts import question_text_rows
from engage.services.platform.references import PATTERN
from tests.engage.mayor_helpers import answered, ask, audit_count, mayor_topics, staff
from tests.locks import locked_once

pytestmark = pytest.mark.usefixtures(mayor_topics.__name__)


def test_submit_gives_a_reference_and_a_received_status(app: Flask) -> None:
    question = ask()
    assert PATTERN.match(question.reference)
    assert question.status == "received"
    assert audit_count() == 0  # residents are not audited; staff actions are
    typed = question.reference.lower().replace("-", " ")
    view = status_for(typed)
    assert view is not None and view.status == "received" and view.answer == ""
    assert status_for("ABCD-EFGH") is None
    assert status_for("nonsense") is None


def test_the_whole_journey_writes_one_audit_row_per_action(app: Flask) -> None:
    moderator, officer = staff()
    question = ask(email="resident@example.org")
    mail.outbox.clear()
    before = audit_count()
    moderation.approve(question, moderator)
    assert status_for(question.reference).status == "under_review"
    moderation.assign(question, moderator, date.today() + timedelta(days=10), officer=officer)
    assert question.status == "assigned" and question.assigned_to_id == officer.id
    answers.draft_answer(question, officer, "The collection day moved to Tuesday.")
    assert question.status == "drafted"
    assert status_for(question.reference).answer == ""  # drafts are not shown
    answers.approve_answer(question, moderator)
    assert question.status == "answered"
    assert mail.outbox == [f"Your question to the Mayor ({question.reference}) has an answer"]
    view = status_for(question.reference)
    assert view.status == "answered" and "Tuesday" in view.answer
    answers.publish(question, moderator)
    assert question.status == "published" and question.published_at is not None
    assert status_for(question.reference).published_id == question.id
    assert audit_count() - before == 5
    for action in ("mayor.question.approve", "mayor.question.assign", "mayor.answer.draft",
                   "mayor.answer.approve", "mayor.answer.publish"):
        assert audit_count(action) == 1


def test_a_moderator_role_is_needed(app: Flask) -> None:
    _moderator, officer = staff()
    question = ask()
    before = audit_count()
    for action in (moderation.approve, moderation.apply_redaction, answers.publish,
                   answers.approve_answer):
        with pytest.raises(MayorError, match="not_moderator"):
            action(question, officer)
    with pytest.raises(MayorError, match="not_moderator"):
        moderation.reject(question, officer, "offensive")
    with pytest.raises(MayorError, match="not_moderator"):
        moderation.approve(question, None)
    assert question.status == "received"
    assert audit_count() == before


def test_illegal_transitions_are_refused(app: Flask) -> None:
    moderator, officer = staff()
    question = ask()
    with pytest.raises(MayorError):  # assign before approval
        moderation.assign(question, moderator, date.today(), officer=officer)
    with pytest.raises(MayorError):  # answer before assignment
        answers.draft_answer(question, moderator, "An answer")
    with pytest.raises(MayorError):  # publish before an answer
        answers.publish(question, moderator)
    moderation.approve(question, moderator)
    with pytest.raises(MayorError):  # approve twice
        moderation.approve(question, moderator)
    with pytest.raises(MayorError, match="no_assignee"):
        moderation.assign(question, moderator, date.today())
    moderation.assign(question, moderator, date.today(), organisation="Poplar HARCA")
    with pytest.raises(MayorError, match="not_assigned"):  # not the assigned officer
        answers.draft_answer(question, officer, "An answer")
    with pytest.raises(MayorError, match="unknown_reason"):
        moderation.reject(question, moderator, "because")


def test_a_rejected_question_cannot_be_answered_or_published(app: Flask) -> None:
    moderator, _officer = staff()
    question = ask()
    moderation.reject(question, moderator, "personal_case", "Passed to housing options")
    view = status_for(question.reference)
    assert view.status == "not_taken_forward" and view.reason == "personal_case"
    with pytest.raises(MayorError, match="illegal_from_rejected"):
        answers.draft_answer(question, moderator, "An answer")
    with pytest.raises(MayorError, match="illegal_from_rejected"):
        answers.publish(question, moderator)
    with pytest.raises(MayorError):
        moderation.approve(question, moderator)
    session = sessions.create_session(moderator, "Bow", utcnow() - timedelta(days=1), "Bow")
    question.session_id = session.id
    with pytest.raises(MayorError, match="illegal_from_rejected"):
        sessions.record_answer(session, question, moderator, "An answer")
    db.session.rollback()


def test_publishing_without_consent_is_refused_here_and_in_the_database(app: Flask) -> None:
    moderator, officer = staff()
    question = answered(ask(consent=False), moderator, officer)
    with pytest.raises(MayorError, match="no_consent"):
        answers.publish(question, moderator)
    assert question.status == "answered"
    with pytest.raises(IntegrityError):
        db.session.execute(update(MayorQuestion).where(MayorQuestion.id == question.id)
                           .values(status="published"))
        db.session.flush()
    db.session.rollback()


def test_duplicate_chains_resolve_to_the_root(app: Flask) -> None:
    moderator, _officer = staff()
    a, b, c, d = (ask(f"Question {n} about the market") for n in "abcd")
    moderation.mark_duplicate(b, moderator, a.reference)
    moderation.mark_duplicate(c, moderator, b.reference.lower())
    assert c.duplicate_of_id == a.id  # followed to the root, never a chain
    with pytest.raises(MayorError, match="duplicate_of_itself"):
        moderation.mark_duplicate(a, moderator, c.reference)  # would make a cycle
    with pytest.raises(MayorError, match="original_not_found"):
        moderation.mark_duplicate(a, moderator, "ZZZZ-ZZZZ")
    moderation.mark_duplicate(a, moderator, d.reference)
    db.session.expire_all()
    assert {q.duplicate_of_id for q in (a, b, c)} == {d.id}
    moderation.approve(d, moderator)
    view = status_for(c.reference)
    assert view.followed_reference == d.reference and view.status == "under_review"
    with pytest.raises(MayorError):  # a duplicate takes no further action
        moderation.approve(c, moderator)
    assert audit_count("mayor.question.duplicate") == 3
    e = ask("Another one")
    moderation.reject(e, moderator, "unclear")
    with pytest.raises(MayorError, match="original_rejected"):
        moderation.mark_duplicate(ask("A fifth"), moderator, e.reference)


def test_wording_and_redaction_keep_the_original(app: Flask) -> None:
    moderator, _officer = staff()
    text = "My name is Sara Begum, email sara@example.com, E3 2AB. When will the lift be fixed?"
    question = ask(text)
    assert moderation.apply_redaction(question, moderator) == 3
    assert question.text == text
    assert "Sara" not in question.public_text and "sara@" not in question.public_text
    assert "E3 2AB" not in question.public_text
    with pytest.raises(MayorError, match="nothing_to_redact"):
        moderation.apply_redaction(question, moderator)
    moderation.edit_wording(question, moderator, "When will the lift in our block be fixed?")
    assert question.shown_text == "When will the lift in our block be fixed?"
    assert question.text == text
    assert audit_count("mayor.question.redact") == 1
    assert audit_count("mayor.question.edit_wording") == 1


def test_similar_questions_are_suggested(app: Flask) -> None:
    question = ask("When will the bins on Roman Road be collected properly?")
    near = ask("Bins on Roman Road are not collected properly, when will this change?")
    ask("Can we have more youth clubs in Poplar for teenagers?")
    found = similar_questions(question)
    assert found and found[0][0].id == near.id and found[0][1] > 0.3
    assert len(found) == 1


def test_sessions_pick_most_supported_first_answer_and_publish(app: Flask) -> None:
    moderator, officer = staff()
    low, high, private = ask("Low support"), ask("High support"), ask("Private", consent=False)
    for q in (low, high, private):
        moderation.approve(q, moderator)
    high.support_count = 5
    db.session.commit()
    session = sessions.create_session(moderator, "Ask the Mayor: Poplar",
                                      utcnow() + timedelta(days=3), "Poplar Union")
    assert [q.id for q in sessions.candidates(session)] == [high.id, low.id]  # consent needed
    with pytest.raises(MayorError):
        sessions.pick_questions(session, moderator, [private.id])
    assert sessions.pick_questions(session, moderator, [high.id, low.id]) == 2
    assert sessions.upcoming_sessions() == [session]
    with pytest.raises(MayorError, match="session_not_happened"):
        sessions.publish_session(session, moderator)
    sessions.record_answer(session, high, moderator, "We will add collections.")
    with pytest.raises(MayorError, match="not_in_session"):
        sessions.record_answer(session, private, moderator, "No.")
    session.starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    with pytest.raises(MayorError, match="not_moderator"):
        sessions.publish_session(session, officer)
    assert sessions.publish_session(session, moderator) == 1
    assert high.status == "published" and low.status == "approved"
    assert sessions.past_sessions() == [session]
    with pytest.raises(MayorError, match="session_published"):
        sessions.publish_session(session, moderator)
    for action in ("create", "pick", "answer", "publish"):
        assert audit_count(f"mayor.session.{action}") == 1


def test_support_counts_once_per_browser(app: Flask) -> None:
    moderator, officer = staff()
    question = ask()
    assert public.add_support(question.id, "browser-1") is False  # not published yet
    answers.publish(answered(question, moderator, officer), moderator)
    assert public.add_support(question.id, "browser-1") is True
    assert public.add_support(question.id, "browser-1") is False
    assert public.add_support(question.id, "browser-2") is True
    db.session.expire_all()
    assert question.support_count == 2
    page = public.published_page(public.AnswerFilters(), 1, "browser-1")
    assert page.supported == {question.id}


def test_published_page_search_filters_and_pages(app: Flask) -> None:
    topics = public.active_topics()
    rows = []
    for n in range(25):
        q = ask(f"Question number {n} about {'parking' if n % 5 == 0 else 'litter'}",
                ward="poplar" if n % 2 else "bow-east")
        if n % 3 == 0:
            q.topic_id = topics[1].id
        q.status, q.answer_text, q.published_at = "published", "Answer", utcnow()
        search.reindex(q)
        rows.append(q)
    db.session.commit()
    everything = public.published_page(public.AnswerFilters(), 1)
    assert everything.total == 25 and len(everything.items) == 20 and everything.pages == 2
    assert len(public.published_page(public.AnswerFilters(), 2).items) == 5
    assert public.published_page(public.AnswerFilters(), 99).page == 2
    assert public.published_page(public.AnswerFilters(search="PARKING")).total == 5
    assert public.published_page(public.AnswerFilters(search="100%")).total == 0
    assert public.published_page(public.AnswerFilters(ward="poplar")).total == 12
    assert public.published_page(public.AnswerFilters(topic=topics[1].slug)).total == 9


def test_assisted_entry_records_channel_and_is_audited(app: Flask) -> None:
    _moderator, officer = staff()
    topic = public.active_topics()[0]
    question = enter_question(QuestionInput(text="Paper question", topic_id=topic.id,
                                            ward="weavers", channel="paper",
                                            event="Weavers fair"), officer)
    assert question.channel == "paper" and question.entered_by_id == officer.id
    assert audit_count("mayor.question.enter") == 1
    with pytest.raises(MayorError, match="unknown_channel"):
        enter_question(QuestionInput(text="x", topic_id=None, channel="fax"), officer)


def test_queue_filters_and_overdue(app: Flask) -> None:
    moderator, officer = staff()
    late, fresh = ask("Late one", ward="poplar"), ask("Fresh one")
    for q in (late, fresh):
        moderation.approve(q, moderator)
    moderation.assign(late, moderator, date.today(), officer=officer)
    late.due_on = date.today() - timedelta(days=1)  # time has passed since it was assigned
    db.session.commit()
    moderation.assign(fresh, moderator, date.today() + timedelta(days=9), officer=officer)
    assert queue.is_overdue(late) and not queue.is_overdue(fresh)
    found = queue.queue(queue.QueueFilters(overdue=True))
    assert [q.id for q in found.items] == [late.id] and found.total == 1
    assert queue.queue(queue.QueueFilters(ward="poplar")).total == 1
    assert queue.queue(queue.QueueFilters(status="received")).total == 0
    assert queue.queue(queue.QueueFilters(age="older")).total == 0
    assert [q.id for q in queue.assigned_to(officer)] == [late.id, fresh.id]


def test_topics_are_managed_by_moderators(app: Flask) -> None:
    moderator, officer = staff()
    with pytest.raises(MayorError, match="not_moderator"):
        queue.add_topic(officer, "Markets")
    topic = queue.add_topic(moderator, "Street markets", "রাস্তার বাজার")
    assert topic.slug == "street-markets" and topic in public.active_topics()
    with pytest.raises(MayorError, match="topic_exists"):
        queue.add_topic(moderator, "Street markets")
    queue.set_topic_active(moderator, topic.id, False)
    assert topic not in public.active_topics()
    assert audit_count("mayor.topic.add") == 1 and audit_count("mayor.topic.hide") == 1


def test_text_rows_have_the_shared_shape(app: Flask) -> None:
    moderator, _officer = staff()
    kept = ask("My name is Sara Begum and the lift is broken")
    moderation.apply_redaction(kept, moderator)
    gone = ask("Rubbish")
    moderation.reject(gone, moderator, "unclear")
    rows = list(question_text_rows())
    assert [r.id for r in rows] == [kept.reference]
    row = rows[0]
    assert (row.source, row.language, row.channel, row.ward) == ("ask_the_mayor", "en",
                                                                 "online", "bow-east")
    assert "Sara" not in row.text and row.date == kept.created_at


def test_mail_log_backend_never_logs_the_body(app: Flask) -> None:
    import logging

    class Keep(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    moderator, officer = staff()
    question = ask(email="canary-resident@example.org")
    keep, root = Keep(), logging.getLogger()
    old_level = root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    try:
        answered(question, moderator, officer)
    finally:
        root.removeHandler(keep)
        root.setLevel(old_level)
    text = "\n".join(keep.lines)
    assert question.reference in text
    assert "canary-resident" not in text and "Tuesday" not in text


def test_references_are_unique_in_the_database(app: Flask) -> None:
    first = ask()
    db.session.add(MayorQuestion(reference=first.reference, text="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(MayorQuestion.id).where(
        MayorQuestion.reference == first.reference)) == first.id


def test_search_uses_the_word_index_and_follows_publication(app: Flask) -> None:
    moderator, officer = staff()
    question = ask("Can the Whitechapel market stalls stay open later on Fridays?")
    answered(question, moderator, officer)
    assert public.published_page(public.AnswerFilters(search="whitechapel")).total == 0
    answers.publish(question, moderator)
    for words, found in [("whitechapel", 1), ("WHITECH", 0), ("market friday", 1),
                         ("Tuesday", 1), ("market bananas", 0), ("_", 0), ("%", 1)]:
        assert public.published_page(public.AnswerFilters(search=words)).total == found, words
    moderation.edit_wording(question, moderator, "Can the market stalls stay open later?")
    assert public.published_page(public.AnswerFilters(search="whitechapel")).total == 0
    assert public.published_page(public.AnswerFilters(search="stalls")).total == 1


def test_a_reference_collision_is_retried(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.services.collect.mayor import submission

    first = ask()
    given = iter([first.reference, "ABCD-EFGH"])
    monkeypatch.setattr(submission, "new_reference", lambda: next(given))
    second = ask("Another question")
    assert second.reference == "ABCD-EFGH" and second.id != first.id


def test_support_is_counted_once_through_a_briefly_locked_database(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """One support is one retrying transaction (issue 20): a lock that clears is waited out
    and the support counted once."""
    moderator, officer = staff()
    question = ask()
    answers.publish(answered(question, moderator, officer), moderator)
    failed = locked_once(monkeypatch)
    assert public.add_support(question.id, "browser-1") is True
    assert failed == [1]
    assert public.add_support(question.id, "browser-1") is False
    db.session.expire_all()
    assert question.support_count == 1
