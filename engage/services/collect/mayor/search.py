"""The public search over published questions: a small word index kept on publication."""

from __future__ import annotations

import re

from sqlalchemy import Select, delete, insert, select

from engage.extensions import db
from engage.models import MayorQuestion, MayorSearchTerm

_SPLIT = re.compile(r"[\s.,;:!?\"'()\[\]{}<>/\\|@#%&*+=~`^$\-–—‘’“”।]+")
TERM_LENGTH = 40


def terms(text: str) -> set[str]:
    """The distinct lower-case words of a text (Bengali words kept whole)."""
    return {w[:TERM_LENGTH] for w in _SPLIT.split(text.lower()) if w}


def index_rows(question_id: int, wording: str, answer: str) -> list[dict[str, object]]:
    """Rows for the word index of one question (for bulk loading)."""
    return [{"term": t, "question_id": question_id} for t in terms(f"{wording} {answer}")]


def reindex(question: MayorQuestion) -> None:
    """Refresh a question's words: indexed while published, removed otherwise."""
    db.session.execute(delete(MayorSearchTerm).where(MayorSearchTerm.question_id == question.id))
    if question.status == "published":
        rows = index_rows(question.id, question.shown_text, question.answer_text)
        if rows:
            db.session.execute(insert(MayorSearchTerm), rows)


def variants(word: str) -> set[str]:
    """The word and its simple English singular or plural ("bin" finds "bins" and back)."""
    found = {word, word + "s"}
    if len(word) > 3 and word.endswith("s"):
        found.add(word[:-1])
    return found


def matching(query: Select[MayorQuestion], search: str) -> Select[MayorQuestion]:
    """Narrow a query to questions that have every searched word (exact words: the index
    is used the same way on SQLite and on PostgreSQL whatever the collation)."""
    for word in sorted(terms(search))[:8]:
        query = query.where(MayorQuestion.id.in_(
            select(MayorSearchTerm.question_id)
            .where(MayorSearchTerm.term.in_(sorted(variants(word))))))
    return query
