"""Engage: resident engagement surveys, Ask the Mayor and theme analysis."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from flask import Flask

try:
    __version__ = version("engage")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application: settings, extensions, blueprints, error pages."""
    from engage import hosts
    from engage.config import load_config
    from engage.web import init_extensions, register_blueprints, register_errors, trust_proxies

    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_relative_config=True)
    app.config.update(load_config(app.instance_path, overrides))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    trust_proxies(app)
    init_extensions(app)
    register_blueprints(app)
    register_errors(app)
    hosts.init_app(app)  # last, so its check runs before every other before-request hook
    return app
