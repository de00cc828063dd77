"""Shared set-up for the coding tests: a codeframe over demo survey texts with a few codes."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, Code, Codeframe, CodeframeText, User
from engage.services.code.coding import codes, final, frames, texts
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


def _two_texts(frame: Codeframe) -> tuple[list[int], list[int]]:
    """The texts of a respondent who wrote two, and of another respondent."""
    who = dict(db.session.execute(select(AnalysisText.id, AnalysisText.respondent).where(
        AnalysisText.id.in_(text_ids(frame)))).all())
    by: dict[str, list[int]] = defaultdict(list)
    for t in text_ids(frame):
        by[str(who[t])].append(t)
    people = sorted(by, key=lambda r: (-len(by[r]), r))
    assert len(by[people[0]]) >= 2
    return by[people[0]][:2], by[people[-1]][:1]


def rolled_codeframe() -> tuple[Codeframe, dict[str, int]]:
    """A final codeframe over 40 demo responses: Parks has sub-codes Safety and Play areas.
    One person's first text is coded to both sub-codes and their second to Play areas;
    another person's text to Safety; every other text to Roads; nobody to Parks itself.
    So Parks: 2 people, 3 comments; Safety: 2 and 2; Play areas: 1 and 2."""
    user = analyst()
    frame = codeframe(user, n_texts=40)
    ids = code_ids(frame)
    ids["Play areas"] = codes.add_code(frame, user, "Play areas", "",
                                       parent_id=ids["Parks"]).id
    first, second = _two_texts(frame)
    given = {first[0]: [ids["Safety"], ids["Play areas"]], first[1]: [ids["Play areas"]],
             second[0]: [ids["Safety"]]}
    for t in text_ids(frame):
        texts.code_text(frame, t, user, given.get(t, [ids["Roads"]]))
    final.mark_final(frame, user)
    return frame, ids
