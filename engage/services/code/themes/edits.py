"""Staff edits of a run's themes, each kept in the history with who, when, before and after.

Rename/describe, merge, split (the engine re-clusters the theme's texts), move texts, approve,
flag a text. Structural edits store a snapshot of the themes and texts they touch, so undo
restores exactly what was there. Undo works as a stack: the newest edit of a run not yet undone
is the one that can be undone (an older edit may depend on a newer one's result otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, insert, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    RunText,
    TextFlag,
    Theme,
    ThemeEdit,
    ThemeMembership,
    ThemeRun,
    User,
)
from engage.models._types import utcnow
from engage.services.code.themes.engine import engine_options
from engage.services.code.themes.stats import pick_quotes, refresh_stats
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys.errors import DomainError

MAX_SPLIT = 8
MIN_SPLIT_TEXTS = 6


class ThemeEditError(DomainError):
    """An edit that cannot be made; ``code`` names why (messages in engage.forms.messages)."""


THEME_FIELDS = ("label", "description", "active", "approved", "merged_into_id", "split_from_id")


def _theme_state(theme: Theme) -> dict[str, Any]:
    return {f: getattr(theme, f) for f in THEME_FIELDS}


def _snapshot(run_id: int, theme_ids: Sequence[int], text_ids: Sequence[int]) -> dict[str, Any]:
    """The themes' fields, the texts' main themes and their memberships of these themes."""
    themes = {str(t.id): _theme_state(t) for t in db.session.scalars(
        select(Theme).where(Theme.id.in_(theme_ids)))}
    run_texts: list[list[Any]] = []
    members: list[list[Any]] = []
    for chunk in _chunks(text_ids):
        run_texts += [[t, th, s] for t, th, s in db.session.execute(
            select(RunText.text_id, RunText.theme_id, RunText.score)
            .where(RunText.run_id == run_id, RunText.text_id.in_(chunk)))]
        members += [[th, t, s] for th, t, s in db.session.execute(
            select(ThemeMembership.theme_id, ThemeMembership.text_id, ThemeMembership.score)
            .where(ThemeMembership.theme_id.in_(theme_ids),
                   ThemeMembership.text_id.in_(chunk)))]
    return {"themes": themes, "run_texts": run_texts, "memberships": members}


def _chunks(ids: Sequence[int], size: int = 900) -> list[list[int]]:
    ids = list(ids)
    return [ids[i:i + size] for i in range(0, len(ids), size)] or [[]]


def _restore(run: ThemeRun, snap: dict[str, Any], theme_ids: Sequence[int],
             text_ids: Sequence[int]) -> None:
    for chunk in _chunks(text_ids):
        db.session.execute(delete(ThemeMembership).where(
            ThemeMembership.theme_id.in_(theme_ids), ThemeMembership.text_id.in_(chunk)))
    if snap["memberships"]:
        db.session.execute(insert(ThemeMembership), [
            {"run_id": run.id, "theme_id": th, "text_id": t, "score": s}
            for th, t, s in snap["memberships"]])
    for text_id, theme_id, score in snap["run_texts"]:
        db.session.execute(RunText.__table__.update().where(and_(
            RunText.run_id == run.id, RunText.text_id == text_id)).values(
                theme_id=theme_id, score=score))
    for theme in db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids))):
        state = snap["themes"].get(str(theme.id))
        if state is None:  # created by the edit (split): retired again
            theme.active = False
        else:
            for f, v in state.items():
                setattr(theme, f, v)
    db.session.flush()
    _refresh(run, theme_ids)


def _refresh(run: ThemeRun, theme_ids: Sequence[int]) -> None:
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(theme_ids))))
    refresh_stats(run, themes)
    for t in themes:
        pick_quotes(t.id)


def _edit(run: ThemeRun, user: User, kind: str, theme: Theme | None,
          before: dict[str, Any], after: dict[str, Any]) -> ThemeEdit:
    edit = ThemeEdit(run_id=run.id, theme_id=theme.id if theme is not None else None, kind=kind,
                     actor_id=user.id, before=before, after=after)
    db.session.add(edit)
    db.session.flush()
    # The audit row says who did which edit to which theme; what changed is the edit's own
    # (before/after, scrubbed when texts are erased), never copied into the append-only trail.
    audit.record(f"themes.{kind}", actor=user, object_type="theme",
                 object_id=theme.id if theme is not None else "",
                 detail={"run_id": run.id, "edit_id": edit.id})
    return edit


def _run_of(theme: Theme) -> ThemeRun:
    run = db.session.get(ThemeRun, theme.run_id)
    assert run is not None
    if not theme.active:
        raise ThemeEditError("inactive")
    return run


def _one_line(text: str, what: str) -> str:
    """A label or reason on one line, spaces tidied: given (`<what>_missing`) and at most 200
    characters (`<what>_long`)."""
    text = " ".join(text.split())
    if not text:
        raise ThemeEditError(f"{what}_missing")
    if len(text) > 200:
        raise ThemeEditError(f"{what}_long")
    return text


def rename(theme: Theme, user: User, label: str, description: str) -> ThemeEdit:
    """Change a theme's label and description."""
    label = _one_line(label, "label")

    def work() -> ThemeEdit:
        run = _run_of(theme)
        before = {"label": theme.label, "description": theme.description}
        theme.label, theme.description = label, description.strip()
        theme.updated_at = utcnow()
        return _edit(run, user, "rename", theme, before,
                     {"label": theme.label, "description": theme.description})

    return in_transaction(work)


