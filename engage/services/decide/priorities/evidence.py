"""The evidence card of each theme (or code of a final codeframe) on a board: the figures and
words the group weighs. Codes read the same groupings as themes (engage.services.code.groupings):
their share is of the codeframe's coded texts, people are distinct respondents, reach comes from
the equity lens over the coded texts, quotes are texts people coded with it; no trend.

- share, respondents and sentiment: from the theme (after the analysts' edits);
- reach: from the equity lens, in how many wards the theme is raised and which groups raise it
  much more than others (small groups suppressed as the lens does);
- trend: against an earlier wave, i.e. the newest earlier successful run over the same sources:
  the theme there (the one it was carried from, else one with the same name) and the change in
  share in percentage points; "new" when the earlier wave had no such theme;
- quotes: the theme's representative quotes, redacted unless the viewer's role may see them;
- Ask the Mayor: questions from residents placed in this theme, else similar published
  questions (TF-IDF cosine against the theme's name, description and phrases).

A card is withheld (no figures, quotes or questions) from a viewer who may not see the results
of every survey whose texts the theme's run analysed (results_policy.may_see_run). A code's card
is withdrawn (no figures, quotes or questions) while its codeframe is reopened for changes: its
counts are then not final, so the board does not cite them (S24, coding.final); they return when
an analyst marks it final again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import (
    AnalysisText,
    BoardItem,
    Code,
    Codeframe,
    CodeframeText,
    MayorQuestion,
    RunText,
    Theme,
    ThemeQuote,
    ThemeRun,
    User,
)
from engage.services.code import groupings
from engage.services.code.themes import equity, views
from engage.services.platform import results_policy
from surveys import default_wards

QUOTES = 3
MAYOR_QUESTIONS = 3
SIMILAR_THRESHOLD = 0.12
PUBLISHED_POOL = 1000


@dataclass
class Card:
    """What the board shows for one theme or code: its figures (``share`` of the comments of
    its run or of its codeframe's coded texts, ``people``, ``weighted_share``, ``sentiment``)
    and words."""

    theme: Theme | None
    code: Code | None = None
    share: float | None = None
    people: int | None = None
    weighted_share: float | None = None
    sentiment: float | None = None
    quotes: list[str] = field(default_factory=list)
    wards_raised: int | None = None
    wards_known: int | None = None
    raised_more_by: list[tuple[str, str]] = field(default_factory=list)  # (dimension, group)
    earlier_run_id: int | None = None
    earlier_share: float | None = None
    trend_points: float | None = None  # share now minus share then, in percentage points
    new_since_earlier: bool = False
    mayor_questions: list[str] = field(default_factory=list)
    mayor_similar: bool = False  # True: similar published questions, not ones in the theme
    withheld: bool = False  # the viewer may not see the results of a survey the theme draws on
    withdrawn: bool = False  # a code whose codeframe was reopened: its counts are not final


def earlier_run(run: ThemeRun) -> ThemeRun | None:
    """The newest successful run before this one over the same sources (an earlier wave)."""
    wanted = sorted(run.sources or [])
    for other in db.session.scalars(select(ThemeRun).where(
            ThemeRun.status == "succeeded", ThemeRun.id < run.id)
            .order_by(ThemeRun.id.desc())):
        if sorted(other.sources or []) == wanted:
            return other
    return None


def _match(theme: Theme, earlier: ThemeRun) -> Theme | None:
    seen: set[int] = set()
    current: Theme | None = theme
    while current is not None and current.carried_from_id and current.id not in seen:
        seen.add(current.id)
        current = db.session.get(Theme, current.carried_from_id)
        if current is not None and current.run_id == earlier.id:
            return current
    return db.session.scalars(select(Theme).where(
        Theme.run_id == earlier.id, Theme.active.is_(True),
        Theme.label == theme.label)).first()


def _ward_names() -> dict[str, str]:
    return {w.id: w.text.get("en", w.id) for w in default_wards()}


def _reach(card: Card, grouping: groupings.Grouping, wards: dict[str, str]) -> None:
    lens = equity.lens(grouping)
    for dim in lens.dimensions:
        if dim.name == "ward":
            shown = [c for c in dim.cells if not c.suppressed]
            card.wards_known = len(dim.cells)
            card.wards_raised = sum(1 for c in shown if (c.count or 0) > 0)
        card.raised_more_by.extend(
            (dim.name, wards.get(c.group, c.group) if dim.name == "ward" else c.group)
            for c in dim.cells if c.flagged)


def _trend(card: Card, theme: Theme) -> None:
    run = db.session.get(ThemeRun, theme.run_id)
    earlier = earlier_run(run) if run is not None else None
    if earlier is None:
        return
    card.earlier_run_id = earlier.id
    then = _match(theme, earlier)
    if then is None:
        card.new_since_earlier = True
        return
    card.earlier_share = then.share
    card.trend_points = (theme.share - then.share) * 100


def _similar_published(cards: dict[int, Card]) -> None:
    wanting = {i: c for i, c in cards.items()
               if (c.theme is not None or c.code is not None) and not c.mayor_questions
               and not c.withdrawn}
    if not wanting:
        return
    pool = list(db.session.scalars(select(MayorQuestion).where(
        MayorQuestion.status == "published").order_by(MayorQuestion.published_at.desc())
        .limit(PUBLISHED_POOL)))
    if not pool:
        return
    ids = list(wanting)
    queries = tuple(_query(wanting[i]) for i in ids)
    texts = tuple(q.shown_text for q in pool)
    key = (queries, tuple(q.id for q in pool), texts)
    cache: dict[tuple[object, ...], list[list[str]]] = current_app.extensions.setdefault(
        "engage_board_similar", {})
    found = cache.get(key)
    if found is None:
        found = _most_similar(list(queries), list(texts))
        if len(cache) >= 16:
            cache.pop(next(iter(cache)))
        cache[key] = found
    for item_id, similar in zip(ids, found, strict=True):
        if similar:
            cards[item_id].mayor_questions = list(similar)
            cards[item_id].mayor_similar = True


def _most_similar(queries: list[str], texts: list[str]) -> list[list[str]]:
    """For each query, up to MAYOR_QUESTIONS of the texts most like it (TF-IDF cosine at least
    SIMILAR_THRESHOLD); the same queries over the same published questions give the same
    answer, so the board keeps it per process (the fit costs 0.1 s a view over 1,000)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
            queries + texts)
    except ValueError:
        return [[] for _ in queries]
    scores = linear_kernel(matrix[:len(queries)], matrix[len(queries):])
    out = []
    for row in range(len(queries)):
        best = sorted(range(len(texts)), key=lambda j: -scores[row, j])[:MAYOR_QUESTIONS]
        out.append(list(dict.fromkeys(
            texts[j] for j in best if scores[row, j] >= SIMILAR_THRESHOLD)))
    return out


