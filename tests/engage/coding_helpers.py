"""Shared set-up for the coding tests: a codeframe over demo survey texts with a few codes."""

from __future__ import annotations

from sqlalchemy import select

from engage.extensions import db
from engage.models import Code, Codeframe, CodeframeText, User
from engage.services.coding import codes, frames
from tests.engage.themes_helpers import analyst, demo_texts, survey_choices

CODE_NAMES = ("Parks", "Roads", "Safety")


def codeframe(user: User | None = None, n_texts: int = 40) -> Codeframe:
    """A codeframe over n demo responses' free text, with three codes (one a sub-code)."""
    demo_texts(n_texts)
    user = user or analyst()
    frame = frames.create_codeframe(user, "Residents' priorities", survey_choices())
    parks = codes.add_code(frame, user, "Parks", "Green spaces, play areas")
    codes.add_code(frame, user, "Roads", "Traffic, potholes, parking")
    codes.add_code(frame, user, "Safety", "Feeling safe in parks", parent_id=parks.id)
    return frame


def code_ids(frame: Codeframe) -> dict[str, int]:
    """The codeframe's codes by name."""
    return {c.name: c.id for c in db.session.scalars(
        select(Code).where(Code.codeframe_id == frame.id))}


def text_ids(frame: Codeframe) -> list[int]:
    """The codeframe's texts in reading order."""
    return list(db.session.scalars(select(CodeframeText.text_id).where(
        CodeframeText.codeframe_id == frame.id).order_by(CodeframeText.position)))