def set_approved(theme: Theme, user: User, approved: bool) -> ThemeEdit:
    """Approve a theme (kept with its name by later runs), or withdraw approval."""

    def work() -> ThemeEdit:
        run = _run_of(theme)
        before = {"approved": theme.approved, "approved_by_id": theme.approved_by_id,
                  "approved_at": theme.approved_at.isoformat() if theme.approved_at else None}
        theme.approved = approved
        theme.approved_by_id = user.id if approved else None
        theme.approved_at = utcnow() if approved else None
        return _edit(run, user, "approve" if approved else "unapprove", theme, before,
                     {"approved": approved, "label": theme.label})

    return in_transaction(work)


def _main_texts(theme: Theme) -> list[int]:
    return list(db.session.scalars(select(RunText.text_id).where(RunText.theme_id == theme.id)
                                   .order_by(RunText.text_id)))


def _member_texts(theme: Theme) -> list[int]:
    return list(db.session.scalars(select(ThemeMembership.text_id)
                                   .where(ThemeMembership.theme_id == theme.id)))


def merge(source: Theme, target: Theme, user: User) -> ThemeEdit:
    """Merge source into target: its texts and memberships join target; source is retired."""
    if source.id == target.id:
        raise ThemeEditError("merge_self")
    if source.run_id != target.run_id:
        raise ThemeEditError("other_run")

    def work() -> ThemeEdit:
        run = _run_of(source)
        _run_of(target)
        texts = sorted(set(_main_texts(source)) | set(_member_texts(source)))
        ids = [source.id, target.id]
        before = _snapshot(run.id, ids, texts)
        scores = {t: s for th, t, s in before["memberships"] if th == source.id}
        target_has = {t for th, t, _s in before["memberships"] if th == target.id}
        for chunk in _chunks(texts):
            db.session.execute(delete(ThemeMembership).where(
                ThemeMembership.theme_id == source.id, ThemeMembership.text_id.in_(chunk)))
        new = [{"run_id": run.id, "theme_id": target.id, "text_id": t, "score": s}
               for t, s in scores.items() if t not in target_has]
        if new:
            db.session.execute(insert(ThemeMembership), new)
        db.session.execute(RunText.__table__.update().where(
            RunText.run_id == run.id, RunText.theme_id == source.id).values(theme_id=target.id))
        source.active = False
        source.merged_into_id = target.id
        if source.approved and not target.approved:
            target.approved = True
            target.approved_by_id, target.approved_at = user.id, utcnow()
        db.session.flush()
        _refresh(run, ids)
        return _edit(run, user, "merge", target, before,
                     {"themes": ids, "texts": texts, "into": target.id,
                      "label": f"{source.label} → {target.label}"})

    return in_transaction(work)


