"""One way to page a list (issue 20): `services.platform.paging.window`,
`blueprints.paging.page_arg`
and `pager`, and every paged list answering a bad, negative or huge ?page= with its first or
last page (never an error)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from engage.blueprints.paging import page_arg, pager
from engage.extensions import db
from engage.models import MayorQuestion, RunText, SurveyContact, Theme, User
from engage.models._types import utcnow
from engage.services.code.themes import views
from engage.services.collect import contacts
from engage.services.collect.consultations import public as consultations_public
from engage.services.collect.mayor import public as mayor_public
from engage.services.collect.mayor import queue, search
from engage.services.platform import paging
from tests.engage.consultation_helpers import consultation, officer
from tests.engage.contacts_helpers import SLUG, setup
from tests.engage.mayor_helpers import ask, mayor_topics  # noqa: F401 (a fixture)
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import check_page, make_user, sign_in

HUGE = "99999999999999999999"


def test_window_moves_the_page_into_range() -> None:
    assert paging.window(0, 5, 20) == paging.Window(page=1, pages=1, total=0, size=20)
    shown = paging.window(45, 99999, 20)
    assert (shown.page, shown.pages, shown.offset, shown.shown) == (3, 3, 40, 5)
    assert (shown.first, shown.last) == (41, 45)
    assert paging.window(45, -3, 20).page == 1
    assert paging.window(40, 2, 20).shown == 20
    assert paging.window(0, 1, 20).first == 0
    with pytest.raises(ValueError):
        paging.window(10, 1, 0)


@pytest.mark.parametrize(("query", "expected"), [
    ("", 1), ("?page=", 1), ("?page=abc", 1), ("?page=-1", 1), ("?page=0", 1),
    ("?page=%C2%B2", 1), ("?page=%E0%A7%A9", 1), ("?page=2.5", 1), ("?page=7", 7),
    ("?page=99999", 99999), (f"?page={HUGE}", 2**31 - 1), ("?page=" + "9" * 5000, 2**31 - 1),
])
def test_page_arg_never_fails(app: Flask, query: str, expected: int) -> None:
    with app.test_request_context("/consultations" + query):
        assert page_arg() == expected


def test_pager_keeps_the_filters_but_not_url_for_options(app: Flask) -> None:
    with app.test_request_context("/consultations?q=parks&_external=1&_method=PUT&page=2"):
        links = pager(2, 5, "public.consultations")
        assert links is not None
        hrefs = [item["href"] for item in links["items"] if "href" in item]
        assert hrefs[0] == "/consultations?q=parks&page=1"
        assert all(h.startswith("/consultations?") for h in hrefs)
        assert links["previous"]["href"].endswith("page=1")
        assert links["next"]["href"].endswith("page=3")
        assert [i.get("current") for i in links["items"] if "href" in i].count(True) == 1
        assert pager(1, 1, "public.consultations") is None


def _items(soup: BeautifulSoup, selector: str) -> list[str]:
    return [tag.get_text(" ", strip=True) for tag in soup.select(selector)]


def _current(soup: BeautifulSoup) -> str:
    current = soup.select_one(".govuk-pagination__item--current")
    assert current is not None
    return current.get_text(strip=True)


def check_bad_pages(client: FlaskClient, url: str, selector: str, pages: int) -> None:
    """The list at `url` has `pages` pages: a page argument that is no page number shows the
    first, one past the end the last, and neither is an error."""
    join = "&" if "?" in url else "?"
    first = _items(check_page(client.get(url)), selector)
    last_soup = check_page(client.get(f"{url}{join}page={pages}"))
    last = _items(last_soup, selector)
    assert first and last and first != last
    assert _current(last_soup) == str(pages)
    for bad in ("abc", "-1", "0", "%00"):
        soup = check_page(client.get(f"{url}{join}page={bad}"))
        assert _items(soup, selector) == first, bad
        assert _current(soup) == "1"
    for huge in ("99999", HUGE):
        soup = check_page(client.get(f"{url}{join}page={huge}"))
        assert _items(soup, selector) == last, huge
        assert _current(soup) == str(pages)


def test_public_consultations(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(consultations_public, "PER_PAGE", 2)
    actor = officer()
    for n in range(5):
        consultation(actor, "published", f"c-{n}", title_en=f"Consultation {n}")
    check_bad_pages(client, "/consultations", "article h2", 3)


def _publish(text: str) -> None:
    question = ask(text)
    question.status, question.answer_text, question.published_at = (
        "published", "The answer.", utcnow())
    search.reindex(question)
    db.session.commit()


@pytest.mark.usefixtures("mayor_topics")
def test_mayor_answers(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mayor_public, "PAGE_SIZE", 2)
    for n in range(5):
        _publish(f"Why is the library in ward {n} closed on Sundays?")
    check_bad_pages(client, "/ask-the-mayor/answers", "article h2", 3)
    check_bad_pages(client, "/ask-the-mayor/answers?q=library", "article h2", 3)


@pytest.mark.usefixtures("mayor_topics")
def test_mayor_queue(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "QUEUE_SIZE", 2)
    for n in range(5):
        ask(f"Why is the library in ward {n} closed on Sundays?")
    assert db.session.scalar(select(MayorQuestion.id).limit(1)) is not None
    make_user("moderator@example.org", role="moderator")
    sign_in(client, "moderator@example.org")
    check_bad_pages(client, "/staff/mayor/", "tbody tr", 3)
    soup = check_page(client.get("/staff/mayor/?page=99999"))
    assert "Showing 5 to 5, page 3 of 3" in soup.select_one("#queue-total").get_text()


def test_contacts(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contacts, "PAGE_SIZE", 2)
    survey, actor = setup(app)
    contacts.upload(survey.id, b"email\n" + b"".join(
        f"p{n}@example.org\n".encode() for n in range(5)), actor)
    sign_in(client, "officer@example.org")
    check_bad_pages(client, f"/staff/surveys/{SLUG}/contacts", "#contacts-table tbody tr", 3)


def test_theme_texts(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_texts(60)
    run = finished_run(analyst(), n_themes=2)
    theme = max(db.session.scalars(select(Theme).where(Theme.run_id == run.id)),
                key=lambda t: t.size)
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    pages = -(-theme.size // 10)
    assert pages > 1
    sign_in(client, "analyst@example.org")
    check_bad_pages(client, f"/staff/themes/{theme.id}", "li.app-text", pages)
    soup = check_page(client.get(f"/staff/themes/{theme.id}?page=2"))
    link = soup.select_one(".govuk-pagination__next a")
    assert link is not None and str(link["href"]).endswith("#texts")
    assert "page=3" in str(link["href"]) and "after=" in str(link["href"])


def walk(client: FlaskClient, url: str, selector: str) -> tuple[list[list[str]], list[list[str]]]:
    """Every page of the list at `url` by its next links, then back by its previous links."""
    forward: list[list[str]] = []
    soup = check_page(client.get(url))
    while True:
        forward.append(_items(soup, selector))
        link = soup.select_one(".govuk-pagination__next a")
        if link is None:
            break
        soup = check_page(client.get(str(link["href"])))
    back: list[list[str]] = []
    while (link := soup.select_one(".govuk-pagination__prev a")) is not None:
        soup = check_page(client.get(str(link["href"])))
        back.append(_items(soup, selector))
    return forward, back


@pytest.fixture
def seeks(app: Flask) -> Iterator[list[str]]:
    """Statements that find a page by key (a row-value comparison before ORDER BY)."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if re.search(r"\) [<>] \(", statement) and "ORDER BY" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def test_contacts_are_paged_by_key(app: Flask, client: FlaskClient, seeks: list[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contacts, "PAGE_SIZE", 2)
    survey, actor = setup(app)
    contacts.upload(survey.id, b"email\n" + b"".join(
        f"p{n}@example.org\n".encode() for n in range(9)), actor)
    sign_in(client, "officer@example.org")
    url = f"/staff/surveys/{SLUG}/contacts"
    soup = check_page(client.get(url))
    first_ids = [c.id for c in db.session.scalars(select(SurveyContact).order_by(
        SurveyContact.id))]
    assert f"after={first_ids[1]}" in str(soup.select_one(".govuk-pagination__next a")["href"])
    forward, back = walk(client, url, "#contacts-table tbody tr")
    assert [len(p) for p in forward] == [2, 2, 2, 2, 1]
    assert forward == _page_by_number(client, url, 5)
    assert back == forward[-2::-1]
    # Pages 2 to 4 both ways were sought from a contact's id (page 1 and 5 read from the ends).
    assert len(seeks) >= 6 and all("survey_contacts.id" in s for s in seeks)
    # A contact erased meanwhile, or a cursor that is no id: the page is still shown.
    assert _items(check_page(client.get(f"{url}?page=2&after=abc")), "#contacts-table tbody tr") \
        == forward[1]
    assert _items(check_page(client.get(f"{url}?page=3&before=999999")),
                  "#contacts-table tbody tr") == forward[2]


def _page_by_number(client: FlaskClient, url: str, pages: int) -> list[list[str]]:
    return [_items(check_page(client.get(f"{url}?page={n}")), "#contacts-table tbody tr")
            for n in range(1, pages + 1)]


def test_theme_texts_are_paged_by_key(app: Flask, client: FlaskClient, seeks: list[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    demo_texts(60)
    run = finished_run(analyst(), n_themes=2)
    theme = max(db.session.scalars(select(Theme).where(Theme.run_id == run.id)),
                key=lambda t: t.size)
    monkeypatch.setattr(views, "PAGE_SIZE", 5)
    sign_in(client, "analyst@example.org")
    url = f"/staff/themes/{theme.id}"
    forward, back = walk(client, url, "li.app-text")
    by_number = [_items(check_page(client.get(f"{url}?page={n}")), "li.app-text")
                 for n in range(1, len(forward) + 1)]
    assert forward == by_number and len(forward) == -(-theme.size // 5) > 3
    assert back == forward[-2::-1]
    assert seeks and all("theme_run_texts.score" in s for s in seeks)
    # Best fit first, then the newest text among equal scores.
    scores = [(-r.score, -r.text_id) for r in db.session.scalars(select(RunText).where(
        RunText.theme_id == theme.id, RunText.run_id == run.id))]
    texts, _ = views.theme_texts(theme, db.session.scalar(select(User).where(
        User.email == "analyst@example.org")), 1)
    assert [(-t.score, -t.id) for t in texts] == sorted(scores)[:5]
    # A cursor to a text not in this theme: the page is counted to instead.
    assert _items(check_page(client.get(f"{url}?page=2&after=999999")), "li.app-text") == \
        forward[1]
