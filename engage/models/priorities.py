"""Task and Finish groups and their priority boards: criteria, scores, shortlist and history.

A board is built from the approved themes of chosen analysis runs; each theme becomes a board
item (its label is kept, so the board still reads the same if the theme is edited later). The
board moves from ``setup`` (the chair agrees the criteria) to ``scoring`` (members score) to
``locked`` (the chair has shortlisted; nothing changes any more).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

BOARD_STATES: tuple[str, ...] = ("setup", "scoring", "locked")
BOARD_EVENT_KINDS: tuple[str, ...] = (
    "created", "criterion_added", "criterion_removed", "weights_changed", "scoring_opened",
    "scored", "shortlisted",
)

def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"

class TaskGroup(db.Model):  # type: ignore[name-defined,misc]
    """A Task and Finish group: officers and partners who agree priorities."""

    __tablename__ = "task_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    remit: Mapped[str] = mapped_column(Text, default="")
    chair_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<TaskGroup {self.id} {self.name!r}>"

class TaskGroupMember(db.Model):  # type: ignore[name-defined,misc]
    """A member of a group (the chair is a member too)."""

    __tablename__ = "task_group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("task_groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<TaskGroupMember group={self.group_id} user={self.user_id}>"

class PriorityBoard(db.Model):  # type: ignore[name-defined,misc]
    """A group's board over the approved themes of some analysis runs."""

    __tablename__ = "priority_boards"
    __table_args__ = (
        CheckConstraint(_in("state", BOARD_STATES), name="state_known"),
        CheckConstraint("state <> 'locked' OR locked_at IS NOT NULL", name="locked_has_time"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("task_groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    run_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="setup")
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    def __repr__(self) -> str:
        return f"<PriorityBoard {self.id} {self.state}>"

class BoardItem(db.Model):  # type: ignore[name-defined,misc]
    """A theme (or a code of a final codeframe) on a board; ``shortlist_rank`` is set (1-4)
    when the chair shortlists it."""

    __tablename__ = "priority_board_items"
    __table_args__ = (
        UniqueConstraint("board_id", "theme_id", name="uq_priority_board_items_board_theme"),
        CheckConstraint("shortlist_rank IS NULL OR (shortlist_rank >= 1 AND shortlist_rank <= 4)",
                        name="shortlist_rank_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("priority_boards.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    # Or a code of a final codeframe (issue 22), weighed like a theme.
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="SET NULL"), nullable=True)
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    shortlist_rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_score: Mapped[float | None] = mapped_column(Float, nullable=True)

    def __repr__(self) -> str:
        return f"<BoardItem {self.id} board={self.board_id} {self.label!r}>"

class BoardCriterion(db.Model):  # type: ignore[name-defined,misc]
    """A criterion the group scores themes on, with its weight."""

    __tablename__ = "priority_board_criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        UniqueConstraint("board_id", "name", name="uq_priority_board_criteria_board_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("priority_boards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<BoardCriterion {self.id} {self.name!r} w={self.weight}>"

class BoardScore(db.Model):  # type: ignore[name-defined,misc]
    """One member's score (1-5) of one theme on one criterion, with a comment."""

    __tablename__ = "priority_board_scores"
    __table_args__ = (
        UniqueConstraint("item_id", "criterion_id", "member_id",
                         name="uq_priority_board_scores_item_criterion_member"),
        CheckConstraint("value >= 1 AND value <= 5", name="value_range"),
        Index("ix_priority_board_scores_board", "board_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("priority_boards.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(
        ForeignKey("priority_board_items.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("priority_board_criteria.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<BoardScore item={self.item_id} c={self.criterion_id} {self.value}>"

class BoardEvent(db.Model):  # type: ignore[name-defined,misc]
    """The board's history: who did what, when."""

    __tablename__ = "priority_board_events"
    __table_args__ = (
        CheckConstraint(_in("kind", BOARD_EVENT_KINDS), name="kind_known"),
        Index("ix_priority_board_events_board_created", "board_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("priority_boards.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<BoardEvent {self.id} {self.kind} board={self.board_id}>"