def _query(card: Card) -> str:
    """What a card is about, to find similar published Ask the Mayor questions."""
    if card.theme is not None:
        t = card.theme
        return " ".join([t.label, t.description, " ".join(t.key_phrases or [])])
    assert card.code is not None
    return " ".join([card.code.name, card.code.definition])


def _theme_card(theme: Theme, column: Any) -> Card:
    card = Card(theme, share=theme.share, people=theme.respondents,
                weighted_share=theme.weighted_share, sentiment=theme.sentiment)
    card.quotes = list(db.session.scalars(
        select(column).join(ThemeQuote, ThemeQuote.text_id == AnalysisText.id)
        .where(ThemeQuote.theme_id == theme.id).order_by(ThemeQuote.position)
        .limit(QUOTES)))
    questions = db.session.scalars(
        select(column).join(RunText, RunText.text_id == AnalysisText.id)
        .where(RunText.run_id == theme.run_id, RunText.theme_id == theme.id,
               AnalysisText.source == "ask_the_mayor")
        .order_by(RunText.score.desc()).limit(MAYOR_QUESTIONS * 10))
    card.mayor_questions = list(dict.fromkeys(questions))[:MAYOR_QUESTIONS]
    _trend(card, theme)
    return card


def _code_card(code: Code, frame: Codeframe, column: Any) -> Card:
    """A code's card: figures over its codeframe's coded texts (people are distinct
    respondents), the first texts people coded with it, Ask the Mayor questions among them."""
    grouping = groupings.of_code(code)
    _found, rows = groupings.code_rows(frame)
    figures = groupings.count(rows).get(grouping.key, groupings.Counts(0, 0))
    base = int(db.session.scalar(select(func.count()).select_from(
        groupings.base_ids(grouping).subquery())) or 0)
    card = Card(None, code=code, share=figures.comments / base if base else 0.0,
                people=figures.people)
    members = (select(column, AnalysisText.source)
               .join(CodeframeText, CodeframeText.text_id == AnalysisText.id)
               .where(CodeframeText.codeframe_id == frame.id,
                      AnalysisText.id.in_(groupings.member_ids(grouping)))
               .order_by(CodeframeText.position))
    found = db.session.execute(members.limit(QUOTES * 10)).all()
    card.quotes = list(dict.fromkeys(t for t, source in found))[:QUOTES]
    card.mayor_questions = list(dict.fromkeys(
        t for t, source in found if source == "ask_the_mayor"))[:MAYOR_QUESTIONS]
    return card


def cards(board_items: list[BoardItem], user: User) -> dict[int, Card]:
    """The evidence card of each item, by item id, with texts as this user may see them."""
    from engage.services.code.coding import frames

    column = AnalysisText.text if views.sees_personal_data(user) else AnalysisText.redacted
    out: dict[int, Card] = {}
    wards = _ward_names()
    allowed: dict[tuple[str, int], bool] = {}
    for item in board_items:
        theme = db.session.get(Theme, item.theme_id) if item.theme_id else None
        code = db.session.get(Code, item.code_id) if item.code_id else None
        frame = db.session.get(Codeframe, code.codeframe_id) if code is not None else None
        if theme is not None and ("run", theme.run_id) not in allowed:
            allowed["run", theme.run_id] = results_policy.may_see_run(user, theme.run_id)
        if frame is not None and ("frame", frame.id) not in allowed:
            allowed["frame", frame.id] = frames.may_see(user, frame)
        if ((theme is not None and not allowed["run", theme.run_id])
                or (frame is not None and not allowed["frame", frame.id])):
            out[item.id] = Card(None, withheld=True)
            continue
        if theme is not None:
            card = _theme_card(theme, column)
            _reach(card, groupings.of_theme(theme), wards)
        elif frame is not None and frame.final_at is None:
            card = Card(None, code=code, withdrawn=True)
        elif code is not None and frame is not None and code.active:
            card = _code_card(code, frame, column)
            _reach(card, groupings.of_code(code), wards)
        else:
            card = Card(None)
        out[item.id] = card
    _similar_published(out)
    return out
