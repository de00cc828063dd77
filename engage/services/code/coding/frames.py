"""Creating codeframes (from chosen sources, or from an approved theme run) and finding them.

A codeframe's texts come from the same sources as theme runs (survey free text, Ask the Mayor,
group-session notes: engage.services.code.themes.sources), redacted once as a run does. Who may see
a
codeframe follows the results policy: everyone who may see every survey its texts come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select

from analysis import redact
from engage.extensions import db
from engage.models import (
    AnalysisText,
    Code,
    CodedText,
    Codeframe,
    CodeframeText,
    CodeVersion,
    RunText,
    Theme,
    ThemeRun,
    User,
)
from engage.services.code.coding import CodingError
from engage.services.code.themes import sources
from engage.services.code.themes.runs import upsert_texts
from engage.services.platform import audit, results_policy
from engage.services.platform.transactions import in_transaction

MIN_TEXTS = 1
MAX_TITLE = 200


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise CodingError("title_missing")
    if len(title) > MAX_TITLE:
        raise CodingError("title_long")
    return title


def _add_texts(frame: Codeframe, text_ids: Sequence[int]) -> None:
    unique = list(dict.fromkeys(text_ids))
    if unique:
        db.session.execute(insert(CodeframeText), [
            {"codeframe_id": frame.id, "text_id": t, "position": i}
            for i, t in enumerate(unique)])
    frame.text_count = len(unique)


def create_codeframe(user: User, title: str, selected: Sequence[str],
                     filters: sources.Filters | None = None) -> Codeframe:
    """A new, empty codeframe over the texts of the ticked sources (read and redacted now)."""
    clean = _title(title)
    if not selected:
        raise CodingError("no_sources")
    known = {key for key, _label in sources.choices()}
    if any(choice not in known for choice in selected):
        raise CodingError("unknown_source")
    filters = filters or sources.Filters()
    rows = list(sources.collect(list(selected), filters))
    if len(rows) < MIN_TEXTS:
        raise CodingError("no_texts")
    cache: dict[str, str] = {}
    redacted = [cache[r.text] if r.text in cache else cache.setdefault(r.text, redact(r.text).text)
                for r in rows]

    def work() -> Codeframe:
        frame = Codeframe(title=clean, sources=list(selected), filters=filters.to_json(),
                          created_by_id=user.id)
        db.session.add(frame)
        db.session.flush()
        _add_texts(frame, upsert_texts(rows, redacted))
        audit.record("coding.codeframe_created", actor=user, object_type="codeframe",
                     object_id=frame.id, detail={"sources": list(selected),
                                                 "texts": frame.text_count})
        return frame

    return in_transaction(work)


def create_from_run(user: User, run: ThemeRun, title: str) -> Codeframe:
    """A codeframe over a run's texts whose codes are the run's approved themes."""
    clean = _title(title)
    themes = list(db.session.scalars(
        select(Theme).where(Theme.run_id == run.id, Theme.active.is_(True),
                            Theme.approved.is_(True)).order_by(Theme.size.desc(), Theme.id)))
    if run.status != "succeeded" or not themes:
        raise CodingError("no_approved_themes")

    def work() -> Codeframe:
        frame = Codeframe(title=clean, sources=list(run.sources), filters=dict(run.filters),
                          from_run_id=run.id, created_by_id=user.id)
        db.session.add(frame)
        db.session.flush()
        _add_texts(frame, list(db.session.scalars(
            select(RunText.text_id).where(RunText.run_id == run.id).order_by(RunText.text_id))))
        for position, theme in enumerate(themes):
            code = Code(codeframe_id=frame.id, name=theme.label[:120],
                        definition=theme.description, position=position, theme_id=theme.id)
            db.session.add(code)
            db.session.flush()
            db.session.add(CodeVersion(code_id=code.id, version=1, change="created",
                                       name=code.name, definition=code.definition,
                                       active=True, changed_by_id=user.id))
        audit.record("coding.codeframe_created", actor=user, object_type="codeframe",
                     object_id=frame.id, detail={"from_run": run.id, "codes": len(themes),
                                                 "texts": frame.text_count})
        return frame

    return in_transaction(work)


def survey_ids(frame: Codeframe) -> set[int]:
    """The surveys whose texts the codeframe holds."""
    return set(db.session.scalars(
        select(AnalysisText.survey_id).distinct()
        .join(CodeframeText, CodeframeText.text_id == AnalysisText.id)
        .where(CodeframeText.codeframe_id == frame.id, AnalysisText.survey_id.is_not(None))))


def may_see(user: Any, frame: Codeframe) -> bool:
    """True when the user may see the results of every survey whose texts the codeframe holds."""
    wanted = survey_ids(frame)
    return not wanted or results_policy.visible_ids(user, wanted) == wanted


def get(frame_id: int) -> Codeframe | None:
    """A codeframe by id."""
    return db.session.get(Codeframe, frame_id)


def visible(user: Any) -> list[Codeframe]:
    """The codeframes this user may see, newest first."""
    frames = db.session.scalars(select(Codeframe).order_by(Codeframe.id.desc()).limit(200))
    return [f for f in frames if may_see(user, f)]


def progress(frame: Codeframe) -> dict[str, int]:
    """How many texts there are, and how many are coded in each pass."""
    coded = dict(db.session.execute(
        select(CodedText.stage, func.count()).where(CodedText.codeframe_id == frame.id)
        .group_by(CodedText.stage)).all())
    return {"texts": frame.text_count, "coded": int(coded.get("primary", 0)),
            "second": int(coded.get("second", 0))}


def runs_with_approved_themes(user: Any) -> list[ThemeRun]:
    """Succeeded runs with approved themes that the user may see, newest first."""
    ids = set(db.session.scalars(select(Theme.run_id).where(
        Theme.active.is_(True), Theme.approved.is_(True)).distinct()))
    runs = db.session.scalars(select(ThemeRun).where(
        ThemeRun.id.in_(ids), ThemeRun.status == "succeeded").order_by(ThemeRun.id.desc()))
    return [r for r in runs if results_policy.may_see_run(user, r.id)]
