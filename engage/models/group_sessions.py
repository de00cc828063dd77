"""Group sessions ("interviews and insights"): a session with a group, and its notes as points."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

GROUP_TYPES: tuple[str, ...] = (
    "young_people", "older_residents", "businesses", "voluntary_sector", "other",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class GroupSession(db.Model):  # type: ignore[name-defined,misc]
    """A session held with a group of residents, businesses or organisations."""

    __tablename__ = "group_sessions"
    __table_args__ = (CheckConstraint(_in("group_type", GROUP_TYPES), name="group_type_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_type: Mapped[str] = mapped_column(String(32))
    group_name: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date] = mapped_column(Date, index=True)
    facilitator: Mapped[str] = mapped_column(String(120))
    ward: Mapped[str] = mapped_column(String(80), default="")
    survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("surveys.id", ondelete="SET NULL"), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    points: Mapped[list[GroupSessionPoint]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True,
        order_by="GroupSessionPoint.position")

    def __repr__(self) -> str:
        return f"<GroupSession {self.id} {self.group_type} {self.held_on}>"


class GroupSessionPoint(db.Model):  # type: ignore[name-defined,misc]
    """One point from a session's notes: free text for the theme analysis."""

    __tablename__ = "group_session_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[GroupSession] = relationship(back_populates="points")

    def __repr__(self) -> str:
        return f"<GroupSessionPoint {self.id} session={self.session_id}>"
