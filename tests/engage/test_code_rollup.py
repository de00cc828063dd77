"""Parent codes roll up their sub-codes (issue 22): a parent code's people are the distinct
people coded to it or to any of its sub-codes, its comments the distinct texts, never a sum
that counts twice a person (or a text) coded to two sibling sub-codes. The arithmetic is
groupings.roll_up and groupings.count; every surface reads it through groupings."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import Code, Codeframe, Survey
from engage.services.code import groupings
from engage.services.code.themes import equity
from engage.services.report import insight_sources
from tests.engage.coding_helpers import rolled_codeframe, text_ids
from tests.pages import check_page, csrf_token, sign_in

# Transport (code:1) has two sub-codes, Buses (code:2) and Trains (code:3); Roads (code:4)
# has none. Person A wrote two texts: text 10 coded Buses and Trains, text 11 Trains. Person B
# wrote text 12, coded Buses. Person C wrote text 13, coded Transport itself and Buses.
# Text 14 has no known respondent (a person of its own), coded Roads.
HAND_ROWS: list[groupings.Row] = [
    ("code:2", "response:1", 10), ("code:3", "response:1", 10),
    ("code:3", "response:1", 11),
    ("code:2", "response:2", 12),
    ("code:1", "response:3", 13), ("code:2", "response:3", 13),
    ("code:4", "text:14", 14)]
HAND_PARENTS = {"code:2": "code:1", "code:3": "code:1"}


def test_a_parent_counts_each_person_and_text_once_by_hand() -> None:
    rows = groupings.roll_up(HAND_ROWS, HAND_PARENTS)
    counted = groupings.count(rows, {1: 2.0, 2: 1.0, 3: 1.0})
    # Buses: A, B, C in texts 10, 12, 13. Trains: A in texts 10 and 11.
    assert counted["code:2"] == groupings.Counts(people=3, comments=3, weighted_percent=100.0)
    assert counted["code:3"] == groupings.Counts(people=1, comments=2, weighted_percent=50.0)
    # Transport: A, B and C (3 people, weight 4 of 4), texts 10, 11, 12, 13 (4 comments).
    # Summing its sub-codes and its own would say 3 + 1 + 1 = 5 people and 3 + 2 + 1 = 6
    # comments: person A (two siblings) and person C (parent and child) counted twice.
    assert counted["code:1"] == groupings.Counts(people=3, comments=4, weighted_percent=100.0)
    assert counted["code:4"] == groupings.Counts(people=1, comments=1, weighted_percent=0.0)
    # Each (code, text) once: text 10 reaches Transport once though coded to two sub-codes.
    assert sorted(r for r in rows if r[0] == "code:1") == [
        ("code:1", "response:1", 10), ("code:1", "response:1", 11),
        ("code:1", "response:2", 12), ("code:1", "response:3", 13)]
    assert groupings.roll_up(HAND_ROWS, {}) == HAND_ROWS


@pytest.fixture
def rolled(app: Flask) -> tuple[Codeframe, dict[str, int]]:
    return rolled_codeframe()


def test_every_surface_counts_the_parent_once_per_person(client: FlaskClient,
                                                          rolled: tuple) -> None:
    frame, ids = rolled
    survey_id = int(db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG)))
    found = {s.name: s for s in insight_sources.theme_summaries(survey_id) if s.kind == "code"}
    assert (found["Parks"].size, found["Parks"].comments) == (2, 3)  # not 3 people, 4 texts
    assert (found["Parks / Safety"].size, found["Parks / Safety"].comments) == (2, 2)
    assert (found["Parks / Play areas"].size, found["Parks / Play areas"].comments) == (1, 2)
    # The equity lens reads the parent's texts once each.
    parks = db.session.get(Code, ids["Parks"])
    assert equity.lens(groupings.of_code(parks)).size == 3
    # The CSV marks the parent for both people's responses.
    sign_in(client, "analyst@example.org")
    token = csrf_token(client, "/staff/surveys")
    body = client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert sum(1 for r in rows if r["Code: Parks"] == "1") == 2
    # The codeframe's overview: Parks 3 texts, 2 people.
    soup = check_page(client.get(f"/staff/coding/{frame.id}"))
    assert soup.select_one("#rollup-note") is not None
    line = next(tr for tr in soup.select("tbody tr")
                if tr.select_one("a") and tr.select_one("a").get_text(strip=True) == "Parks")
    assert [td.get_text(strip=True) for td in line.select("td")][1:] == ["3", "2"]


def test_a_board_offers_and_counts_a_parent_coded_only_through_sub_codes(
        rolled: tuple) -> None:
    from engage.services.decide.priorities import boards, evidence, groups
    from tests.engage.priorities_helpers import DEFAULTS
    from tests.pages import make_user

    frame, _ids = rolled
    officer = make_user("officer@example.org", "engagement_officer")
    chair = make_user("chair@example.org", "group_member")
    group = groups.create_group(officer, "Parks group", "", chair.id, [])
    board = boards.create_board(group, officer, "Coded", [], DEFAULTS,
                                codeframe_ids=[frame.id])
    items = {i.label: i for i in boards.items(board)}
    assert set(items) == {"Roads", "Parks", "Parks / Safety", "Parks / Play areas"}
    card = evidence.cards([items["Parks"]], officer)[items["Parks"].id]
    assert card.people == 2
    assert card.share == pytest.approx(3 / len(text_ids(frame)))
