"""Keyset (seek) pagination: a page of a query next to a known row, found by the rows' sort
key instead of counting past every earlier row (OFFSET), so a page deep in a long list costs
what the first page costs when an index follows the sort key (issue 21).

One function that takes a query and a cursor; the caller keeps its page numbers (GOV.UK
pagination) and hands the next and previous links the key of the last and first row shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import QueryableAttribute

from engage.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: just after the row whose sort key is `values` or, with `before`,
    just before it. `values` None: the start of the list, or with `before` its end (the last
    page, read backwards from the end)."""

    values: tuple[Any, ...] | None = None
    before: bool = False


def seek(query: Select[T], keys: Sequence[QueryableAttribute[Any]], cursor: Cursor,
         size: int, descending: bool = False) -> list[T]:
    """Up to `size` rows of `query` next to `cursor`, in the order of `keys` (all ascending,
    or all `descending`; the last key unique, e.g. the id), as the query's scalars.

    `query` must have no ORDER BY, LIMIT or OFFSET of its own."""
    # Rows after the cursor in ascending order, or before it in descending order, have
    # greater keys; a page before the cursor is read backwards and turned round.
    greater = descending == cursor.before
    if cursor.values is not None:
        here = tuple_(*keys)
        there = tuple_(*(literal(value, key.type) for key, value in zip(
            keys, cursor.values, strict=True)))
        query = query.where(here > there if greater else here < there)
    order = [key.asc() if greater else key.desc() for key in keys]
    rows = list(db.session.scalars(query.order_by(*order).limit(size)))
    if cursor.before:
        rows.reverse()
    return rows
