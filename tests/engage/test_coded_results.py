"""Coded results (issue 22): a codeframe's codes reach the report, exports, the API, the equity
lens and published results through the same path as approved themes
(engage.services.code.groupings),
only once an analyst marks the codeframe final; people are distinct respondents, comments texts;
the agreement page sets the model's agreement with the resolved codes beside the coders'."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AnalysisText, AuditEvent, Code, Codeframe, Survey, User
from engage.services.code import groupings
from engage.services.code.coding import CodingError, double, final, suggest, texts
from engage.services.code.themes import equity
from engage.services.platform import api_tokens
from engage.services.report import api_data, insight_sources
from tests.engage.coding_helpers import code_ids, codeframe, text_ids
from tests.engage.themes_helpers import analyst
from tests.pages import check_page, csrf_token, make_user, sign_in

PARKS_PEOPLE = 12


def _respondents(frame: Codeframe) -> dict[str, list[int]]:
    """The codeframe's texts by respondent, in reading order."""
    by: dict[str, list[int]] = defaultdict(list)
    who = dict(db.session.execute(select(AnalysisText.id, AnalysisText.respondent).where(
        AnalysisText.id.in_(text_ids(frame)))).all())
    for t in text_ids(frame):
        by[str(who[t])].append(t)
    return by


def _code_all(frame: Codeframe, user: User) -> tuple[set[int], set[str]]:
    """Parks for every text of the first respondents (one of them with two texts), Roads for
    the rest; the Parks texts and people."""
    ids = code_ids(frame)
    by = _respondents(frame)
    people = sorted(by, key=lambda r: (-len(by[r]), r))[:PARKS_PEOPLE]
    assert len(by[people[0]]) >= 2  # a respondent who wrote two coded texts
    parks = {t for r in people for t in by[r]}
    for t in text_ids(frame):
        texts.code_text(frame, t, user, [ids["Parks" if t in parks else "Roads"]])
    return parks, set(people)


def _coder(email: str = "coder@example.org") -> User:
    """The analyst with this email (made on first use)."""
    found = db.session.scalars(select(User).where(User.email == email)).first()
    return found or analyst(email)


def _survey_id() -> int:
    return int(db.session.scalar(select(Survey.id).where(Survey.slug == demo.SLUG)))


@pytest.fixture
def coded(app: Flask) -> tuple[Codeframe, set[int], set[str]]:
    """A codeframe whose every text an analyst coded (not yet final)."""
    frame = codeframe(n_texts=40)
    parks, people = _code_all(frame, _coder())
    return frame, parks, people


def _codes_of(survey_id: int) -> dict[str, insight_sources.ThemeSummary]:
    return {s.name: s for s in insight_sources.theme_summaries(survey_id) if s.kind == "code"}


def test_coding_reaches_nothing_until_the_codeframe_is_final(coded: tuple) -> None:
    frame, parks, people = coded
    survey = _survey_id()
    assert _codes_of(survey) == {}
    assert not [h for h in insight_sources.response_themes(survey).headers
                if h.startswith("Code: ")]
    assert api_data.themes_of(demo.SLUG)["codes"] == []
    assert insight_sources.people_with_themes(survey) == 0
    final.mark_final(frame, _coder())
    found = _codes_of(survey)
    assert set(found) == {"Parks", "Roads"}
    # People are distinct respondents; comments are texts (one person wrote two).
    assert found["Parks"].size == len(people) == PARKS_PEOPLE
    assert found["Parks"].comments == len(parks) > len(people)
    assert found["Parks"].weighted_percent is None  # no weights yet
    assert insight_sources.people_with_themes(survey) == len(_respondents(frame))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "coding.codeframe_final")) == 1
    # Reopened, the counts leave every surface again.
    final.reopen(frame, _coder())
    assert _codes_of(survey) == {}


