"""Language choice: the resident's choice wins, else the browser's Accept-Language."""

from __future__ import annotations

from flask import current_app, request, session


def available_languages() -> dict[str, str]:
    """Language codes and their names in their own language."""
    return dict(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """Pick the locale for this request (used by Flask-Babel)."""
    languages = available_languages()
    chosen = request.args.get("lang")
    if chosen in languages:
        return chosen
    stored = session.get("lang")
    if stored in languages:
        return str(stored)
    best = request.accept_languages.best_match(list(languages))
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_choice() -> None:
    """Keep a ?lang= choice in the session, so every later page follows it."""
    chosen = request.args.get("lang")
    if chosen in available_languages() and session.get("lang") != chosen:
        session["lang"] = chosen
