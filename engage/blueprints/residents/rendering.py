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


def clear() -> None:
    """Forget every cached page markup (the keys hold version ids: a new database reuses them)."""
    with _LOCK:
        _CACHE.clear()


def freeze_values(values: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((k, tuple(str(v) for v in vs)) for k, vs in values.items()
                        if k.startswith("q-")))


def questions_markup(version_id: int, view: PageView) -> Markup:
    """The HTML of the page's questions, from the cache when the same markup was made before."""
    key = (version_id, view.page.id, view.language,
           view.question_ids, view.single,
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