def move(text_ids: Sequence[int], target: Theme, user: User) -> ThemeEdit:
    """Move texts (one or many) to another theme of the same run."""
    wanted = sorted({int(t) for t in text_ids})
    if not wanted:
        raise ThemeEditError("no_texts")

    def work() -> ThemeEdit:
        run = _run_of(target)
        found = list(db.session.execute(select(RunText.text_id, RunText.theme_id).where(
            RunText.run_id == run.id, RunText.text_id.in_(wanted))))
        if len(found) != len(wanted):
            raise ThemeEditError("text_not_in_run")
        from_ids = sorted({th for _t, th in found if th is not None and th != target.id})
        ids = [*from_ids, target.id]
        before = _snapshot(run.id, ids, wanted)
        target_scores = {t: s for th, t, s in before["memberships"] if th == target.id}
        for chunk in _chunks(wanted):
            db.session.execute(delete(ThemeMembership).where(
                ThemeMembership.theme_id.in_(from_ids), ThemeMembership.text_id.in_(chunk)))
        new = [{"run_id": run.id, "theme_id": target.id, "text_id": t, "score": 0.0}
               for t in wanted if t not in target_scores]
        if new:
            db.session.execute(insert(ThemeMembership), new)
        for t in wanted:
            db.session.execute(RunText.__table__.update().where(
                RunText.run_id == run.id, RunText.text_id == t).values(
                    theme_id=target.id, score=target_scores.get(t, 0.0)))
        db.session.flush()
        _refresh(run, ids)
        return _edit(run, user, "move", target, before,
                     {"themes": ids, "texts": wanted, "into": target.id,
                      "count": len(wanted), "label": target.label})

    return in_transaction(work)


def split(theme: Theme, user: User, n: int) -> ThemeEdit:
    """Re-cluster a theme's texts into n new candidate themes (the original is retired)."""
    if not 2 <= n <= MAX_SPLIT:
        raise ThemeEditError("split_n")
    run = _run_of(theme)
    texts = _main_texts(theme)
    if len(texts) < max(MIN_SPLIT_TEXTS, 2 * n):
        raise ThemeEditError("split_small")
    originals: dict[int, str] = {}
    for chunk in _chunks(texts):
        originals.update((int(i), str(t)) for i, t in db.session.execute(
            select(AnalysisText.id, AnalysisText.text).where(AnalysisText.id.in_(chunk))))
    from analysis.themes import ThemeModel  # scikit-learn and NLTK load in the edit, not at start

    model = ThemeModel(n_themes=n, min_themes=n, max_themes=n, random_state=run.seed,
                       min_df=1 if len(texts) < 200 else 2, n_init=5, **engine_options())
    fitted = model.fit([originals[t] for t in texts], ids=[str(t) for t in texts]).result_
    if len(fitted.themes) < 2:
        raise ThemeEditError("split_failed")

    def work() -> ThemeEdit:
        members = sorted(set(texts) | set(_member_texts(theme)))
        before = _snapshot(run.id, [theme.id], members)
        count = db.session.scalar(select(db.func.count()).select_from(ThemeEdit)
                                  .where(ThemeEdit.run_id == run.id)) or 0
        children: dict[str, Theme] = {}
        for i, t in enumerate(fitted.themes):
            child = Theme(run_id=run.id, key=f"{theme.key}s{count + 1}.{i + 1}"[:32],
                          label=t.label[:200], description=t.description,
                          key_phrases=list(t.key_phrases), profile=dict(t.profile),
                          origin="split", split_from_id=theme.id)
            db.session.add(child)
            children[t.id] = child
        db.session.flush()
        first = next(iter(children.values()))
        for chunk in _chunks(members):
            db.session.execute(delete(ThemeMembership).where(
                ThemeMembership.theme_id == theme.id, ThemeMembership.text_id.in_(chunk)))
        rows: list[dict[str, Any]] = []
        for a in fitted.assignments:
            tid = int(a.id)
            main = children[a.theme_id] if a.theme_id is not None else first
            score = a.memberships[0].score if a.memberships else 0.0
            db.session.execute(RunText.__table__.update().where(
                RunText.run_id == run.id, RunText.text_id == tid).values(
                    theme_id=main.id, score=score))
            listed = {children[m.theme_id].id: m.score for m in a.memberships}
            listed.setdefault(main.id, score)
            rows += [{"run_id": run.id, "theme_id": th, "text_id": tid, "score": s}
                     for th, s in listed.items()]
        db.session.execute(insert(ThemeMembership), rows)
        theme.active = False
        db.session.flush()
        ids = [theme.id, *(c.id for c in children.values())]
        _refresh(run, ids)
        return _edit(run, user, "split", theme, before,
                     {"themes": ids, "texts": members, "children": ids[1:],
                      "count": len(ids) - 1, "label": theme.label})

    return in_transaction(work)


