"""Validation of choice questions: single choice, agreement, multiple choice, rating, grid."""

from __future__ import annotations

from surveys import answer_messages as m
from surveys.types import Answer
from surveys.validation.base import Context, blank


def single_choice(ctx: Context) -> Answer:
    """One option id from the question's options (single choice, agreement scale)."""
    value = ctx.value()
    if not value:
        return blank(ctx, m.SELECT_NAMED, m.SELECT_ANSWER)
    if value not in ctx.question.option_ids:
        ctx.error(m.CHOICE_INVALID)
        return None
    return value


def multiple_choice(ctx: Context) -> Answer:
    """A list of option ids in option order; an exclusive option must be chosen alone."""
    q = ctx.question
    chosen = {v for v in ctx.values() if v}
    if not chosen:
        return blank(ctx, m.SELECT_NAMED, m.SELECT_ANSWER)
    if not chosen <= set(q.option_ids):
        ctx.error(m.CHOICE_INVALID)
        return None
    for option in q.options:
        if option.exclusive and option.id in chosen and len(chosen) > 1:
            name = ctx.text(q.name)
            none = ctx.text(option.text)
            if name:
                ctx.error(m.EXCLUSIVE_NAMED, name=name, none=none)
            else:
                ctx.error(m.EXCLUSIVE, none=none)
            return None
    if q.max_choices is not None and len(chosen) > q.max_choices:
        ctx.error(m.TOO_MANY_CHOICES, max=q.max_choices)
        return None
    return [o for o in q.option_ids if o in chosen]


def rating(ctx: Context) -> Answer:
    """A whole number from 0 to 10."""
    value = ctx.digits()
    if not value:
        return blank(ctx, m.SELECT_NAMED, m.SELECT_ANSWER)
    if not (value.isascii() and value.isdigit() and 0 <= int(value) <= 10):
        ctx.error(m.NUMBER_BETWEEN, min=0, max=10)
        return None
    return int(value)


def grid(ctx: Context) -> Answer:
    """{statement id: option id} for each answered statement; each statement is its own field."""
    q = ctx.question
    answer: dict[str, str] = {}
    for statement in q.statements:
        value = ctx.value(statement.id)
        if not value:
            if ctx.required:
                ctx.error(m.GRID_STATEMENT, statement.id, statement=ctx.text(statement.text))
        elif value not in q.option_ids:
            ctx.error(m.CHOICE_INVALID, statement.id)
        else:
            answer[statement.id] = value
    if ctx.errors:
        return None
    return answer or None


def ranking(ctx: Context) -> Answer:
    """Option ids in rank order; ranks used once each, 1..k without gaps; all or top N if needed."""
    q = ctx.question
    n = len(q.options)
    ranks: dict[int, str] = {}
    for option in q.options:
        value = ctx.digits(option.id)
        if not value:
            continue
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= n):
            ctx.error(m.RANK_INVALID, option.id, max=n)
            return None
        rank = int(value)
        if rank in ranks:
            ctx.error(m.RANK_DUPLICATE, option.id)
            return None
        ranks[rank] = option.id
    needed = q.top if q.top is not None else n
    first_unranked = next((o.id for o in q.options if o.id not in ranks.values()), None)
    if not ranks:
        if not ctx.required:
            return None
        if q.top is None:
            ctx.error(m.RANK_EACH, q.options[0].id if q.options else None)
        else:
            ctx.error(m.RANK_TOP, q.options[0].id if q.options else None, count=needed)
        return None
    if len(ranks) > needed:
        ctx.error(m.RANK_TOO_MANY, ranks[max(ranks)], count=needed)
        return None
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        ctx.error(m.RANK_GAP, ranks[max(ranks)])
        return None
    if ctx.required and len(ranks) < needed:
        if q.top is None:
            ctx.error(m.RANK_EACH, first_unranked)
        else:
            ctx.error(m.RANK_TOP, first_unranked, count=needed)
        return None
    return [ranks[r] for r in sorted(ranks)]
