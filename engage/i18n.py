"""Language choice: the resident's choice wins, else the browser's Accept-Language."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import current_app, request, session


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
    best = request.accept_languages.best_match(list(languages))
    return _locale(best or current_app.config["BABEL_DEFAULT_LOCALE"])


def remember_choice() -> None:
    """Keep a ?lang= choice in the session, so every later page follows it."""
    chosen = request.args.get("lang")
    if chosen in available_languages() and session.get("lang") != chosen:
        session["lang"] = chosen
