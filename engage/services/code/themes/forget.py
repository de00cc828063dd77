"""Forgetting erased texts in what the analysis derived from them (P2).

When responses are erased by reference or purged by retention (``services.collect.privacy``), their
analysis texts go, and with them their run texts, memberships and quotes. Text *derived* from them
can outlive them, though: a theme's description is a sentence the engine took from a central
text, key phrases are words residents used, and priority-board items copy a theme's label and
description. ``forget`` runs in the same transaction, after the texts are deleted:

- a value (description, label, key phrase, board copy, a theme edit's before/after) *came from*
  an erased text when it holds a word of three or more letters that an erased text has and none
  of the theme's remaining texts has, or when its words run, in order, through an erased text
  and through none of the remaining ones (the extractive sentence case);
- such a description is blanked and such a key phrase dropped; such a label is rebuilt from the
  remaining key phrases; the theme's approval is withdrawn (recorded in the run's history as an
  edit with no person), so nothing unreviewed reaches the public until an analyst writes a new
  description and approves the theme again;
- board items of the theme get the same treatment of their copies;
- the figures are recounted (people and comments); the erased quotes are gone, not replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import or_, select

from analysis.tokens import tokenize
from engage.extensions import db
from engage.models import (
    AnalysisText,
    BoardEvent,
    BoardItem,
    RunText,
    Theme,
    ThemeEdit,
    ThemeMembership,
    ThemeQuote,
    ThemeRun,
)
from engage.services.code.themes.stats import refresh_stats

MIN_WORD = 3


def _words(text: str) -> list[str]:
    """The words of a text as the analysis splits them (labels and phrases came from these)."""
    return tokenize(text)


class Erased:
    """The erased texts (original and redacted): their words and word sequences."""

    def __init__(self, originals: Iterable[tuple[str, str]]) -> None:
        texts = [_words(v) for pair in originals for v in pair]
        self.vocabulary = {w for text in texts for w in text}
        self.runs = [" " + " ".join(text) + " " for text in texts]


def affected_themes(text_ids: Sequence[int]) -> set[int]:
    """Themes these texts are (or were) in: as main theme, member or quote."""
    found: set[int] = set()
    for model in (RunText, ThemeMembership, ThemeQuote):
        found |= {int(t) for t in db.session.scalars(
            select(model.theme_id).where(model.text_id.in_(list(text_ids)),
                                         model.theme_id.is_not(None))) if t is not None}
    return found


def erased_texts(text_ids: Sequence[int]) -> Erased:
    """The words of these analysis texts (read before they are deleted)."""
    return Erased((str(t), str(r)) for t, r in db.session.execute(
        select(AnalysisText.text, AnalysisText.redacted)
        .where(AnalysisText.id.in_(list(text_ids)))))


class _Remaining:
    """The remaining texts of a theme, as a vocabulary and as joined word sequences."""

    def __init__(self, theme_ids: Sequence[int]) -> None:
        members = select(ThemeMembership.text_id).where(ThemeMembership.theme_id.in_(theme_ids))
        mains = select(RunText.text_id).where(RunText.theme_id.in_(theme_ids))
        self.texts: list[str] = []
        self.vocabulary: set[str] = set()
        for text, redacted in db.session.execute(
                select(AnalysisText.text, AnalysisText.redacted).where(
                    or_(AnalysisText.id.in_(members), AnalysisText.id.in_(mains)))):
            for value in (str(text), str(redacted)):
                words = _words(value)
                self.vocabulary.update(words)
                self.texts.append(" " + " ".join(words) + " ")


def came_from(value: str, erased: Erased, remaining: _Remaining) -> bool:
    """True when this text carries words of the erased texts that the remaining ones lack."""
    words = _words(value)
    if not words:
        return False
    gone = erased.vocabulary - remaining.vocabulary
    if any(len(w) >= MIN_WORD and w in gone for w in words):
        return True
    run = " " + " ".join(words) + " "
    return (len(words) >= 4 and any(run in t for t in erased.runs)
            and not any(run in t for t in remaining.texts))


def _scrub(value: Any, erased: Erased, remaining: _Remaining, key: str = "") -> Any:
    """A JSON value with every label or description that came from the erased texts blanked."""
    if isinstance(value, str) and key in ("label", "description"):
        return "" if came_from(value, erased, remaining) else value
    if isinstance(value, list):
        return [_scrub(v, erased, remaining, key) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, erased, remaining, str(k)) for k, v in value.items()}
    return value


def _forget_theme(theme: Theme, erased: Erased, remaining: _Remaining) -> bool:
    """Blank what came from the erased texts; True when the theme needs review again."""
    phrases = [p for p in theme.key_phrases if not came_from(p, erased, remaining)]
    changed = phrases != list(theme.key_phrases)
    theme.key_phrases = phrases
    review = False
    if came_from(theme.description, erased, remaining):
        theme.description, review = "", True
    if came_from(theme.label, erased, remaining):
        from analysis.labels import make_label  # NLTK loads here, not at start

        theme.label = (make_label(phrases) if phrases else "")[:200] or f"Theme {theme.key}"
        review = True
    if review and theme.approved:
        before = {"approved": True, "approved_by_id": theme.approved_by_id,
                  "approved_at": theme.approved_at.isoformat() if theme.approved_at else None}
        theme.approved, theme.approved_by_id, theme.approved_at = False, None, None
        db.session.add(ThemeEdit(run_id=theme.run_id, theme_id=theme.id, kind="unapprove",
                                 actor_id=None, before=before,
                                 after={"approved": False, "reason": "erasure"}))
    return review or changed


def _relabel_board_history(labels: dict[int, str]) -> None:
    """A board's history names its items by their label at the time ("scored", "shortlisted"):
    where an item's label was rebuilt, its history says the new label too."""
    if not labels:
        return
    boards = select(BoardItem.board_id).where(BoardItem.id.in_(list(labels)))
    for event in db.session.scalars(select(BoardEvent).where(BoardEvent.board_id.in_(boards))):
        detail = dict(event.detail or {})
        if detail.get("item_id") in labels:
            detail["item"] = labels[detail["item_id"]]
        ids, names = detail.get("item_ids"), detail.get("items")
        if isinstance(ids, list) and isinstance(names, list):
            detail["items"] = [labels.get(i, name) for i, name in zip(ids, names, strict=False)]
        if detail != event.detail:
            event.detail = detail