def test_a_codeframe_is_final_only_when_coded_and_resolved(app: Flask) -> None:
    frame = codeframe(n_texts=40)
    first, second = _coder(), _coder("second@example.org")
    ids = code_ids(frame)
    texts.code_text(frame, text_ids(frame)[0], first, [ids["Parks"]])
    assert final.blockers(frame) == ["final_uncoded"]
    with pytest.raises(CodingError) as err:
        final.mark_final(frame, first)
    assert err.value.code == "final_uncoded" and frame.final_at is None
    _code_all(frame, first)
    sample = double.draw_sample(frame, first, 10, seed=1)
    assert final.blockers(frame) == ["final_second_missing"]
    for t in sample.text_ids:
        given = double.codings(frame)[t]
        other = ids["Roads"] if ids["Parks"] in given else ids["Parks"]
        texts.code_text(frame, t, second, [other if t == sample.text_ids[0] else
                                           next(iter(given))], stage="second")
    assert final.blockers(frame) == ["final_unresolved"]
    double.resolve(frame, sample.text_ids[0], first, [ids["Roads"]], False, "Agreed")
    assert final.blockers(frame) == []
    final.mark_final(frame, first)
    assert frame.final_at is not None and frame.final_by_id == first.id
    # A final codeframe cannot change until it is reopened.
    for change in (lambda: texts.code_text(frame, text_ids(frame)[1], first, [ids["Roads"]]),
                   lambda: texts.clear_text(frame, text_ids(frame)[1], first),
                   lambda: double.draw_sample(frame, first, 10)):
        with pytest.raises(CodingError) as err:
            change()
        assert err.value.code == "final"
    final.reopen(frame, first)
    texts.code_text(frame, text_ids(frame)[1], first, [ids["Roads"]])


def test_people_and_comments_and_weights_are_counted_apart() -> None:
    rows = [("code:1", "response:1", 10), ("code:1", "response:1", 11),
            ("code:1", "response:2", 12), ("code:2", "text:13", 13)]
    counted = groupings.count(rows, {1: 2.0, 2: 1.0, 3: 1.0})
    assert counted["code:1"] == groupings.Counts(people=2, comments=3, weighted_percent=75.0)
    assert counted["code:2"] == groupings.Counts(people=1, comments=1, weighted_percent=0.0)
    assert groupings.count(rows)["code:1"].weighted_percent is None


def test_the_equity_lens_reads_a_code_over_the_coded_texts(coded: tuple) -> None:
    frame, parks, _people = coded
    parks_code = db.session.get(Code, code_ids(frame)["Parks"])
    view = equity.lens(groupings.of_code(parks_code))
    assert view.size == len(parks) and view.total == len(text_ids(frame))
    ward = next(d for d in view.dimensions if d.name == "ward")
    assert sum(c.base for c in ward.cells) == ward.known <= view.total


