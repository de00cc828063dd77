"""Render a survey page's questions once and reuse the markup.

The GOV.UK macros cost most of a page's render time. A published version is frozen, so the
markup of a page's questions depends only on the version, page, language, visible questions,
the values shown and the error messages: cache it on exactly that key (first visits, which
show no values and no errors, all share one entry per page and language).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from threading import Lock

from flask import render_template
from markupsafe import Markup

from engage.forms.survey_page import PageView

_CACHE: OrderedDict[tuple[object, ...], Markup] = OrderedDict()
_LOCK = Lock()
MAX_ENTRIES = 512


def freeze_values(values: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(str(v) for v in vs)) for k, vs in values.items()
                        if k.startswith("q-")))


def questions_markup(version_id: int, view: PageView) -> Markup:
    """The HTML of the page's questions, from the cache when the same markup was made before."""
    key = (version_id, view.page.id, view.language,
           tuple(q["params"]["name"] if "params" in q else q["id"] for q in view.questions),
           freeze_values(view.values), tuple(sorted(view.errors.items())))
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    # Rendered by an autoescaping template: the output is already safe HTML.
    html = Markup(render_template("survey/_questions.html", view=view))  # noqa: S704
    with _LOCK:
        _CACHE[key] = html
        while len(_CACHE) > MAX_ENTRIES:
            _CACHE.popitem(last=False)
    return html


# Whole pages. A cached page holds two sentinels in place of the per-request CSRF token and
# CSP nonce; they are swapped in on every request, so no token or nonce is ever shared.
_PAGES: OrderedDict[tuple[object, ...], str] = OrderedDict()
TOKEN_SENTINEL = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
NONCE_SENTINEL = "\x00csp-nonce\x00"


def cached_page(key: tuple[object, ...], template: str, **context: object) -> str:
    """Render a resident page once per key (plus language and URL); fill in token and nonce."""
    from flask import request, session
    from flask_babel import get_locale
    from flask_wtf.csrf import generate_csrf

    from engage.security import csp_nonce

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
    return html.replace(TOKEN_SENTINEL, generate_csrf()).replace(NONCE_SENTINEL, csp_nonce())
