"""Pages of a list: the one way services cut a query into pages (issue 20).

A service counts its rows (as it must: some counts are capped or read from a stored size),
asks `window` which page it may show, and reads that page with `Window.of`. The page asked for
is moved into range here, so no caller gets an empty page past the end or a negative offset.
The web layer reads the page argument with `blueprints.paging.page_arg` and draws the links with
`blueprints.paging.pager`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.sql.selectable import GenerativeSelect

S = TypeVar("S", bound=GenerativeSelect)


@dataclass(frozen=True)
class Window:
    """Which page of a list is shown: its number (1-based), how many pages, the row total."""

    page: int
    pages: int
    total: int
    size: int

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.size

    @property
    def shown(self) -> int:
        """Rows on this page."""
        return max(0, min(self.size, self.total - self.offset))

    @property
    def first(self) -> int:
        """The position of the first row on the page (1-based; 0 when the page is empty)."""
        return self.offset + 1 if self.shown else 0

    @property
    def last(self) -> int:
        """The position of the last row on the page."""
        return self.offset + self.shown

    def of(self, query: S) -> S:
        """The query limited to this page's rows (the caller orders it)."""
        return query.offset(self.offset).limit(self.size)


def window(total: int, asked: int, size: int) -> Window:
    """The page to show of `total` rows, `size` a page: `asked` moved into 1..pages (one page
    when there are no rows)."""
    if size < 1:
        raise ValueError("a page holds at least one row")
    pages = max(1, -(-max(total, 0) // size))
    return Window(page=min(max(1, asked), pages), pages=pages, total=max(total, 0), size=size)
