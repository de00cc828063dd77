"""Coding texts: give a text one or more codes (or "no substantive answer"), clear it again,
move through the texts, the review queue, and accepting suggestions in bulk (undone as one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    Code,
    CodedText,
    CodedTextCode,
    Codeframe,
    CodeframeText,
    CodeSuggestion,
    CodingBatch,
    User,
)
from engage.models._types import utcnow
from engage.services.code.coding import CodingError, check_open
from engage.services.platform import audit
from engage.services.platform.transactions import changed_rows, in_transaction


@dataclass(frozen=True)
class Coding:
    """A text's coding in one pass."""

    codes: frozenset[int]
    no_answer: bool
    coder_id: int | None
    batch_id: int | None


def in_frame(frame: Codeframe, text_id: int) -> AnalysisText | None:
    """The text, when it belongs to the codeframe."""
    if db.session.get(CodeframeText, (frame.id, text_id)) is None:
        return None
    return db.session.get(AnalysisText, text_id)


def coding_of(frame: Codeframe, text_id: int, stage: str = "primary") -> Coding | None:
    """How the text is coded in this pass (None: not yet)."""
    row = db.session.scalars(select(CodedText).where(
        CodedText.codeframe_id == frame.id, CodedText.text_id == text_id,
        CodedText.stage == stage)).first()
    if row is None:
        return None
    codes = frozenset(db.session.scalars(
        select(CodedTextCode.code_id).where(CodedTextCode.coded_text_id == row.id)))
    return Coding(codes, row.no_answer, row.coder_id, row.batch_id)


def codings(frame: Codeframe, stage: str = "primary") -> dict[int, set[int | str]]:
    """Every coded text of a pass and its codes ("none" for no substantive answer)."""
    out: dict[int, set[int | str]] = {}
    for text_id, no_answer in db.session.execute(
            select(CodedText.text_id, CodedText.no_answer).where(
                CodedText.codeframe_id == frame.id, CodedText.stage == stage)):
        out[text_id] = {"none"} if no_answer else set()
    for text_id, code_id in db.session.execute(
            select(CodedText.text_id, CodedTextCode.code_id)
            .join(CodedTextCode, CodedTextCode.coded_text_id == CodedText.id)
            .where(CodedText.codeframe_id == frame.id, CodedText.stage == stage)):
        out[text_id].add(code_id)
    return out


def _write(frame: Codeframe, text_id: int, stage: str, coder: User | None,
           code_ids: Sequence[int], no_answer: bool, batch_id: int | None = None) -> CodedText:
    row = db.session.scalars(select(CodedText).where(
        CodedText.codeframe_id == frame.id, CodedText.text_id == text_id,
        CodedText.stage == stage)).first()
    if row is None:
        row = CodedText(codeframe_id=frame.id, text_id=text_id, stage=stage)
        db.session.add(row)
    row.no_answer, row.batch_id, row.coded_at = no_answer, batch_id, utcnow()
    row.coder_id = coder.id if coder is not None else None
    db.session.flush()
    db.session.execute(delete(CodedTextCode).where(CodedTextCode.coded_text_id == row.id))
    if code_ids:
        db.session.execute(insert(CodedTextCode), [
            {"coded_text_id": row.id, "code_id": c} for c in sorted(set(code_ids))])
    return row


def check_codes(frame: Codeframe, code_ids: Sequence[int], no_answer: bool) -> None:
    """Codes or "no substantive answer" (not both); each code in use in this codeframe."""
    if not code_ids and not no_answer:
        raise CodingError("select_code")
    if code_ids and no_answer:
        raise CodingError("codes_and_none")
    found = set(db.session.scalars(select(Code.id).where(
        Code.codeframe_id == frame.id, Code.active.is_(True), Code.id.in_(list(code_ids)))))
    if found != set(code_ids):
        raise CodingError("code_unknown")


def code_text(frame: Codeframe, text_id: int, user: User, code_ids: Sequence[int],
              no_answer: bool = False, stage: str = "primary") -> None:
    """Code a text (replacing the pass's earlier coding of it)."""
    check_open(frame)
    if in_frame(frame, text_id) is None:
        raise CodingError("text_unknown")
    check_codes(frame, code_ids, no_answer)
    if stage == "second":
        from engage.services.code.coding.double import check_second_coder

        check_second_coder(frame, text_id, user)

    def work() -> None:
        _write(frame, text_id, stage, user, code_ids, no_answer)
        audit.record("coding.text_coded", actor=user, object_type="analysis_text",
                     object_id=text_id, detail={"codeframe_id": frame.id, "pass": stage,
                                                "codes": sorted(code_ids),
                                                "no_answer": no_answer})

    in_transaction(work)


def clear_text(frame: Codeframe, text_id: int, user: User, stage: str = "primary") -> bool:
    """Undo a text's coding in a pass; False when it was not coded."""
    check_open(frame)

    def work() -> bool:
        gone = changed_rows(delete(CodedText).where(
            CodedText.codeframe_id == frame.id, CodedText.text_id == text_id,
            CodedText.stage == stage))
        if gone:
            audit.record("coding.text_cleared", actor=user, object_type="analysis_text",
                         object_id=text_id, detail={"codeframe_id": frame.id,
                                                    "pass": stage})
        return bool(gone)

    return in_transaction(work)


# ---------------------------------------------------------------- moving through the texts


