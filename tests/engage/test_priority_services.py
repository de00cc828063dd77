"""Priority board services: groups, criteria, scoring, ranking, shortlist, lock, permissions."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, BoardEvent, BoardScore, Theme
from engage.services.decide.priorities import boards, groups
from engage.services.decide.priorities.groups import BoardError, Forbidden
from engage.services.decide.priorities.shortlists import published_shortlists, shortlist
from tests.engage.priorities_helpers import DEFAULTS, Setup, score_all, setup
from tests.pages import make_user


def _audits(action: str) -> int:
    return int(db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action)) or 0)


@pytest.fixture
def s(app: Flask) -> Setup:
    return setup()


def test_board_is_built_from_approved_themes(s: Setup) -> None:
    items = boards.items(s.board)
    approved = db.session.scalars(select(Theme).where(
        Theme.run_id == s.run.id, Theme.approved.is_(True), Theme.active.is_(True))).all()
    assert {i.theme_id for i in items} == {t.id for t in approved}
    assert len(items) == 5
    assert [c.name for c in boards.criteria(s.board)] == [n for n, _d, _w in DEFAULTS]
    assert s.board.state == "setup"
    assert _audits("priorities.created") == 1
    assert groups.is_member(s.group, s.chair) and groups.is_member(s.group, s.member)
    assert not groups.is_member(s.group, s.outsider)


def test_group_rules(s: Setup) -> None:
    with pytest.raises(BoardError) as err:
        groups.create_group(s.officer, "housing AND health", "", s.chair.id, [])
    assert err.value.code == "group_name_taken"
    with pytest.raises(BoardError) as err:
        groups.create_group(s.officer, "New", "", None, [])
    assert err.value.code == "chair_missing"
    with pytest.raises(BoardError) as err:  # partner viewers cannot be members
        groups.create_group(s.officer, "New", "", s.chair.id, [s.viewer.id])
    assert err.value.code == "member_unknown"
    with pytest.raises(Forbidden):
        groups.create_group(s.member, "New", "", s.member.id, [])
    groups.update_group(s.group, s.chair, "Housing and health", "New remit", s.chair.id,
                        [s.outsider.id])
    assert groups.member_ids(s.group) == {s.chair.id, s.outsider.id}
    assert _audits("priorities.group_updated") == 1


def test_chair_edits_criteria_before_scoring(s: Setup) -> None:
    crit = boards.criteria(s.board)
    boards.set_weights(s.board, s.chair, {c.id: 1.0 for c in crit})
    assert {c.weight for c in boards.criteria(s.board)} == {1.0}
    boards.add_criterion(s.board, s.chair, "Cost", "Value for money", 2.5)
    with pytest.raises(BoardError) as err:
        boards.add_criterion(s.board, s.chair, "cost", "", 1)
    assert err.value.code == "criterion_taken"
    with pytest.raises(BoardError) as err:
        boards.add_criterion(s.board, s.chair, "Other", "", 0)
    assert err.value.code == "weight_range"
    boards.remove_criterion(s.board, crit[3], s.chair)
    assert [c.name for c in boards.criteria(s.board)][-1] == "Cost"
    with pytest.raises(Forbidden):  # a member is not the chair
        boards.add_criterion(s.board, s.member, "Speed", "", 1)
    boards.open_scoring(s.board, s.chair)
    assert s.board.state == "scoring"
    with pytest.raises(BoardError) as err:
        boards.add_criterion(s.board, s.chair, "Late", "", 1)
    assert err.value.code == "scoring_started"
    kinds = [e.kind for e in boards.history(s.board)]
    assert kinds == ["scoring_opened", "criterion_removed", "criterion_added",
                     "weights_changed", "created"]


def test_the_last_criterion_cannot_go(s: Setup) -> None:
    crit = boards.criteria(s.board)
    for c in crit[:-1]:
        boards.remove_criterion(s.board, c, s.chair)
    with pytest.raises(BoardError) as err:
        boards.remove_criterion(s.board, crit[-1], s.chair)
    assert err.value.code == "last_criterion"


def test_scoring_needs_an_open_board_and_membership(s: Setup) -> None:
    item = boards.items(s.board)[0]
    crit = boards.criteria(s.board)
    values = {c.id: (4, "") for c in crit}
    with pytest.raises(BoardError) as err:
        boards.score(s.board, item, s.member, values)
    assert err.value.code == "not_open"
    boards.open_scoring(s.board, s.chair)
    for user in (s.outsider, s.viewer, s.officer, s.analyst):
        with pytest.raises(Forbidden):
            boards.score(s.board, item, user, values)
    with pytest.raises(BoardError) as err:
        boards.score(s.board, item, s.member, {crit[0].id: (6, "")})
    assert err.value.code == "score_range"
    boards.score(s.board, item, s.member, values)
    boards.score(s.board, item, s.member, {c.id: (2, "changed my mind") for c in crit})
    rows = db.session.scalars(select(BoardScore).where(BoardScore.item_id == item.id)).all()
    assert len(rows) == len(crit) and {r.value for r in rows} == {2}
    assert _audits("priorities.scored") == 2


def test_ranking_is_the_weighted_mean_with_ties_and_disagreement(s: Setup) -> None:
    boards.open_scoring(s.board, s.chair)
    crit = boards.criteria(s.board)  # weights 3, 2, 1, 1
    a, b, c, d, e = boards.items(s.board)
    boards.score(s.board, a, s.chair, {x.id: (5, "") for x in crit})
    boards.score(s.board, a, s.member, {x.id: (1, "") for x in crit})
    boards.score(s.board, b, s.chair, {crit[0].id: (5, ""), crit[1].id: (1, ""),
                                       crit[2].id: (1, ""), crit[3].id: (1, "")})
    boards.score(s.board, c, s.chair, {x.id: (3, "") for x in crit})
    boards.score(s.board, d, s.chair, {x.id: (2, "") for x in crit})
    ranked = boards.ranking(s.board)
    by_item = {r.item.id: r.result for r in ranked}
    # b: (3*5 + 2*1 + 1 + 1) / 7 = 19/7
    assert by_item[b.id].score == pytest.approx(19 / 7)
    assert by_item[a.id].score == pytest.approx(3.0) and by_item[c.id].score == pytest.approx(3.0)
    assert by_item[a.id].rank == by_item[c.id].rank == 1
    assert by_item[a.id].tied and by_item[c.id].tied
    assert by_item[b.id].rank == 3 and by_item[d.id].rank == 4
    assert by_item[e.id].rank is None and ranked[-1].item.id == e.id
    assert by_item[a.id].disagreement and by_item[a.id].range == pytest.approx(4.0)
    assert not by_item[c.id].disagreement


def test_shortlist_locks_the_board(s: Setup) -> None:
    boards.open_scoring(s.board, s.chair)
    score_all(s, s.member, 4)
    items = boards.items(s.board)
    crit = boards.criteria(s.board)
    boards.score(s.board, items[2], s.chair, {x.id: (5, "") for x in crit})
    with pytest.raises(Forbidden):
        boards.shortlist_and_lock(s.board, s.member, [i.id for i in items[:3]], "Because")
    with pytest.raises(BoardError) as err:
        boards.shortlist_and_lock(s.board, s.chair, [i.id for i in items[:2]], "Because")
    assert err.value.code == "shortlist_size"
    with pytest.raises(BoardError) as err:
        boards.shortlist_and_lock(s.board, s.chair, [i.id for i in items[:5]], "Because")
    assert err.value.code == "shortlist_size"
    with pytest.raises(BoardError) as err:
        boards.shortlist_and_lock(s.board, s.chair, [i.id for i in items[:3]], "  ")
    assert err.value.code == "rationale_missing"
    assert shortlist(s.board) is None
    boards.shortlist_and_lock(s.board, s.chair, [items[0].id, items[1].id, items[2].id],
                              "Most need, widest reach")
    assert s.board.state == "locked" and s.board.locked_by_id == s.chair.id
    result = shortlist(s.board)
    assert result is not None
    # Ranked order: items[2] scored highest by the chair.
    assert [p.label for p in result.priorities] == [items[2].label, items[0].label,
                                                    items[1].label]
    assert [p.rank for p in result.priorities] == [1, 2, 3]
    assert result.rationale == "Most need, widest reach"
    assert result.group_name == "Housing and health"
    assert result.priorities[0].share is not None and result.priorities[0].score is not None
    # Locked: nothing more changes.
    with pytest.raises(BoardError) as err:
        boards.score(s.board, items[0], s.member, {crit[0].id: (1, "")})
    assert err.value.code == "locked"
    with pytest.raises(BoardError) as err:
        boards.add_criterion(s.board, s.chair, "Late", "", 1)
    assert err.value.code == "locked"
    with pytest.raises(BoardError) as err:
        boards.shortlist_and_lock(s.board, s.chair, [i.id for i in items[:3]], "Again")
    assert err.value.code == "locked"
    assert _audits("priorities.shortlisted") == 1
    assert db.session.scalar(select(func.count()).select_from(BoardEvent).where(
        BoardEvent.kind == "shortlisted")) == 1


def test_published_shortlists_by_run_and_survey(s: Setup) -> None:
    assert published_shortlists() == []
    boards.open_scoring(s.board, s.chair)
    score_all(s, s.member, 3)
    items = boards.items(s.board)
    boards.shortlist_and_lock(s.board, s.chair, [i.id for i in items[:4]], "Agreed")
    assert [x.board_id for x in published_shortlists()] == [s.board.id]
    assert [x.board_id for x in published_shortlists(run_id=s.run.id)] == [s.board.id]
    assert published_shortlists(run_id=s.run.id + 99) == []
    survey_id = int(s.run.sources[0].split(":")[1])
    assert [x.board_id for x in published_shortlists(survey_id=survey_id)] == [s.board.id]
    assert published_shortlists(survey_id=survey_id + 99) == []
    assert len(published_shortlists()[0].priorities) == 4


def test_the_insight_report_and_you_said_read_the_locked_shortlist(s: Setup) -> None:
    from engage.services.report import insight_sources

    survey_id = int(s.run.sources[0].split(":")[1])
    assert insight_sources.shortlist(survey_id) == []  # nothing locked yet
    boards.open_scoring(s.board, s.chair)
    score_all(s, s.member, 4)
    items = boards.items(s.board)
    boards.shortlist_and_lock(s.board, s.chair, [i.id for i in items[:3]],
                              "Most need, widest reach")
    found = insight_sources.shortlist(survey_id)
    assert [p.title for p in found] == [p.label for p in published_shortlists()[0].priorities]
    assert len(found) == 3 and {p.rationale for p in found} == {"Most need, widest reach"}
    assert insight_sources.shortlist(survey_id + 99) == []


def test_admin_may_chair_and_a_failed_action_saves_nothing(s: Setup) -> None:
    admin = make_user("admin@example.org", "admin")
    boards.open_scoring(s.board, admin)
    assert s.board.state == "scoring"
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(BoardError):
        boards.shortlist_and_lock(s.board, admin, [boards.items(s.board)[0].id], "x")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_evidence_cards_redact_quotes_for_members(s: Setup) -> None:
    from engage.services.decide.priorities import evidence

    items = boards.items(s.board)
    member_cards = evidence.cards(items, s.member)
    analyst_cards = evidence.cards(items, s.analyst)
    card = member_cards[items[0].id]
    assert card.theme is not None and card.quotes
    assert card.wards_known and card.wards_raised is not None
    assert card.earlier_run_id is None  # no earlier wave yet
    assert len(analyst_cards[items[0].id].quotes) == len(card.quotes)


def test_evidence_trend_against_an_earlier_wave_and_similar_mayor_questions(s: Setup) -> None:
    from engage.models import MayorQuestion
    from engage.models._types import utcnow
    from engage.services.decide.priorities import evidence
    from tests.engage.themes_helpers import finished_run

    later = finished_run(s.analyst, n_themes=6, previous=s.run)
    assert evidence.earlier_run(later) is not None
    assert evidence.earlier_run(later).id == s.run.id  # type: ignore[union-attr]
    board = boards.create_board(s.group, s.officer, "Next wave", [later.id], DEFAULTS)
    items = boards.items(board)
    first = db.session.get(Theme, items[0].theme_id)
    assert first is not None
    db.session.add(MayorQuestion(
        reference="ABCD-2345", text="x", public_text=f"What about {first.label}?",
        status="published", consent_publish=True, published_at=utcnow()))
    db.session.commit()
    cards = evidence.cards(items, s.member)
    carried = [cards[i.id] for i in items
               if db.session.get(Theme, i.theme_id).carried_from_id]  # type: ignore[union-attr]
    assert carried, "the later run keeps the approved themes"
    for card in carried:
        assert card.earlier_run_id == s.run.id and card.trend_points is not None
        assert card.earlier_share is not None and not card.new_since_earlier
        expected = (card.theme.share - card.earlier_share) * 100  # type: ignore[union-attr]
        assert card.trend_points == pytest.approx(expected)
    assert cards[items[0].id].mayor_similar
    assert cards[items[0].id].mayor_questions[0] == f"What about {first.label}?"


def test_demo_group_and_board(app: Flask) -> None:
    from engage.demo import priorities as demo
    from tests.engage.priorities_helpers import approved_run

    for email, role in (("admin@engage.example", "admin"),
                        ("member@engage.example", "group_member"),
                        ("officer@engage.example", "engagement_officer")):
        make_user(email, role)
    assert any("no analysis" in line for line in demo.load())
    approved_run(100, 3)
    lines = list(demo.load())
    assert any("open for scoring" in line for line in lines)
    assert list(demo.load()) == ["Priority board demo: board already there."]
    group = groups.all_groups()[0]
    assert group.name == demo.GROUP and len(groups.members(group)) == 2
    [board] = boards.boards_of(group)
    assert board.state == "scoring" and len(boards.items(board)) == 3
    assert boards.criteria(board)[0].name == "Scale of need"


def test_each_board_change_is_one_history_entry_and_one_audit_row_pointing_to_it(
        s: Setup) -> None:
    """What changed lives in the board's history once; the audit row says who did which action
    to which board and points to the entry, never repeating its facts (docs/architecture.md)."""
    boards.add_criterion(s.board, s.chair, "Reach", "How many people it helps", 2)
    crit = boards.criteria(s.board)
    boards.set_weights(s.board, s.chair, {c.id: 3 if c is crit[0] else c.weight for c in crit})
    boards.remove_criterion(s.board, crit[-1], s.chair)
    boards.open_scoring(s.board, s.chair)
    score_all(s, s.member, 4)
    boards.shortlist_and_lock(s.board, s.chair, [i.id for i in boards.items(s.board)[:3]],
                              "Most need")
    events = boards.history(s.board)
    assert {e.kind for e in events} == {"created", "criterion_added", "weights_changed",
                                        "criterion_removed", "scoring_opened", "scored",
                                        "shortlisted"}
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "priority_board",
        AuditEvent.object_id == str(s.board.id))).all()
    assert sorted((r.action, r.detail["board_event_id"]) for r in rows) == sorted(
        (f"priorities.{e.kind}", e.id) for e in events)
    assert all(r.detail == {"board_event_id": r.detail["board_event_id"]} for r in rows)
    assert all(e.detail for e in events)
