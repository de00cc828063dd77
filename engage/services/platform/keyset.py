"""Keyset (seek) pagination: a page of a query next to a known row, found by the rows' sort
key instead of counting past every earlier row (OFFSET), so a page deep in a long list costs
what the first page costs when an index follows the sort key (issue 21).

One function that takes a query and a cursor; the caller keeps its page numbers (GOV.UK
pagination) and hands the next and previous links the key of the last and first row shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import QueryableAttribute

from engage.extensions import db
from engage.services.platform.paging import Window


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: just after the row whose sort key is `values` or, with `before`,
    just before it. `values` None: the start of the list, or with `before` its end (the last
    page, read backwards from the end)."""

    values: tuple[Any, ...] | None = None
    before: bool = False


def seek(query: Select[*tuple[Any, ...]], keys: Sequence[QueryableAttribute[Any]],
         cursor: Cursor, size: int, descending: bool = False, *, rows: bool = False) -> list[Any]:
    """Up to `size` rows of `query` next to `cursor`, in the order of `keys` (all ascending,
    or all `descending`; the last key unique, e.g. the id), as the query's scalars (with
    `rows`, as whole rows).

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
    limited = query.order_by(*order).limit(size)
    found: list[Any] = (list(db.session.execute(limited).all()) if rows
                        else list(db.session.scalars(limited)))
    if cursor.before:
        found.reverse()
    return found


def page(query: Select[*tuple[Any, ...]], keys: Sequence[QueryableAttribute[Any]],
         shown: Window, mark: tuple[Any, ...] | None = None, before: bool = False,
         descending: bool = False, *, rows: bool = False) -> list[Any]:
    """The rows of page `shown` (from `paging.window`) of `query`: next to the row whose keys
    are `mark` (the next page after the last row shown, or with `before` the previous page
    before the first), the last page read back from the end, any other page (or a mark that
    finds nothing) counted to by OFFSET. Arguments as `seek`'s."""
    found: list[Any] = []
    if mark is not None and shown.page > 1:
        found = seek(query, keys, Cursor(mark, before=before), shown.size, descending,
                     rows=rows)
    elif shown.page == shown.pages > 1:
        found = seek(query, keys, Cursor(before=True), shown.shown, descending, rows=rows)
    if not found:
        order = [key.desc() if descending else key.asc() for key in keys]
        limited = shown.of(query.order_by(*order))
        found = list(db.session.execute(limited).all()) if rows else list(
            db.session.scalars(limited))
    return found