def test_codes_reach_report_exports_and_api(client: FlaskClient, coded: tuple) -> None:
    frame, parks, people = coded
    final.mark_final(frame, _coder())
    sign_in(client, "analyst@example.org")
    token = csrf_token(client, "/staff/surveys")
    body = client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header = table[0]
    assert "Code: Parks" in header and "Code: Roads" in header  # a column per code
    marked = sum(1 for row in table[1:] if row[header.index("Code: Parks")] == "1")
    assert marked == len(people)  # one row per response: the person, not their two texts
    codebook = client.post(f"/staff/surveys/{demo.SLUG}/codebook.csv",
                           data={"csrf_token": token}).get_data(as_text=True)
    entries = {r["column"]: r for r in csv.DictReader(io.StringIO(codebook.lstrip("\ufeff")))}
    assert entries["Code: Parks"]["type"] == "code"
    book = load_workbook(io.BytesIO(client.post(
        f"/staff/surveys/{demo.SLUG}/insight.xlsx", data={"csrf_token": token}).data))
    assert "Code: Parks" in [c.value for c in next(book["Responses"].iter_rows())]
    sheet = list(book["Themes"].iter_rows(values_only=True))
    assert ("Parks", "Green spaces, play areas", len(people), None) in sheet
    page = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report"))
    text = page.select_one("section[aria-labelledby=themes]").get_text(" ", strip=True)
    assert "Parks Code" in text and f"{len(people)} people mentioned this." in text
    assert f"{len(parks)} comments in all." in text
    admin = make_user("admin@example.org", role="admin")
    secret = api_tokens.create_token("t", [demo.SLUG], admin).secret
    data = client.get(f"/api/v1/surveys/{demo.SLUG}/themes",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert {"name": "Parks", "description": "Green spaces, play areas", "people": len(people),
            "comments": len(parks), "weighted_percent": None} in data["codes"]


def test_unfinal_coding_stays_off_report_and_api(client: FlaskClient, coded: tuple) -> None:
    sign_in(client, "analyst@example.org")
    page = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report"))
    assert "Parks" not in page.select_one("section[aria-labelledby=themes]").get_text()
    admin = make_user("admin@example.org", role="admin")
    secret = api_tokens.create_token("t", [demo.SLUG], admin).secret
    data = client.get(f"/api/v1/surveys/{demo.SLUG}/themes",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert data["codes"] == []


def test_the_overview_marks_final_and_reopens(client: FlaskClient, coded: tuple) -> None:
    frame, _parks, people = coded
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get(f"/staff/coding/{frame.id}"))
    assert soup.select_one("#final-blockers") is None
    assert "Mark as final" in soup.select_one("#final-status").get_text()
    assert str(len(people)) in [td.get_text(strip=True) for td in soup.select("td")]
    token = csrf_token(client, f"/staff/coding/{frame.id}")
    response = client.post(f"/staff/coding/{frame.id}/final", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.refresh(frame)
    assert frame.final_at is not None
    soup = check_page(client.get(f"/staff/coding/{frame.id}"))
    assert "Reopen for changes" in soup.select_one("#final-status").get_text()
    # Coding a final codeframe is refused with a message, and nothing changes.
    target = text_ids(frame)[0]
    token = csrf_token(client, f"/staff/coding/{frame.id}/texts/{target}")
    ids = code_ids(frame)
    page = client.post(f"/staff/coding/{frame.id}/texts/{target}",
                       data={"csrf_token": token, "codes": [str(ids["Safety"])]})
    assert page.status_code == 400
    assert "This codeframe is final; reopen it to make changes" in page.get_data(as_text=True)
    client.post(f"/staff/coding/{frame.id}/final", data={"csrf_token": token})
    db.session.refresh(frame)
    assert frame.final_at is None


def test_the_overview_lists_what_stops_it_being_final(client: FlaskClient,
                                                      app: Flask) -> None:
    frame = codeframe(n_texts=20)
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get(f"/staff/coding/{frame.id}"))
    assert "Code every text" in soup.select_one("#final-blockers").get_text()
    token = csrf_token(client, f"/staff/coding/{frame.id}")
    client.post(f"/staff/coding/{frame.id}/final", data={"csrf_token": token})
    db.session.refresh(frame)
    assert frame.final_at is None
    make_user("partner@example.org", role="partner_viewer")
    client.post("/auth/sign-out", data={"csrf_token": token})
    sign_in(client, "partner@example.org")
    assert client.post(f"/staff/coding/{frame.id}/final",
                       data={"csrf_token": token}).status_code in (400, 403)


def test_model_agreement_sits_beside_the_coders(client: FlaskClient, app: Flask) -> None:
    frame = codeframe(n_texts=40)
    first, second = _coder(), _coder("second@example.org")
    ids = code_ids(frame)
    _code_all(frame, first)
    sample = double.draw_sample(frame, first, 20, seed=2)
    for t in sample.text_ids:
        texts.code_text(frame, t, second, sorted(double.codings(frame)[t], key=str),
                        stage="second")
    assert double.model_agreement(frame) is None  # no model yet
    info = suggest.refresh(frame)
    assert set(info["held_out"]) == {str(t) for t in sample.text_ids}
    found = double.model_agreement(frame)
    assert found is not None and found.compared == len(sample.text_ids)
    team = double.codings(frame)
    agreed = sum(1 for t in sample.text_ids
                 if {str(c) for c in team[t]} == set(info["held_out"][str(t)]))
    assert found.per_code[ids["Parks"]].units == len(sample.text_ids)
    assert found.overall.agreed >= agreed * 4  # 3 codes and "none" agree where the model was right
    sign_in(client, "analyst@example.org")
    soup = check_page(client.get(f"/staff/coding/{frame.id}/agreement"))
    assert f"on {len(sample.text_ids)} double-coded texts" in \
        soup.select_one("#model-compared").get_text()
    headers = [th.get_text(strip=True) for th in soup.select("#agreement-table thead th")]
    assert "Model and resolved codes: kappa" in headers
    assert soup.select_one("#model-overall-kappa").get_text(strip=True)


def test_codes_of_a_final_codeframe_go_on_a_priority_board(client: FlaskClient,
                                                           coded: tuple) -> None:
    from engage.models import BoardItem
    from engage.services.decide.priorities import boards, evidence, groups
    from tests.engage.priorities_helpers import DEFAULTS
    from tests.engage.results_helpers import share_results

    frame, parks, people = coded
    officer = make_user("officer@example.org", "engagement_officer")
    chair = make_user("chair@example.org", "group_member")
    group = groups.create_group(officer, "Housing and health", "", chair.id, [])
    share_results(roles=["group_member"])
    url = f"/staff/priorities/groups/{group.id}/boards/new"
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(url))
    assert not soup.select("input[name=codeframes]")  # not final yet: not offered
    with pytest.raises(groups.BoardError):
        boards.create_board(group, officer, "Early", [], DEFAULTS, codeframe_ids=[frame.id])
    final.mark_final(frame, _coder())
    soup = check_page(client.get(url))
    assert soup.select(f"input[name=codeframes][value='{frame.id}']")
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "title": "Coded",
                                      "codeframes": [str(frame.id)]})
    assert response.status_code == 303
    board = boards.boards_of(group)[0]
    items = boards.items(board)
    assert [i.label for i in items] == ["Roads", "Parks"]  # most texts first
    assert all(i.code_id and i.theme_id is None for i in items)
    parks_item = next(i for i in items if i.label == "Parks")
    card = evidence.cards([parks_item], officer)[parks_item.id]
    assert card.people == len(people)
    assert card.share == pytest.approx(len(parks) / len(text_ids(frame)))
    assert card.quotes and card.wards_known
    page = check_page(client.get(f"/staff/priorities/boards/{board.id}"))
    assert f"{100 * len(parks) / len(text_ids(frame)):.1f}% of comments, {len(people)} people" \
        in page.get_text(" ", strip=True)
    assert db.session.scalar(select(func.count()).select_from(BoardItem)) == 2


