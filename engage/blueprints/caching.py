"""Whole-page cache for pages anyone may see, so their render cost is paid once.

A cached page holds sentinels in place of the per-request CSRF token and CSP nonce; they are
swapped in on every request, so no token or nonce is ever shared between requests. The page
is returned as text, and compressed (or not) by Flask-Compress like every other page.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from threading import Lock
from typing import TypeVar, cast

from flask import get_flashed_messages, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from engage.security import csp_nonce

MAX_ENTRIES = 1024
TOKEN_SENTINEL = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
NONCE_SENTINEL = "\x00csp-nonce\x00"
_SPLIT = re.compile("(" + re.escape(TOKEN_SENTINEL) + "|" + re.escape(NONCE_SENTINEL) + ")")

# A page as its parts: the static text, with a sentinel at every odd index.
_Page = tuple[str, ...]


def _make(html: str) -> _Page:
    return tuple(_SPLIT.split(html))


def _fill(page: _Page, values: Mapping[str, str]) -> str:
    """The page's text with each sentinel replaced by its value."""
    return "".join(values[part] if i % 2 else part for i, part in enumerate(page))


_PAGES: OrderedDict[tuple[object, ...], _Page] = OrderedDict()
_LOCK = Lock()


def clear() -> None:
    """Forget every cached page (the keys hold database ids: a new database reuses them)."""
    with _LOCK:
        _PAGES.clear()
        _VALUES.clear()


# Parts of pages and bodies that are expensive to build and change only with their key (an
# indicator's chart and table, per language and updates; the plan's open data per version).
MAX_VALUES = 4096
_VALUES: OrderedDict[tuple[object, ...], object] = OrderedDict()


T = TypeVar("T")


def cached_value(key: tuple[object, ...], make: Callable[[], T]) -> T:
    """The value for a key, made once (the key must stand for everything the value depends on)."""
    with _LOCK:
        if key in _VALUES:
            _VALUES.move_to_end(key)
            return cast(T, _VALUES[key])  # stored by a call with the same key, so a T
    value = make()
    with _LOCK:
        _VALUES[key] = value
        while len(_VALUES) > MAX_VALUES:
            _VALUES.popitem(last=False)
    return value


def cached_page(key: tuple[object, ...], template: str,
                make_context: Callable[[], Mapping[str, object]] | None = None,
                **context: object) -> str:
    """Render a page once per key, template, language and URL; fill in token and nonce.

    `make_context`, when given, builds (more of) the template's context, only when the page
    has to be rendered: the key must then stand for everything it depends on.
    """
    def full() -> dict[str, object]:
        return {**context, **(make_context() if make_context is not None else {})}

    if get_flashed_messages():  # a pending message must be shown (the page reads the same
        return render_template(template, **full())  # list again): no cache
    full_key = (template, str(get_locale()), request.full_path, *key)
    with _LOCK:
        page = _PAGES.get(full_key)
        if page is not None:
            _PAGES.move_to_end(full_key)
    if page is None:
        page = _make(render_template(template, csrf_token=lambda: TOKEN_SENTINEL,
                                     csp_nonce=lambda: NONCE_SENTINEL, **full()))
        with _LOCK:
            _PAGES[full_key] = page
            while len(_PAGES) > MAX_ENTRIES:
                _PAGES.popitem(last=False)
    values = {sentinel: generate_csrf() if sentinel == TOKEN_SENTINEL else csp_nonce()
              for sentinel in set(page[1::2])}
    return _fill(page, values)
