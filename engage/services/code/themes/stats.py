"""Theme figures (responses, respondents, weighted, share, sentiment, quotes) from a run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, select

from engage.extensions import db
from engage.models import AnalysisText, RunText, Theme, ThemeQuote, ThemeRun
from engage.models._types import utcnow

N_QUOTES = 3


def refresh_stats(run: ThemeRun, themes: Sequence[Theme],
                  quotes_for: Iterable[int] = ()) -> None:
    """Recount the figures of these themes from their main texts; re-pick quotes where asked."""
    ids = [t.id for t in themes]
    if not ids:
        return
    weighted = db.session.scalar(
        select(func.count()).select_from(RunText).join(
            AnalysisText, AnalysisText.id == RunText.text_id)
        .where(RunText.run_id == run.id, AnalysisText.weight.is_(None))) == 0
    total_weight = 0.0
    if weighted:
        total_weight = float(db.session.scalar(
            select(func.sum(AnalysisText.weight)).join(
                RunText, RunText.text_id == AnalysisText.id)
            .where(RunText.run_id == run.id)) or 0.0)
    rows = db.session.execute(
        select(RunText.theme_id, func.count(), func.count(func.distinct(AnalysisText.respondent)),
               func.avg(RunText.sentiment), func.sum(AnalysisText.weight))
        .join(AnalysisText, AnalysisText.id == RunText.text_id)
        .where(RunText.run_id == run.id, RunText.theme_id.in_(ids))
        .group_by(RunText.theme_id)).all()
    figures = {r[0]: r[1:] for r in rows}
    total = max(run.text_count, 1)
    now = utcnow()
    for theme in themes:
        size, respondents, sentiment, weight_sum = figures.get(theme.id, (0, 0, None, None))
        theme.size = int(size)
        theme.respondents = int(respondents)
        theme.share = size / total
        theme.sentiment = float(sentiment) if sentiment is not None else None
        theme.weighted_size = float(weight_sum or 0.0) if weighted else None
        theme.weighted_share = (float(weight_sum or 0.0) / total_weight
                                if weighted and total_weight > 0 else None)
        theme.updated_at = now
    run.unthemed_count = int(db.session.scalar(
        select(func.count()).select_from(RunText)
        .where(RunText.run_id == run.id, RunText.theme_id.is_(None))) or 0)
    for theme_id in quotes_for:
        pick_quotes(theme_id)


def pick_quotes(theme_id: int) -> None:
    """Re-pick a theme's quotes: its best-scoring main texts, no two the same text. Quotes staff
    marked publishable stay (first) while their text is still one of the theme's."""
    members = select(RunText.text_id).where(RunText.theme_id == theme_id)
    db.session.execute(delete(ThemeQuote).where(
        ThemeQuote.theme_id == theme_id,
        ~(ThemeQuote.publishable.is_(True) & ThemeQuote.text_id.in_(members))))
    kept = list(db.session.execute(
        select(ThemeQuote, AnalysisText.redacted)
        .join(AnalysisText, AnalysisText.id == ThemeQuote.text_id)
        .where(ThemeQuote.theme_id == theme_id).order_by(ThemeQuote.position)))
    seen = {" ".join(text.lower().split()) for _quote, text in kept}
    taken = {quote.text_id for quote, _text in kept}
    for position, (quote, _text) in enumerate(kept):
        quote.position = position
    position = len(kept)
    for text_id, score, text in db.session.execute(
            select(RunText.text_id, RunText.score, AnalysisText.redacted)
            .join(AnalysisText, AnalysisText.id == RunText.text_id)
            .where(RunText.theme_id == theme_id)
            .order_by(RunText.score.desc(), RunText.text_id).limit(50)):
        key = " ".join(text.lower().split())
        if position >= N_QUOTES:
            break
        if key in seen or text_id in taken:
            continue
        seen.add(key)
        db.session.add(ThemeQuote(theme_id=theme_id, text_id=text_id, score=score,
                                  position=position))
        position += 1