def forget(theme_ids: Iterable[int], erased: Erased) -> None:
    """After texts were deleted: remove what came from them from these themes (each judged
    against its own remaining texts), their board items and their edit history; recount them."""
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(list(theme_ids)))))
    by_run: dict[int, list[Theme]] = {}
    for theme in themes:
        by_run.setdefault(theme.run_id, []).append(theme)
    for run_id, run_themes in by_run.items():
        ids = [t.id for t in run_themes]
        own = {t.id: _Remaining([t.id]) for t in run_themes}  # each theme's remaining texts
        for theme in run_themes:
            _forget_theme(theme, erased, own[theme.id])
        relabelled: dict[int, str] = {}
        for item in db.session.scalars(select(BoardItem).where(BoardItem.theme_id.in_(ids))):
            remaining = own[int(item.theme_id or 0)]
            if came_from(item.description, erased, remaining):
                item.description = ""
            if came_from(item.label, erased, remaining):
                item.label = next(t.label for t in run_themes if t.id == item.theme_id)
                relabelled[item.id] = item.label
        _relabel_board_history(relabelled)
        together = _Remaining(ids)
        for edit in db.session.scalars(select(ThemeEdit).where(ThemeEdit.run_id == run_id)):
            before, after = (_scrub(edit.before, erased, together),
                             _scrub(edit.after, erased, together))
            if before != edit.before or after != edit.after:
                edit.before, edit.after = before, after
        db.session.flush()
        run = db.session.get(ThemeRun, run_id)
        if run is not None:
            refresh_stats(run, run_themes)
