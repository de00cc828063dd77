"""What the theme pages show: the theme list, a theme's texts, the history, who sees what.

Personal data: texts are shown redacted (analysis.redact: e-mails, phones, postcodes, addresses,
names after cues) unless the viewer's role may see the original: analysts and admins, who run and
check the analysis. Everyone else (engagement officers, group members, partner viewers) sees the
redacted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import defer

from engage.extensions import db
from engage.models import AnalysisText, RunText, TextFlag, Theme, ThemeQuote, ThemeRun, User
from engage.services.platform import keyset, paging

ROLES_SEEING_PERSONAL_DATA = ("analyst",)  # admins hold every role
SORTS = {
    "size": lambda t: (-t.size, t.id),
    "label": lambda t: (t.label.lower(), t.id),
    "sentiment": lambda t: (t.sentiment if t.sentiment is not None else 0.0, t.id),
    "respondents": lambda t: (-t.respondents, t.id),
    "approved": lambda t: (not t.approved, -t.size, t.id),
}
PAGE_SIZE = 25


def sees_personal_data(user: User) -> bool:
    """True when this user may read texts unredacted."""
    return bool(user.has_role(*ROLES_SEEING_PERSONAL_DATA))


def shown_text(text: AnalysisText | Any, user: User) -> str:
    """The text as this user may see it."""
    return str(text.text if sees_personal_data(user) else text.redacted)


@dataclass
class ThemeRow:
    """One line of the theme list."""

    theme: Theme
    quotes: list[str]


def theme_list(run: ThemeRun, user: User, sort: str = "size") -> list[ThemeRow]:
    """The run's active themes with their three quotes, sorted."""
    themes = list(db.session.scalars(select(Theme).options(defer(Theme.profile)).where(
        Theme.run_id == run.id, Theme.active.is_(True))))
    themes.sort(key=SORTS.get(sort, SORTS["size"]))
    column = AnalysisText.text if sees_personal_data(user) else AnalysisText.redacted
    quotes: dict[int, list[str]] = {}
    if themes:
        for theme_id, text in db.session.execute(
                select(ThemeQuote.theme_id, column)
                .join(AnalysisText, AnalysisText.id == ThemeQuote.text_id)
                .join(Theme, Theme.id == ThemeQuote.theme_id)
                .where(Theme.run_id == run.id, Theme.active.is_(True))
                .order_by(ThemeQuote.theme_id, ThemeQuote.position)):
            quotes.setdefault(theme_id, []).append(text)
    return [ThemeRow(t, quotes.get(t.id, [])[:3]) for t in themes]


@dataclass
class TextRow:
    """One text on a theme's page."""

    id: int
    text: str
    source: str
    ward: str
    group: str
    channel: str
    score: float
    flagged: bool


def theme_texts(theme: Theme, user: User, page: int = 1, search: str = "",
                after: int | None = None, before: int | None = None,
                ) -> tuple[list[TextRow], paging.Window]:
    """One page of a theme's texts (best fit first, then newest), optionally searched; and
    which page it is (`page` moved into range) of how many.

    `after` / `before`: the id of the last / first text of the page next to this one (the next
    and previous links give them): the page is found from that text's score and id by key
    (`keyset.page`), not counted to; a text no longer in the theme is counted to instead."""
    column = AnalysisText.text if sees_personal_data(user) else AnalysisText.redacted
    query = (select(AnalysisText.id, column, AnalysisText.source, AnalysisText.ward,
                    AnalysisText.group_name, AnalysisText.channel, RunText.score)
             .join(RunText, RunText.text_id == AnalysisText.id)
             .where(RunText.theme_id == theme.id, RunText.run_id == theme.run_id))
    if search.strip():
        words = [w for w in search.lower().split() if w][:5]
        for w in words:
            like = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            query = query.where(or_(func.lower(column).like(like, escape="\\")))
    if search.strip():
        total = int(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    else:  # the theme's size, without reading the texts
        total = int(db.session.scalar(select(func.count()).select_from(RunText).where(
            RunText.theme_id == theme.id, RunText.run_id == theme.run_id)) or 0)
    shown = paging.window(total, page, PAGE_SIZE)
    mark_id = after if after is not None else before
    score = db.session.scalar(select(RunText.score).where(
        RunText.text_id == mark_id, RunText.theme_id == theme.id,
        RunText.run_id == theme.run_id)) if mark_id is not None else None
    rows = keyset.page(query, (RunText.score, RunText.text_id), shown,
                       (score, mark_id) if score is not None else None, before=after is None,
                       descending=True, rows=True)
    ids = [r[0] for r in rows]
    flagged = set(db.session.scalars(select(TextFlag.text_id).where(
        TextFlag.text_id.in_(ids), TextFlag.cleared_at.is_(None)))) if ids else set()
    return [TextRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[0] in flagged)
            for r in rows], shown


@dataclass
class QuoteRow:
    """A quote on a theme's page: the text as the viewer may see it, and whether staff marked
    it publishable."""

    id: int
    text: str
    publishable: bool


def theme_quotes(theme: Theme, user: User) -> list[QuoteRow]:
    """A theme's quotes in order, each as this user may see it."""
    column = AnalysisText.text if sees_personal_data(user) else AnalysisText.redacted
    return [QuoteRow(i, str(t), bool(p)) for i, t, p in db.session.execute(
        select(ThemeQuote.id, column, ThemeQuote.publishable)
        .join(AnalysisText, AnalysisText.id == ThemeQuote.text_id)
        .where(ThemeQuote.theme_id == theme.id)
        .order_by(ThemeQuote.position, ThemeQuote.id))]


def other_themes(theme: Theme) -> list[Theme]:
    """The run's other active themes (targets for merge and move)."""
    return list(db.session.scalars(select(Theme).options(defer(Theme.profile)).where(
        Theme.run_id == theme.run_id, Theme.active.is_(True), Theme.id != theme.id)
        .order_by(Theme.label)))


def flags(run: ThemeRun, user: User) -> list[tuple[TextFlag, str]]:
    """Open flags on the run's texts, newest first, with the text as the user may see it."""
    column = AnalysisText.text if sees_personal_data(user) else AnalysisText.redacted
    return [(f, t) for f, t in db.session.execute(
        select(TextFlag, column).join(AnalysisText, AnalysisText.id == TextFlag.text_id)
        .where(TextFlag.run_id == run.id, TextFlag.cleared_at.is_(None))
        .order_by(TextFlag.id.desc()))]


def user_names(ids: set[int | None]) -> dict[int, str]:
    """Names (or emails) of these users, for the history."""
    clean = [i for i in ids if i is not None]
    if not clean:
        return {}
    return {u.id: u.name or u.email for u in db.session.scalars(
        select(User).where(User.id.in_(clean)))}