def neighbours(frame: Codeframe, text_id: int) -> tuple[int | None, int | None]:
    """The texts before and after this one in reading order."""
    here = db.session.get(CodeframeText, (frame.id, text_id))
    if here is None:
        return None, None
    base = select(CodeframeText.text_id).where(CodeframeText.codeframe_id == frame.id)
    before = db.session.scalar(base.where(CodeframeText.position < here.position)
                               .order_by(CodeframeText.position.desc()).limit(1))
    after = db.session.scalar(base.where(CodeframeText.position > here.position)
                              .order_by(CodeframeText.position).limit(1))
    return before, after


def position_of(frame: Codeframe, text_id: int) -> int:
    """The text's place (1-based) in reading order."""
    here = db.session.get(CodeframeText, (frame.id, text_id))
    return (here.position + 1) if here is not None else 0


def queue(frame: Codeframe, limit: int = 25, after: int | None = None) -> list[int]:
    """Uncoded texts to code next: the least sure first when there are suggestions (their best
    code's confidence lowest), otherwise in reading order."""
    coded = select(CodedText.text_id).where(CodedText.codeframe_id == frame.id,
                                            CodedText.stage == "primary")
    best = (select(CodeSuggestion.text_id, func.max(CodeSuggestion.confidence).label("best"))
            .where(CodeSuggestion.codeframe_id == frame.id)
            .group_by(CodeSuggestion.text_id).subquery())
    query = (select(CodeframeText.text_id)
             .outerjoin(best, best.c.text_id == CodeframeText.text_id)
             .where(CodeframeText.codeframe_id == frame.id,
                    CodeframeText.text_id.not_in(coded))
             .order_by(func.coalesce(best.c.best, 0.0), CodeframeText.position))
    if after is not None:
        query = query.where(CodeframeText.text_id != after)
    # The model's active-learning order (least sure first) leads.
    wanted = [int(t) for t in (frame.model_info or {}).get("next", []) if t != after]
    done = set(db.session.scalars(coded.where(CodedText.text_id.in_(wanted)))) if wanted else set()
    first = [t for t in wanted if t not in done][:limit]
    if len(first) >= limit:
        return first
    rest = db.session.scalars(query.where(CodeframeText.text_id.not_in(first))
                              .limit(limit - len(first)))
    return first + list(rest)


def suggestions(frame: Codeframe, text_id: int) -> dict[int, float]:
    """The model's confidence per code for this text (empty before any model)."""
    return {c: float(p) for c, p in db.session.execute(
        select(CodeSuggestion.code_id, CodeSuggestion.confidence).where(
            CodeSuggestion.codeframe_id == frame.id, CodeSuggestion.text_id == text_id))}


# ---------------------------------------------------------------- bulk acceptance


def _candidates(frame: Codeframe, code: Code, threshold: float) -> list[int]:
    coded = select(CodedText.text_id).where(CodedText.codeframe_id == frame.id,
                                            CodedText.stage == "primary")
    return list(db.session.scalars(
        select(CodeSuggestion.text_id).where(
            CodeSuggestion.codeframe_id == frame.id, CodeSuggestion.code_id == code.id,
            CodeSuggestion.confidence >= threshold, CodeSuggestion.text_id.not_in(coded))
        .order_by(CodeSuggestion.text_id)))


def count_accept(frame: Codeframe, code: Code, threshold: float) -> int:
    """How many uncoded texts bulk acceptance of this code at this threshold would code."""
    return len(_candidates(frame, code, threshold))


def bulk_accept(frame: Codeframe, code: Code, threshold: float, user: User) -> CodingBatch:
    """Code every uncoded text suggested for this code at or above the threshold, as one batch."""
    check_open(frame)
    if not 0.0 <= threshold <= 1.0:
        raise CodingError("threshold_range")
    if code.codeframe_id != frame.id or not code.active:
        raise CodingError("code_unknown")

    def work() -> CodingBatch:
        texts = _candidates(frame, code, threshold)
        if not texts:
            raise CodingError("nothing_to_accept")
        batch = CodingBatch(codeframe_id=frame.id, code_id=code.id, threshold=threshold,
                            text_count=len(texts), created_by_id=user.id)
        db.session.add(batch)
        db.session.flush()
        for text_id in texts:
            _write(frame, text_id, "primary", user, [code.id], False, batch_id=batch.id)
        audit.record("coding.suggestions_accepted", actor=user, object_type="coding_batch",
                     object_id=batch.id, detail={"codeframe_id": frame.id, "code_id": code.id,
                                                 "threshold": threshold, "texts": len(texts)})
        return batch

    return in_transaction(work)


def undo_batch(batch: CodingBatch, user: User) -> int:
    """Uncode the texts a batch coded (those no one has recoded since); how many were undone."""
    check_open(db.session.get(Codeframe, batch.codeframe_id))
    if batch.undone_at is not None:
        raise CodingError("batch_undone")

    def work() -> int:
        gone = changed_rows(delete(CodedText).where(
            CodedText.batch_id == batch.id, CodedText.stage == "primary"))
        batch.undone_at, batch.undone_by_id = utcnow(), user.id
        audit.record("coding.batch_undone", actor=user, object_type="coding_batch",
                     object_id=batch.id, detail={"codeframe_id": batch.codeframe_id,
                                                 "texts": int(gone or 0)})
        return int(gone or 0)

    return in_transaction(work)


def batches(frame: Codeframe) -> list[CodingBatch]:
    """The codeframe's bulk acceptances, newest first."""
    return list(db.session.scalars(select(CodingBatch).where(
        CodingBatch.codeframe_id == frame.id).order_by(CodingBatch.id.desc()).limit(50)))
