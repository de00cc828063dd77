"""Routes: /, /accessibility, /privacy, /cookies, /healthz."""

from __future__ import annotations

from flask import current_app, jsonify
from werkzeug.wrappers import Response

from engage import __version__
from engage.blueprints.caching import cached_page
from engage.blueprints.public import bp
from engage.services.collect.published_surveys import open_surveys
from engage.services.platform import health


@bp.route("/")
def home() -> str | Response:
    """The resident home page."""
    from flask_babel import get_locale

    import surveys as engine

    lang = str(get_locale() or "en")
    listed = [
        {"slug": p.slug,
         "title": engine.localise(p.definition.title, lang, p.definition.language),
         "minutes": p.definition.estimated_minutes}
        for p in open_surveys()
        if not p.invitation_only  # residents reach those by their invitation's link
    ]
    return cached_page(tuple(p["slug"] for p in listed), "public/home.html", open_list=listed)


@bp.route("/accessibility")
def accessibility() -> str | Response:
    """Accessibility statement."""
    return cached_page((), "public/accessibility.html")


@bp.route("/privacy")
def privacy() -> str | Response:
    """Privacy notice."""
    return cached_page((), "public/privacy.html")


@bp.route("/cookies")
def cookies() -> str | Response:
    """Cookies used by the service."""
    return cached_page((), "public/cookies.html",
                       cookie_name=current_app.config["SESSION_COOKIE_NAME"])


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """JSON: the app version and whether the database answers."""
    ok = health.database_answers()
    body = {"version": __version__, "database": "ok" if ok else "unavailable",
            "status": "ok" if ok else "unavailable"}
    return jsonify(body), 200 if ok else 503
