"""Staff sign-in and sign-out, and loading the signed-in user from the server-side session."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from engage.blueprints.auth import accounts, routes, sso, two_step  # noqa: E402,F401
