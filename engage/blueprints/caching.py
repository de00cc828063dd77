"""Whole-page cache for pages anyone may see, so their render cost is paid once.

A cached page holds sentinels in place of the per-request CSRF token and CSP nonce; they are
swapped in on every request, so no token or nonce is ever shared between requests.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import render_template, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from engage.security import csp_nonce

_PAGES: OrderedDict[tuple[object, ...], str] = OrderedDict()
_LOCK = Lock()
MAX_ENTRIES = 1024
TOKEN_SENTINEL = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
NONCE_SENTINEL = "\x00csp-nonce\x00"


def cached_page(key: tuple[object, ...], template: str, **context: object) -> str:
    """Render a page once per key, template, language and URL; fill in token and nonce."""
    if session.get("_flashes"):  # a pending message must be shown and consumed: no cache
        return render_template(template, **context)
    full_key = (template, str(get_locale()), request.full_path, *key)
    with _LOCK:
        html = _PAGES.get(full_key)
        if html is not None:
            _PAGES.move_to_end(full_key)
    if html is None:
        html = render_template(template, csrf_token=lambda: TOKEN_SENTINEL,
                               csp_nonce=lambda: NONCE_SENTINEL, **context)
        with _LOCK:
            _PAGES[full_key] = html
            while len(_PAGES) > MAX_ENTRIES:
                _PAGES.popitem(last=False)
    if TOKEN_SENTINEL in html:
        html = html.replace(TOKEN_SENTINEL, generate_csrf())
    return html.replace(NONCE_SENTINEL, csp_nonce())
