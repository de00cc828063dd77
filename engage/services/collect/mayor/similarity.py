"""Similar questions, so moderators can spot duplicates: TF-IDF cosine from scikit-learn."""

from __future__ import annotations

from sqlalchemy import select

from engage.extensions import db
from engage.models import MayorQuestion

POOL = 3000  # compare with the most recent questions only, so the page stays quick


def similar_questions(question: MayorQuestion, limit: int = 5,
                      threshold: float = 0.2) -> list[tuple[MayorQuestion, float]]:
    """The questions most like this one (not duplicates or rejected), best first."""
    # scikit-learn loads on the first moderation page that needs it, not in every web worker.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    pool = list(db.session.scalars(
        select(MayorQuestion)
        .where(MayorQuestion.id != question.id,
               MayorQuestion.status.not_in(("duplicate", "rejected")))
        .order_by(MayorQuestion.created_at.desc()).limit(POOL)))
    if not pool:
        return []
    texts = [question.text] + [q.text for q in pool]
    try:
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True,
                                 ngram_range=(1, 2)).fit_transform(texts)
    except ValueError:  # only stop words: nothing to compare
        return []
    scores = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    ranked = sorted(zip(pool, scores, strict=True), key=lambda pair: -pair[1])
    return [(q, float(s)) for q, s in ranked[:limit] if s >= threshold]
