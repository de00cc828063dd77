"""Pages for residents and the public: home, information pages, health check."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)

from engage.blueprints.public import (  # noqa: E402,F401
    consultation_mail,
    consultations,
    notify_callback,
    plan,
    routes,
    you_said,
)
