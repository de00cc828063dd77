"""The agreed priorities, for the insight report and the public "you said, we did" page.

Only locked boards count: a shortlist is final once the chair has locked the board. Labels and
descriptions are the board's copies (as the group saw them), and the figures are the stored
ones, so a report shows exactly what was agreed even if the themes are edited later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engage.extensions import db
from engage.models import BoardItem, PriorityBoard, TaskGroup, Theme, ThemeRun


@dataclass(frozen=True)
class Priority:
    """One shortlisted priority."""

    rank: int  # 1 = the group's first priority
    label: str
    description: str
    score: float | None  # weighted mean of the members' scores, 1-5 (None: nobody scored it)
    share: float | None  # the theme's share of the run's texts, 0-1 (None: theme gone)
    respondents: int | None
    theme_id: int | None
    run_id: int | None


@dataclass(frozen=True)
class Shortlist:
    """A locked board's priorities and why they were chosen."""

    board_id: int
    title: str
    group_name: str
    rationale: str
    locked_at: datetime
    run_ids: list[int]
    priorities: list[Priority]


def shortlist(board: PriorityBoard) -> Shortlist | None:
    """The board's agreed priorities in rank order, or None while the board is not locked.

    Call it with a ``PriorityBoard`` (``engage.services.decide.priorities.boards.get_board(id)``).
    Returns a ``Shortlist`` (title, group name, the chair's rationale, when it was locked, the
    analysis runs it drew on, and 3-4 ``Priority`` rows: rank, label, description, combined score
    on the 1-5 scale, the theme's share of texts and respondents). Texts of residents are not
    included, so the result is safe to publish.
    """
    if board.state != "locked" or board.locked_at is None:
        return None
    group = db.session.get(TaskGroup, board.group_id)
    rows = db.session.execute(
        select(BoardItem, Theme).outerjoin(Theme, Theme.id == BoardItem.theme_id)
        .where(BoardItem.board_id == board.id, BoardItem.shortlist_rank.is_not(None))
        .order_by(BoardItem.shortlist_rank)).all()
    priorities = [Priority(
        rank=int(item.shortlist_rank or 0), label=item.label, description=item.description,
        score=item.final_score, share=theme.share if theme is not None else None,
        respondents=theme.respondents if theme is not None else None,
        theme_id=item.theme_id, run_id=theme.run_id if theme is not None else None)
        for item, theme in rows]
    return Shortlist(board_id=board.id, title=board.title,
                     group_name=group.name if group is not None else "",
                     rationale=board.rationale, locked_at=board.locked_at,
                     run_ids=list(board.run_ids or []), priorities=priorities)


def published_shortlists(*, run_id: int | None = None, survey_id: int | None = None,
                         ) -> list[Shortlist]:
    """Every locked board's shortlist, newest first; optionally only those drawing on one run
    (``run_id``) or on texts of one survey (``survey_id``: a run whose sources include that
    survey's free-text questions). With neither, all locked boards."""
    boards = list(db.session.scalars(select(PriorityBoard).where(
        PriorityBoard.state == "locked").order_by(PriorityBoard.locked_at.desc(),
                                                  PriorityBoard.id.desc())))
    if survey_id is not None:
        prefix = f"survey:{survey_id}:"
        runs = {r.id for r in db.session.scalars(select(ThemeRun))
                if any(str(s).startswith(prefix) for s in (r.sources or []))}
        boards = [b for b in boards if runs & set(b.run_ids or [])]
    if run_id is not None:
        boards = [b for b in boards if run_id in (b.run_ids or [])]
    out = [shortlist(b) for b in boards]
    return [s for s in out if s is not None]
