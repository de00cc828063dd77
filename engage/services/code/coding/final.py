"""What of a codeframe may reach partners and the public: its coding once an analyst marks it
final (S24 for coded results).

An analyst marks a codeframe final when every text has a team (primary) coding by a person
(coded one by one, or a bulk acceptance they made and can undo) and double coding is complete:
every sampled text coded again by a second analyst and every disagreement resolved. Only final
codeframes feed the report, exports, the API, priority boards and public pages; model
suggestions never do. A final codeframe cannot change (coding, codes, samples, resolutions are
refused) until an analyst reopens it, which takes its counts off those surfaces again. Both
steps are audited.
"""

from __future__ import annotations

from sqlalchemy import exists, func, select

from engage.extensions import db
from engage.models import AnalysisText, Code, CodedText, Codeframe, CodeframeText, User
from engage.models._types import utcnow
from engage.services.code.coding import CodingError
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction


def blockers(frame: Codeframe) -> list[str]:
    """Why the codeframe cannot be marked final yet (keys of messages.CODING_ERRORS)."""
    from engage.services.code.coding import double

    found = []
    if not db.session.scalar(select(func.count()).select_from(Code).where(
            Code.codeframe_id == frame.id, Code.active.is_(True))):
        found.append("final_no_codes")
    coded = exists().where(CodedText.codeframe_id == frame.id,
                           CodedText.text_id == CodeframeText.text_id,
                           CodedText.stage == "primary")
    if db.session.scalar(select(func.count()).select_from(CodeframeText).where(
            CodeframeText.codeframe_id == frame.id, ~coded)):
        found.append("final_uncoded")
    sample = double.sample_of(frame)
    if sample is not None:
        result = double.agreement(frame)
        if result.compared < len(sample.text_ids):
            found.append("final_second_missing")
        if any(double.resolution(frame, t) is None for t in result.disagreements):
            found.append("final_unresolved")
    return found


def mark_final(frame: Codeframe, user: User) -> None:
    """Mark the codeframe final (its coded counts may then be reported); audited."""
    if frame.final_at is not None:
        return
    problems = blockers(frame)
    if problems:
        raise CodingError(problems[0])

    def work() -> None:
        frame.final_at, frame.final_by_id = utcnow(), user.id
        audit.record("coding.codeframe_final", actor=user, object_type="codeframe",
                     object_id=frame.id, detail={"texts": frame.text_count})

    in_transaction(work)


def reopen(frame: Codeframe, user: User) -> None:
    """Reopen a final codeframe for changes (its counts leave reports until marked final)."""
    if frame.final_at is None:
        return

    def work() -> None:
        frame.final_at, frame.final_by_id = None, None
        audit.record("coding.codeframe_reopened", actor=user, object_type="codeframe",
                     object_id=frame.id, detail={})

    in_transaction(work)


def published_codeframe(survey_id: int) -> Codeframe | None:
    """The newest final codeframe holding this survey's texts (None: no coded results yet)."""
    has_survey = exists().where(
        CodeframeText.codeframe_id == Codeframe.id, AnalysisText.id == CodeframeText.text_id,
        AnalysisText.survey_id == survey_id, AnalysisText.source == "survey")
    return db.session.scalars(
        select(Codeframe).where(Codeframe.final_at.is_not(None), has_survey)
        .order_by(Codeframe.final_at.desc(), Codeframe.id.desc()).limit(1)).first()


def final_codeframes() -> list[Codeframe]:
    """Every final codeframe, newest first (their codes may go on a priority board)."""
    return list(db.session.scalars(select(Codeframe).where(Codeframe.final_at.is_not(None))
                                   .order_by(Codeframe.id.desc())))
