"""Ask the Mayor for residents: ask, check the status, read the answers, see the sessions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mayor", __name__, url_prefix="/ask-the-mayor")

from engage.blueprints.mayor_public import routes  # noqa: E402,F401
