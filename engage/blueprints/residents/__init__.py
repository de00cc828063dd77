"""Resident pages: the survey runner (and, later, Ask the Mayor)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("residents", __name__)

from engage.blueprints.residents import invited, survey  # noqa: E402,F401
