"""Pages for residents and the public: home, information pages, health check."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)

from engage.blueprints.public import plan, routes, you_said  # noqa: E402,F401
