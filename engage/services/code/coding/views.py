"""What the coding pages show: counts per code, texts with their codings, and a CSV of codes;
and the coded results staff read beside the themes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AnalysisText, Code, CodedText, CodedTextCode, Codeframe
from engage.services.code import groupings
from engage.services.code.coding import codes, final, frames


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


@dataclass(frozen=True)
class CodedLine:
    """A code of a final codeframe with its figures: ``depth`` 1 for a sub-code; a parent
    code's people and comments include its sub-codes', each once (``groupings``)."""

    depth: int
    code: Code
    counts: groupings.Counts


@dataclass(frozen=True)
class CodedFrame:
    """A final codeframe and its active codes, parents first, with their figures."""

    frame: Codeframe
    lines: list[CodedLine]


def final_results(user: Any, limit: int = 5) -> list[CodedFrame]:
    """The newest final codeframes this user may see (their surveys' results), each with
    people (distinct respondents) and comments (texts) per code: what the report, exports and
    the API count."""
    found: list[CodedFrame] = []
    for frame in final.final_codeframes():
        if len(found) >= limit:
            break
        if not frames.may_see(user, frame):
            continue
        _groupings, rows = groupings.code_rows(frame)
        sizes = groupings.count(rows)
        found.append(CodedFrame(frame, [
            CodedLine(r.depth, r.code, sizes.get(f"code:{r.code.id}", groupings.Counts(0, 0)))
            for r in codes.tree(frame)]))
    return found
