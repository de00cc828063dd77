"""Coded results on the staff theme pages (issue 22): where staff read themes, the codes of
the final codeframes they may see, with people and comments (a parent code's including its
sub-codes', each once), and, for analysts, a link to each codeframe."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.extensions import db
from engage.models import Codeframe, Survey, User
from engage.services.code.coding import final
from tests.engage.coding_helpers import codeframe, rolled_codeframe
from tests.engage.themes_helpers import finished_run
from tests.pages import check_page, make_user, sign_in


@pytest.fixture
def rolled(app: Flask) -> tuple[Codeframe, dict[str, int]]:
    return rolled_codeframe()


def _analyst() -> User:
    return db.session.scalars(select(User).where(User.email == "analyst@example.org")).one()


def _table(soup: BeautifulSoup, frame: Codeframe) -> dict[str, list[str]]:
    table = soup.select_one(f"#coded-results table#coded-{frame.id}")
    assert table is not None
    assert table.caption.get_text(strip=True) == frame.title
    return {" ".join(tr.th.get_text(" ", strip=True).replace("↳", "").split()):
            [td.get_text(strip=True) for td in tr.select("td")]
            for tr in table.select("tbody tr")}


def test_the_themes_page_shows_the_final_codes_with_people_and_comments(
        client: FlaskClient, rolled: tuple) -> None:
    frame, _ids = rolled
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get("/staff/themes"))  # no analysis run yet: the index page
    rows = _table(soup, frame)
    assert rows["Parks"] == ["2", "3"]  # two people, three comments: not 3 and 4
    assert rows["Safety (sub-code)"] == ["2", "2"]
    assert rows["Play areas (sub-code)"] == ["1", "2"]
    link = soup.select_one(f"#coded-results a[href$='/staff/coding/{frame.id}']")
    assert link is not None and "Open the codeframe" in link.get_text()


def test_the_run_page_links_to_the_coded_results(client: FlaskClient, rolled: tuple) -> None:
    frame, _ids = rolled
    run = finished_run(_analyst())
    sign_in(client, "analyst@example.org")
    assert client.get("/staff/themes").headers["Location"].endswith(
        f"/staff/themes/runs/{run.id}")
    soup = check_page(client.get(f"/staff/themes/runs/{run.id}"))
    assert soup.select_one("#coded-link a")["href"] == "#coded-results"
    assert _table(soup, frame)["Parks"] == ["2", "3"]


def test_nothing_is_shown_until_a_codeframe_is_final(client: FlaskClient, app: Flask) -> None:
    frame = codeframe(n_texts=20)
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get("/staff/themes"))
    section = soup.select_one("#coded-results")
    assert "No codeframe has been marked final yet" in section.get_text()
    assert section.select_one("table") is None
    assert frame.final_at is None
    # Someone who cannot code sees no section at all.
    make_user("officer@example.org", role="engagement_officer")
    other = app.test_client()
    sign_in(other, "officer@example.org")
    assert check_page(other.get("/staff/themes")).select_one("#coded-results") is None


def test_viewers_see_only_codeframes_whose_results_they_may_see(client: FlaskClient,
                                                                 rolled: tuple) -> None:
    frame, _ids = rolled
    make_user("officer@example.org", role="engagement_officer")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get("/staff/themes"))
    assert _table(soup, frame)["Parks"] == ["2", "3"]
    assert soup.select_one("#coded-results a[href*='/staff/coding/']") is None  # cannot code
    for survey in db.session.scalars(select(Survey)):
        survey.results_roles = ["analyst"]
    db.session.commit()
    assert check_page(client.get("/staff/themes")).select_one("#coded-results") is None
    final.reopen(frame, _analyst())
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get("/staff/themes"))
    assert soup.select_one(f"#coded-{frame.id}") is None  # reopened: no longer final
