"""Files of responses imported from other tools, kept between the steps of an import."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.models._types import UTCDateTime, utcnow

# "importing": the background job is checking and writing the rows (see
# services.collect.import_writing).
IMPORT_STATES: tuple[str, ...] = ("uploaded", "failed", "imported", "importing")
IMPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class ResponseImport(db.Model):  # type: ignore[name-defined,misc]
    """One uploaded file: its mapping, its state, and the error report of the last attempt.

    The file itself is kept only until its responses are imported (then emptied).
    """

    __tablename__ = "response_imports"
    __table_args__ = (
        CheckConstraint(_in("state", IMPORT_STATES), name="state_known"),
        CheckConstraint(_in("file_format", IMPORT_FORMATS), name="format_known"),
        UniqueConstraint("survey_id", "name", name="uq_response_imports_survey_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    survey_version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(8))
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary, default=b"", deferred=True)
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="uploaded")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"),
                                               nullable=True)

    def __repr__(self) -> str:
        return f"<ResponseImport {self.id} {self.name!r} {self.state}>"
