"""The moderation queue paged by key (issue 21): the next and previous links carry the last and
first question shown, the page is found from there (no OFFSET), the last page is read back
from the end, and the GOV.UK pagination keeps working in both directions and both orders."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from engage.extensions import db
from engage.models import MayorQuestion
from engage.models._types import utcnow
from engage.services.collect.mayor import queue
from tests.engage.mayor_helpers import mayor_topics
from tests.pages import check_page, make_user, sign_in

pytestmark = pytest.mark.usefixtures(mayor_topics.__name__)
SIZE = 5
LINK = re.compile(r"/staff/mayor/questions/(\d+)")
SEEK = re.compile(r"\(mayor_questions\.created_at, mayor_questions\.id\) [<>] \(")


@pytest.fixture
def questions(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """23 received questions (5 pages of 5), two pairs received at the same moment (the id
    breaks the tie); ids newest first. A moderator signed in."""
    monkeypatch.setattr(queue, "QUEUE_SIZE", SIZE)
    now = utcnow()
    made = []
    for i in range(23):
        at = now - timedelta(minutes=i - (i in (7, 13)))  # 6 and 7, 12 and 13 tie
        question = MayorQuestion(reference=f"AQ{i:03d}", text=f"Question {i}", created_at=at,
                                 updated_at=at)
        db.session.add(question)
        made.append(question)
    db.session.commit()
    make_user("mod@example.org", role="moderator")
    sign_in(client, "mod@example.org")
    return [q.id for q in sorted(made, key=lambda q: (q.created_at, q.id), reverse=True)]


def _page(client: FlaskClient, url: str) -> tuple[list[int], Any]:
    soup = check_page(client.get(url))
    ids = [int(m.group(1)) for a in soup.select("table a.govuk-link")
           if (m := LINK.search(a["href"]))]
    return ids, soup


def _link(soup: Any, rel: str) -> str | None:
    found = soup.select_one(f".govuk-pagination__{rel} a")
    return str(found["href"]) if found else None


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "mayor_questions" in statement and "ORDER BY" in statement:
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_next_and_previous_walk_every_question_once_by_key(
        client: FlaskClient, questions: list[int], statements: list[str], sort: str) -> None:
    order = questions if sort == "newest" else questions[::-1]
    url: str | None = f"/staff/mayor/?status=received&sort={sort}"
    pages = []
    while url:
        ids, soup = _page(client, url)
        pages.append(ids)
        url = _link(soup, "next")
        if url and len(pages) < 4:  # to pages 2 to 4: from the last question shown
            assert f"after={ids[-1]}" in url and f"sort={sort}" in url
    assert pages == [order[i:i + SIZE] for i in range(0, 23, SIZE)]
    assert "after=" not in str(url) and len(pages[-1]) == 3  # the last page, from the end
    # Back again by the previous links, each from the first question shown.
    back = []
    url = _link(soup, "prev")
    while url:
        if "page=1" not in url:
            assert f"before={ids[0]}" in url
        ids, soup = _page(client, url)
        back.append(ids)
        url = _link(soup, "prev")
    assert back == pages[-2::-1]
    # Pages 2 to 4, both ways, were sought from a question's key (not counted to).
    assert len(statements) == 9
    assert sum(bool(SEEK.search(s)) for s in statements) == 6


def test_the_next_page_follows_the_last_question_shown_when_new_ones_arrive(
        client: FlaskClient, questions: list[int]) -> None:
    first, soup = _page(client, "/staff/mayor/?status=received")
    assert first == questions[:SIZE]
    next_url = _link(soup, "next")
    assert next_url
    for i in range(3):  # three new questions arrive at the top of the queue
        db.session.add(MayorQuestion(reference=f"NEW{i}", text="New"))
    db.session.commit()
    second, _ = _page(client, next_url)
    assert second == questions[SIZE:2 * SIZE]  # counting to page 2 would repeat three


def test_page_numbers_alone_and_stale_or_bad_cursors_still_work(
        client: FlaskClient, questions: list[int]) -> None:
    assert _page(client, "/staff/mayor/?status=received&page=3")[0] == questions[10:15]
    gone = questions[4]
    db.session.delete(db.session.get(MayorQuestion, gone))
    db.session.commit()
    rest = [q for q in questions if q != gone]
    # The question the link names was deleted: the page is counted to instead.
    assert _page(client, f"/staff/mayor/?status=received&page=2&after={gone}")[0] == \
        rest[5:10]
    assert _page(client, "/staff/mayor/?status=received&page=2&after=abc")[0] == rest[5:10]
    assert client.get("/staff/mayor/?page=2&after=99999999999999999999").status_code == 404
    # Links never carry the cursor they came with onto other pages.
    _, soup = _page(client, f"/staff/mayor/?status=received&page=3&after={rest[9]}")
    links = [a["href"] for a in soup.select(".govuk-pagination a")]
    assert all(f"after={rest[9]}" not in link for link in links)
    assert any(f"after={rest[14]}" in link and "page=4" in link for link in links)
    assert any(f"before={rest[10]}" in link and "page=2" in link for link in links)


@pytest.fixture
def counts(app: Flask) -> Iterator[list[str]]:
    """The count statements the queue runs."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "count(" in statement.lower() and "mayor_questions" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def _status(soup: Any) -> str:
    return " ".join(soup.select_one("#queue-total").get_text().split())


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_a_long_queue_says_more_than_the_cap_and_still_pages_both_ways(
        client: FlaskClient, questions: list[int], counts: list[str],
        monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    monkeypatch.setattr(queue, "COUNT_CAP", 12)
    order = questions if sort == "newest" else questions[::-1]
    ids, soup = _page(client, f"/staff/mayor/?status=received&sort={sort}")
    assert ids == order[:SIZE]
    assert _status(soup) == "Questions found: more than 12. Showing 1 to 5, page 1"
    # The count stops at the cap: it never reads the whole queue.
    assert counts and all(re.search(r"LIMIT", s) for s in counts)
    pages = [ids]
    url = _link(soup, "next")
    while url:
        assert f"after={pages[-1][-1]}" in url  # every next page found by key
        ids, soup = _page(client, url)
        pages.append(ids)
        url = _link(soup, "next")
    assert pages == [order[i:i + SIZE] for i in range(0, 23, SIZE)]
    assert _status(soup) == "Questions found: more than 12. Showing 21 to 23, page 5"
    back = []
    url = _link(soup, "prev")
    while url:
        ids, soup = _page(client, url)
        back.append(ids)
        url = _link(soup, "prev")
    assert back == pages[-2::-1]


def test_a_long_queue_by_page_number_past_its_end_or_a_bad_cursor_is_never_an_error(
        client: FlaskClient, questions: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "COUNT_CAP", 12)
    ids, soup = _page(client, "/staff/mayor/?status=received&page=3")
    assert ids == questions[10:15]
    assert _link(soup, "next") is not None
    assert "page 3" in _status(soup)
    ids, soup = _page(client, "/staff/mayor/?status=received&page=5")
    assert ids == questions[20:] and _link(soup, "next") is None
    # Past the end: the first page, not an empty one.
    ids, soup = _page(client, "/staff/mayor/?status=received&page=40")
    assert ids == questions[:SIZE] and "page 1" in _status(soup)
    assert _page(client, "/staff/mayor/?status=received&page=2&after=abc")[0] == \
        questions[5:10]
    assert _page(client, "/staff/mayor/?status=received&page=2&after=987654")[0] == \
        questions[5:10]


def test_a_short_queue_is_counted_exactly_and_new_questions_past_the_cap_are_capped(
        app: Flask, client: FlaskClient, questions: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, soup = _page(client, "/staff/mayor/?status=received")
    assert _status(soup) == "Questions found: 23. Showing 1 to 5, page 1 of 5"
    monkeypatch.setattr(queue, "COUNT_CAP", 12)
    since = utcnow() - timedelta(hours=2)
    found = queue.queue(queue.QueueFilters(status="received"), 1, since)
    assert found.new_capped and found.new_count == 13 and found.capped and found.more
    assert not queue.queue(queue.QueueFilters(status="received"), 1, utcnow()).new_capped
    monkeypatch.setattr(queue, "COUNT_CAP", 23)
    found = queue.queue(queue.QueueFilters(status="received"), 1, since)
    assert (found.total, found.new_count, found.capped, found.more) == (23, 23, False, False)