def flag_text(run: ThemeRun, text_id: int, user: User, reason: str) -> ThemeEdit:
    """Flag a text of the run for attention, with a short reason."""
    reason = _one_line(reason, "reason")

    def work() -> ThemeEdit:
        row = db.session.get(RunText, (run.id, text_id))
        if row is None:
            raise ThemeEditError("text_not_in_run")
        flag = TextFlag(text_id=text_id, run_id=run.id, reason=reason, flagged_by_id=user.id)
        db.session.add(flag)
        db.session.flush()
        theme = db.session.get(Theme, row.theme_id) if row.theme_id else None
        return _edit(run, user, "flag", theme, {},
                     {"flag_id": flag.id, "text_id": text_id, "reason": reason})

    return in_transaction(work)


def history(run: ThemeRun, limit: int = 200) -> list[ThemeEdit]:
    """The run's edits, newest first."""
    return list(db.session.scalars(select(ThemeEdit).where(ThemeEdit.run_id == run.id)
                                   .order_by(ThemeEdit.id.desc()).limit(limit)))


def undoable(run: ThemeRun) -> ThemeEdit | None:
    """The edit that undo would reverse: the newest not yet undone."""
    return db.session.scalars(select(ThemeEdit).where(
        ThemeEdit.run_id == run.id, ThemeEdit.undone_at.is_(None))
        .order_by(ThemeEdit.id.desc()).limit(1)).first()


def undo(edit: ThemeEdit, user: User) -> ThemeEdit:
    """Reverse an edit (the newest of its run not yet undone); recorded in the history too."""

    def work() -> ThemeEdit:
        run = db.session.get(ThemeRun, edit.run_id)
        assert run is not None
        latest = undoable(run)
        if latest is None or latest.id != edit.id:
            raise ThemeEditError("not_latest")
        theme = db.session.get(Theme, edit.theme_id) if edit.theme_id else None
        if edit.kind == "rename" and theme is not None:
            theme.label, theme.description = edit.before["label"], edit.before["description"]
        elif edit.kind in ("approve", "unapprove") and theme is not None:
            theme.approved = bool(edit.before["approved"])
            theme.approved_by_id = edit.before["approved_by_id"]
            at = edit.before["approved_at"]
            from datetime import datetime

            theme.approved_at = datetime.fromisoformat(at) if at else None
        elif edit.kind in ("merge", "move", "split"):
            _restore(run, edit.before, edit.after["themes"], edit.after["texts"])
        elif edit.kind == "flag":
            flag = db.session.get(TextFlag, edit.after["flag_id"])
            if flag is not None:
                flag.cleared_at = utcnow()
        edit.undone_at = utcnow()
        edit.undone_by_id = user.id
        audit.record("themes.undo", actor=user, object_type="theme_edit", object_id=edit.id,
                     detail={"run_id": run.id})
        return edit

    return in_transaction(work)


def comment(theme: Theme, user: User, body: str) -> None:
    """Add a reviewer's or group member's comment to a theme."""
    from engage.models import ThemeComment

    body = body.strip()
    if not body:
        raise ThemeEditError("comment_missing")

    def work() -> None:
        db.session.add(ThemeComment(theme_id=theme.id, author_id=user.id, body=body[:2000]))
        audit.record("themes.comment", actor=user, object_type="theme", object_id=theme.id)

    in_transaction(work)


def comments(theme: Theme) -> list[Any]:
    """A theme's comments, oldest first."""
    from engage.models import ThemeComment

    return list(db.session.scalars(select(ThemeComment).where(ThemeComment.theme_id == theme.id)
                                   .order_by(ThemeComment.id)))
