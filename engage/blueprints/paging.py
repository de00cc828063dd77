"""The page argument and the GOV.UK pagination links of every paged list (issue 20).

Routes read `?page=` with `page_arg` (anything but a whole number is the first page; a number
past the end is the last page once the service's `paging.window` has moved it into range) and
pass `pager(...)` to the template, which draws it with the `pagination` macro of
`templates/_pagination.html`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _

from engage.formatting import format_number
from engage.routing import MAX_ID


def page_arg(name: str = "page") -> int:
    """The page asked for: 1 for a missing, empty, negative or non-numeric value, and a
    number too long for any page (?page=99999999999999999999) as the largest, never an error."""
    raw = request.args.get(name, "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(MAX_ID)):
        return MAX_ID
    return max(1, min(int(raw), MAX_ID))


def pager(current: int, pages: int, endpoint: str, *, anchor: str | None = None,
          cursors: Mapping[int, Mapping[str, Any]] | None = None, more: bool = False,
          **values: Any) -> dict[str, Any] | None:
    """Parameters for govukPagination: first, last and neighbours of the current page, and
    previous and next; None for a single page.

    Links keep the request's other query arguments (search, filters, sort) but not a keyset
    cursor (`after`, `before`); `cursors` gives some pages one (page number → arguments), as a
    list paged by key gives its previous and next pages. `more`: the list goes on past
    `pages`, how far not counted (an ellipsis follows the last number). `values` are the
    endpoint's own (a slug or an id)."""
    if pages <= 1:
        return None
    # Names url_for reads itself (?_external=1, ?_method=x) are never the page's arguments.
    args = {k: v for k, v in request.args.to_dict().items()
            if not k.startswith("_") and k not in ("after", "before")}

    def href(n: int) -> str:
        return url_for(endpoint, **{**args, **values, **(cursors or {}).get(n, {}), "page": n,
                                    "_anchor": anchor})

    items: list[dict[str, Any]] = []
    for n in range(1, pages + 1):
        if n in (1, pages) or abs(n - current) <= 1:
            items.append({"number": format_number(n), "href": href(n), "current": n == current,
                          "visuallyHiddenText": _("Page %(number)s", number=n)})
        elif abs(n - current) == 2:
            items.append({"ellipsis": True})
    if more:
        items.append({"ellipsis": True})
    return {
        "items": items,
        "previous": ({"href": href(current - 1), "text": _("Previous")}
                     if current > 1 else None),
        "next": ({"href": href(current + 1), "text": _("Next")} if current < pages else None),
    }


def neighbour_cursors(current: int, pages: int, first: Any, last: Any,
                      more: bool = False) -> dict[int, dict[str, Any]]:
    """`pager`'s cursors for a list paged by key: the previous page found `before` the first
    row shown, the next `after` the last (page 1 and the last page need none: they are read
    from either end; a list whose end is not counted, `more`, gives its next page one)."""
    found: dict[int, dict[str, Any]] = {}
    if first is None or last is None:
        return found
    if current - 1 > 1:
        found[current - 1] = {"before": first}
    if current + 1 < pages or more:
        found[current + 1] = {"after": last}
    return found
