"""Language choice: the resident's choice wins, else the browser's Accept-Language."""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale
from flask import current_app, request, session
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header


def available_languages() -> dict[str, str]:
    """Language codes and their names in their own language."""
    return dict(current_app.config["LANGUAGES"])


@cache
def _locale(code: str) -> Locale:
    # Babel checks its data files on disk each time it parses a code: parse each code once.
    return Locale.parse(code)


def select_locale() -> Locale:
    """Pick the locale for this request (used by Flask-Babel)."""
    languages = available_languages()
    chosen = request.args.get("lang")
    if chosen in languages:
        return _locale(chosen)
    stored = session.get("lang")
    if stored in languages:
        return _locale(str(stored))
    return _locale(_best_match(request.headers.get("Accept-Language", ""),
                               tuple(languages), current_app.config["BABEL_DEFAULT_LOCALE"]))


@lru_cache(maxsize=512)
def _best_match(header: str, languages: tuple[str, ...], default: str) -> str:
    # A browser sends the same header on every page: parse each header once.
    return parse_accept_header(header, LanguageAccept).best_match(languages) or default


def remember_choice() -> None:
    """Keep a ?lang= choice in the session, so every later page follows it."""
    chosen = request.args.get("lang")
    if chosen in available_languages() and session.get("lang") != chosen:
        session["lang"] = chosen
