"""URL converters and query-number parsing that refuse hostile input (issue 15).

A NUL byte in a path, or a number too large for the database's integer columns, matches no
route: the friendly 404 page, never a 500 from PostgreSQL ("cannot contain NUL") or SQLite
("Python int too large to convert"). Query-string numbers go through `int_arg`."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

# The largest id any table holds: PostgreSQL's `integer` (SQLite's is wider).
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit also accepts "²"


class TextConverter(UnicodeConverter):
    """A path segment without NUL characters."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)


class PathTextConverter(PathConverter):
    """Several path segments without NUL characters."""

    regex = "[^/\\x00][^\\x00]*?"


class IdConverter(IntegerConverter):
    """A whole number no larger than the database's integer columns hold."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def int_arg(name: str, default: int | None = None) -> int | None:
    """A whole number from the query string, `default` when absent or not a number; a number
    too large for any id or page (page=99999999999999999999) is the 404 page."""
    raw = request.args.get(name, "")
    if not _DIGITS.fullmatch(raw):
        if raw.isascii() and raw.isdigit():  # more digits than any id or page has
            abort(404)
        return default
    value = int(raw)
    if value > MAX_ID:
        abort(404)
    return value


def init_app(app: Flask) -> None:
    """Install the converters; call before any blueprint registers its routes."""
    app.url_map.converters.update({
        "default": TextConverter, "string": TextConverter, "path": PathTextConverter,
        "int": IdConverter,
    })
