"""Double coding: a seeded sample of texts coded independently by a second analyst, agreement
per code and overall (analysis.agreement), the disagreements, and their recorded resolutions.

A resolution becomes the text's team (primary) coding, so what the two coders agreed on is what
the results count.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from analysis.agreement import CodeAgreement, agreement_by_code
from engage.extensions import db
from engage.models import Code, Codeframe, CodeframeText, CodingResolution, CodingSample, User
from engage.models._types import utcnow
from engage.services.code.coding import CodingError, check_open
from engage.services.code.coding.codes import tree
from engage.services.code.coding.texts import _write, check_codes, coding_of, codings, in_frame
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

NONE_KEY = "none"  # "no substantive answer", compared like a code


def sample_of(frame: Codeframe) -> CodingSample | None:
    """The codeframe's current double-coding sample (the newest drawn)."""
    return db.session.scalars(select(CodingSample).where(
        CodingSample.codeframe_id == frame.id).order_by(CodingSample.id.desc()).limit(1)).first()


def draw_sample(frame: Codeframe, user: User, share_percent: int, seed: int = 0) -> CodingSample:
    """Draw a seeded share of the codeframe's texts (at least one) for double coding."""
    check_open(frame)
    if not 1 <= share_percent <= 100:
        raise CodingError("share_range")
    texts = list(db.session.scalars(select(CodeframeText.text_id).where(
        CodeframeText.codeframe_id == frame.id).order_by(CodeframeText.position)))
    if not texts:
        raise CodingError("no_texts")
    size = max(1, round(len(texts) * share_percent / 100))
    chosen = sorted(random.Random(seed).sample(texts, size))

    def work() -> CodingSample:
        sample = CodingSample(codeframe_id=frame.id, share_percent=share_percent, seed=seed,
                              text_ids=chosen, created_by_id=user.id)
        db.session.add(sample)
        db.session.flush()
        audit.record("coding.sample_drawn", actor=user, object_type="coding_sample",
                     object_id=sample.id, detail={"codeframe_id": frame.id,
                                                  "share_percent": share_percent, "seed": seed,
                                                  "texts": len(chosen)})
        return sample

    return in_transaction(work)


def check_second_coder(frame: Codeframe, text_id: int, user: User) -> None:
    """The second coding of a text is by someone else than its first coder, on a sampled text."""
    sample = sample_of(frame)
    if sample is None or text_id not in set(sample.text_ids):
        raise CodingError("not_sampled")
    first = coding_of(frame, text_id, "primary")
    if first is not None and first.coder_id == user.id and first.batch_id is None:
        raise CodingError("same_coder")


def next_second(frame: Codeframe, user: User) -> int | None:
    """The next sampled text this user may second-code that has no second coding yet."""
    sample = sample_of(frame)
    if sample is None:
        return None
    done = set(codings(frame, "second"))
    first = codings(frame, "primary")
    for text_id in sample.text_ids:
        if text_id in done:
            continue
        coding = coding_of(frame, text_id) if text_id in first else None
        if coding is not None and coding.coder_id == user.id and coding.batch_id is None:
            continue
        return int(text_id)
    return None


@dataclass(frozen=True)
class Agreement:
    """Agreement figures of a codeframe's double-coded texts."""

    per_code: list[tuple[Code | None, CodeAgreement]]  # None: "no substantive answer"
    overall: CodeAgreement
    compared: int
    sampled: int
    disagreements: list[int]


def agreement(frame: Codeframe) -> Agreement:
    """Agreement per code and overall over sampled texts coded in both passes (as first coded;
    a resolution does not change the figures)."""
    sample = sample_of(frame)
    sampled = set(sample.text_ids) if sample is not None else set()
    first = {t: c for t, c in _first_as_coded(frame).items() if t in sampled}
    second = {t: c for t, c in codings(frame, "second").items() if t in sampled}
    codes = [row.code for row in tree(frame)]
    keys: list[Hashable] = [c.id for c in codes] + [NONE_KEY]
    per_code, overall = agreement_by_code(keys, first, second)
    by_key: dict[Hashable, Code | None] = {c.id: c for c in codes}
    compared = sorted(t for t in first if t in second)
    return Agreement(
        per_code=[(by_key.get(a.code), a) for a in per_code], overall=overall,
        compared=len(compared), sampled=len(sampled),
        disagreements=[t for t in compared if first[t] != second[t]])


def _first_as_coded(frame: Codeframe) -> dict[int, set[int | str]]:
    """The first coder's codes; for resolved texts, what they were before the resolution."""
    first = codings(frame, "primary")
    for res in db.session.scalars(select(CodingResolution).where(
            CodingResolution.codeframe_id == frame.id)):
        first[res.text_id] = set(res.first_codes or [])
    return first


def resolution(frame: Codeframe, text_id: int) -> CodingResolution | None:
    """The recorded resolution of a text's disagreement."""
    return db.session.scalars(select(CodingResolution).where(
        CodingResolution.codeframe_id == frame.id,
        CodingResolution.text_id == text_id)).first()


def resolve(frame: Codeframe, text_id: int, user: User, code_ids: Sequence[int],
            no_answer: bool, note: str = "") -> CodingResolution:
    """Record how a disagreement is resolved; the resolved codes become the team's coding."""
    check_open(frame)
    if in_frame(frame, text_id) is None:
        raise CodingError("text_unknown")
    check_codes(frame, code_ids, no_answer)
    if len(note) > 2000:
        raise CodingError("note_long")

    def work() -> CodingResolution:
        res = resolution(frame, text_id)
        if res is None:
            before = codings(frame, "primary").get(text_id, set())
            res = CodingResolution(codeframe_id=frame.id, text_id=text_id,
                                   first_codes=sorted(before, key=str))
            db.session.add(res)
        res.code_ids, res.no_answer = sorted(set(code_ids)), no_answer
        res.note, res.resolved_by_id, res.resolved_at = note.strip(), user.id, utcnow()
        _write(frame, text_id, "primary", user, code_ids, no_answer)
        audit.record("coding.disagreement_resolved", actor=user, object_type="analysis_text",
                     object_id=text_id, detail={"codeframe_id": frame.id,
                                                "codes": sorted(code_ids),
                                                "no_answer": no_answer})
        return res

    return in_transaction(work)


@dataclass(frozen=True)
class ModelAgreement:
    """Agreement of the model's held-out suggestions with the team's settled codes."""

    per_code: dict[Hashable, CodeAgreement]  # by code id, or NONE_KEY
    overall: CodeAgreement
    compared: int


def model_agreement(frame: Codeframe) -> ModelAgreement | None:
    """Agreement of the model with the resolved codes, over double-coded texts the two coders
    agreed on or that were resolved, using what a model that did not learn from each text
    suggested for it (cross-validated at the last refresh); None before any such text."""
    held_out = (frame.model_info or {}).get("held_out") or {}
    if not held_out:
        return None
    unresolved = {t for t in agreement(frame).disagreements if resolution(frame, t) is None}
    sample = sample_of(frame)
    team, second = codings(frame, "primary"), codings(frame, "second")
    truth = {t: team[t] for t in (sample.text_ids if sample is not None else [])
             if t in team and t in second and t not in unresolved and str(t) in held_out}
    if not truth:
        return None
    model = {t: {NONE_KEY if c == NONE_KEY else int(c) for c in held_out[str(t)]} for t in truth}
    keys: list[Hashable] = [c.id for c in (row.code for row in tree(frame))] + [NONE_KEY]
    per_code, overall = agreement_by_code(keys, truth, model)
    return ModelAgreement({a.code: a for a in per_code}, overall, len(truth))
