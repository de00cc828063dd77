"""What the coding pages show: counts per code, texts with their codings, and a CSV of codes."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AnalysisText, CodedText, CodedTextCode, Codeframe


def code_counts(frame: Codeframe, stage: str = "primary") -> dict[int, int]:
    """How many texts each code was given in a stage."""
    return {int(c): int(n) for c, n in db.session.execute(
        select(CodedTextCode.code_id, func.count())
        .join(CodedText, CodedText.id == CodedTextCode.coded_text_id)
        .where(CodedText.codeframe_id == frame.id, CodedText.stage == stage)
        .group_by(CodedTextCode.code_id))}


def texts_by_id(ids: list[int]) -> dict[int, AnalysisText]:
    """The texts with these ids."""
    if not ids:
        return {}
    return {t.id: t for t in db.session.scalars(
        select(AnalysisText).where(AnalysisText.id.in_(ids)))}
