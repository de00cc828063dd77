"""Wiring of the web shell: extensions, Jinja, blueprints, error pages and CLI."""

from __future__ import annotations

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from engage import ROOT
from engage.extensions import babel, compress, csrf, db, limiter, login, migrate
from engage.i18n import remember_choice, select_locale


def init_extensions(app: Flask) -> None:
    """Bind every extension and the Jinja set-up to the app."""
    from engage import formatting, routing, security, templating

    routing.init_app(app)  # before any blueprint adds its routes
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "engage" / "translations"))
    limiter.init_app(app)
    compress.init_app(app)
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    templating.init_app(app)
    formatting.init_app(app)
    app.before_request(remember_choice)
    security.init_app(app)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client address and scheme from the headers
    they add (S22); the Host header is never taken from a proxy header (TRUSTED_HOSTS)."""
    count = int(app.config.get("TRUSTED_PROXIES", 0))
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count,  # type: ignore[method-assign]
                                x_host=0, x_port=0, x_prefix=0)


def register_blueprints(app: Flask) -> None:
    """Register every audience's blueprint and the CLI commands."""
    from engage import cli
    from engage.blueprints.api import bp as api_bp
    from engage.blueprints.auth import bp as auth_bp
    from engage.blueprints.mayor_public import bp as mayor_bp
    from engage.blueprints.public import bp as public_bp
    from engage.blueprints.residents import bp as residents_bp
    from engage.blueprints.staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(residents_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(mayor_bp)
    from engage.blueprints.staff.imports import allow_import_uploads

    app.before_request_funcs.setdefault(None, []).insert(0, allow_import_uploads)
    app.register_blueprint(api_bp)
    cli.init_app(app)


def register_errors(app: Flask) -> None:
    """Friendly error pages for every status a user may meet."""
    from engage import errors

    errors.init_app(app)
