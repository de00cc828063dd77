"""Shared set-up for the partnership plan tests: a locked board, partners and a small plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from engage.extensions import db
from engage.models import (
    BoardItem,
    Plan,
    PlanAction,
    PlanIndicator,
    PlanPriority,
    PriorityBoard,
    TaskGroup,
    User,
)
from engage.models._types import utcnow
from engage.services.decide.plan import plans, progress
from engage.services.decide.plan.progress import IndicatorSpec
from tests.pages import make_user

COUNCIL = "Tower Hamlets Council"
POLICE = "Metropolitan Police"
TODAY = date(2026, 12, 1)


def locked_board(labels: tuple[str, ...] = ("Housing repairs", "Safer streets", "GP access"),
                 theme_ids: tuple[int | None, ...] | None = None) -> PriorityBoard:
    """A locked board whose items are all shortlisted (inserted directly: the board's own
    services are tested elsewhere)."""
    group = TaskGroup(name=f"Group {len(labels)} {utcnow().timestamp()}", remit="")
    db.session.add(group)
    db.session.flush()
    board = PriorityBoard(group_id=group.id, title="Spring priorities", run_ids=[],
                          state="locked", locked_at=utcnow(),
                          rationale="Residents raised these most, in every ward.")
    db.session.add(board)
    db.session.flush()
    for n, label in enumerate(labels, start=1):
        theme = theme_ids[n - 1] if theme_ids else None
        db.session.add(BoardItem(board_id=board.id, theme_id=theme, label=label,
                                 description=f"About {label.lower()}", position=n,
                                 shortlist_rank=n))
    db.session.commit()
    return board


def item_ids(board: PriorityBoard) -> list[int]:
    return [i.id for i in db.session.query(BoardItem).filter_by(board_id=board.id)
            .order_by(BoardItem.shortlist_rank)]


@dataclass
class Built:
    officer: User
    council: User  # partner viewer at the council
    police: User  # partner viewer at the police
    nobody: User  # partner viewer with no organisation
    analyst: User
    board: PriorityBoard
    plan: Plan
    priority: PlanPriority
    council_action: PlanAction
    police_action: PlanAction
    council_indicator: PlanIndicator
    police_indicator: PlanIndicator


def spec(name: str = "Repairs done on time", baseline: float = 60.0,
         target: float = 90.0) -> IndicatorSpec:
    return IndicatorSpec(name, "% of repairs", baseline, date(2024, 1, 1), target,
                         date(2028, 1, 1), "higher", "quarterly")


def built(publish: bool = False) -> Built:
    officer = make_user("officer@example.org", "engagement_officer")
    council = make_user("council@example.org", "partner_viewer")
    police = make_user("police@example.org", "partner_viewer")
    nobody = make_user("nobody@example.org", "partner_viewer")
    analyst = make_user("analyst@example.org", "analyst")
    council.organisation, police.organisation = COUNCIL, POLICE
    db.session.commit()
    board = locked_board()
    plan = plans.create_plan(officer, "Tower Hamlets Plan 2023-2028", 2023, 2028)
    priority = plans.promote(plan, officer, item_ids(board)[0])
    c_action = plans.add_action(priority, officer, title="Fix damp in council homes",
                                owner=COUNCIL, due_on=date(2027, 3, 31),
                                lead_name="Head of Repairs")
    p_action = plans.add_action(priority, officer, title="Patrol estates at night",
                                owner=POLICE, due_on=date(2027, 6, 30))
    c_ind = progress.add_indicator(priority, officer, spec(), action_id=c_action.id)
    p_ind = progress.add_indicator(priority, officer, spec("Reports of antisocial behaviour",
                                                           400, 300), action_id=p_action.id)
    if publish:
        plans.set_published(plan, officer, True)
    return Built(officer, council, police, nobody, analyst, board, plan, priority, c_action,
                 p_action, c_ind, p_ind)