def _sav(client: FlaskClient) -> tuple:
    import tempfile
    from pathlib import Path

    import pyreadstat

    token = csrf_token(client, "/staff/surveys")
    response = client.post(f"/staff/surveys/{demo.SLUG}/responses.sav",
                           data={"csrf_token": token})
    assert response.status_code == 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.sav"
        path.write_bytes(response.get_data())
        return pyreadstat.read_sav(str(path), user_missing=True)


def test_the_sav_has_a_variable_per_code_of_the_final_codeframe(client: FlaskClient,
                                                                 coded: tuple) -> None:
    frame, _parks, people = coded
    sign_in(client, "analyst@example.org")
    table, meta = _sav(client)
    assert not [n for n in meta.column_names if n.startswith("code_")]  # not final yet
    final.mark_final(frame, _coder())
    table, meta = _sav(client)
    labels = meta.column_names_to_labels
    assert labels["code_Parks"] == "Parks" and labels["code_Roads"] == "Roads"
    assert "code_Parks___Safety" not in labels  # no text was coded to Safety
    assert meta.variable_value_labels["code_Parks"] == {0.0: "Not coded", 1.0: "Coded"}
    assert meta.variable_measure["code_Parks"] == "nominal"
    # One row per response, 1 where its free text was coded to the code: the CSV's cells.
    token = csrf_token(client, "/staff/surveys")
    body = client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert list(table["reference"]) == [r["reference"] for r in rows]
    assert list(table["code_Parks"]) == [1 if r["Code: Parks"] == "1" else 0 for r in rows]
    assert int(table["code_Parks"].sum()) == len(people)
    assert set(table["code_Roads"]) == {0, 1}
    # Engagement officers get the same code variables (they hold no text to redact).
    make_user("officer@example.org", role="engagement_officer")
    other = client.application.test_client()
    sign_in(other, "officer@example.org")
    officer_table, _ = _sav(other)
    assert list(officer_table["code_Parks"]) == list(table["code_Parks"])


def test_a_board_withdraws_a_code_whose_codeframe_is_reopened(client: FlaskClient,
                                                              coded: tuple) -> None:
    from engage.services.decide.priorities import boards, evidence, groups
    from tests.engage.priorities_helpers import DEFAULTS

    frame, _parks, people = coded
    officer = make_user("officer@example.org", "engagement_officer")
    chair = make_user("chair@example.org", "group_member")
    group = groups.create_group(officer, "Housing and health", "", chair.id, [])
    final.mark_final(frame, _coder())
    board = boards.create_board(group, officer, "Coded", [], DEFAULTS, codeframe_ids=[frame.id])
    parks = next(i for i in boards.items(board) if i.label == "Parks")
    assert evidence.cards([parks], officer)[parks.id].people == len(people)
    final.reopen(frame, _coder())
    card = evidence.cards([parks], officer)[parks.id]
    assert card.withdrawn and card.people is None and card.share is None
    assert not card.quotes and not card.mayor_questions
    sign_in(client, "officer@example.org")
    page = check_page(client.get(f"/staff/priorities/boards/{board.id}"))
    evidence_text = page.select_one(f"#item-{parks.id}").get_text(" ", strip=True)
    assert "Withdrawn" in evidence_text and "reopened for changes" in evidence_text
    assert "% of comments" not in evidence_text and f"{len(people)} people" not in evidence_text
    # Marked final again, the figures are evidence again.
    final.mark_final(frame, _coder())
    assert evidence.cards([parks], officer)[parks.id].people == len(people)
    page = check_page(client.get(f"/staff/priorities/boards/{board.id}"))
    assert "Withdrawn" not in page.select_one(f"#item-{parks.id}").get_text()
