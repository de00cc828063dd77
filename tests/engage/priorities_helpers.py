"""Shared set-up for the priority board tests: a run with approved themes, groups, a board."""

from __future__ import annotations

from dataclasses import dataclass

from engage.models import PriorityBoard, TaskGroup, ThemeRun, User
from engage.services.code.themes import edits, views
from engage.services.decide.priorities import boards, groups
from tests.engage.results_helpers import share_results
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import make_user

DEFAULTS = [("Scale of need", "", 3.0), ("Equity impact", "", 2.0),
            ("Partnership fit", "", 1.0), ("Feasibility", "", 1.0)]


@dataclass
class Setup:
    run: ThemeRun
    analyst: User
    officer: User
    chair: User
    member: User
    outsider: User  # a group member of another group
    viewer: User  # a partner viewer
    group: TaskGroup
    other_group: TaskGroup
    board: PriorityBoard


def approved_run(texts: int = 120, approve: int = 5) -> tuple[ThemeRun, User]:
    """A finished run with its largest themes approved."""
    demo_texts(texts)
    user = analyst()
    run = finished_run(user, n_themes=6)
    for row in views.theme_list(run, user)[:approve]:
        edits.set_approved(row.theme, user, True)
    return run, user


def setup(texts: int = 120, approve: int = 5) -> Setup:
    run, user = approved_run(texts, approve)
    officer = make_user("officer@example.org", "engagement_officer")
    chair = make_user("chair@example.org", "group_member")
    member = make_user("member@example.org", "group_member")
    outsider = make_user("outsider@example.org", "group_member")
    viewer = make_user("viewer@example.org", "partner_viewer")
    group = groups.create_group(officer, "Housing and health", "Agree priorities", chair.id,
                                [member.id])
    other = groups.create_group(officer, "Community safety", "", outsider.id, [])
    board = boards.create_board(group, officer, "Spring 2027 priorities", [run.id], DEFAULTS)
    share_results(roles=["group_member"], partners=[viewer])  # the groups weigh this evidence
    return Setup(run, user, officer, chair, member, outsider, viewer, group, other, board)


def score_all(s: Setup, user: User, value: int, comment: str = "") -> None:
    """The user scores every theme of the board with the same value on every criterion."""
    crit = boards.criteria(s.board)
    for item in boards.items(s.board):
        boards.score(s.board, item, user, {c.id: (value, comment) for c in crit})
