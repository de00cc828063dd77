"""/api/v1: the read-only partner API. Token-authenticated (Authorization: Bearer), scoped to
surveys, rate-limited per token, every read audited. It has GET routes only, so CSRF does not
apply; it uses no cookies (the session is never read)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.wrappers import Response

from engage.blueprints.api.openapi import spec
from engage.blueprints.caching import cached_value
from engage.extensions import limiter
from engage.links import base_url
from engage.routing import int_arg
from engage.services.collect.consultations import public as consultations_public
from engage.services.decide.plan import plans, public
from engage.services.platform import api_tokens
from engage.services.report import api_data
from surveys.errors import NotFound

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)


def _error(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="engage"'
    return response


def _token_key() -> str:
    header = request.headers.get("Authorization", "")
    if not header:
        return "api-ip:" + (request.remote_addr or "")
    return "api:" + hashlib.sha256(header.encode("utf-8")).hexdigest()[:24]


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse requests without an active token scoped to the survey in the URL."""

    @wraps(view)
    def wrapper(slug: str, **kwargs: Any) -> Any:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        token = api_tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            return _error(401, "A valid API token is required.")
        if not api_tokens.allows(token, slug):
            return _error(404, "No such survey for this token.")
        g.api_token = token
        return view(slug, **kwargs)

    return wrapper


def _limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "120 per minute"))


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(spec(base_url() + PREFIX))


def _read(kind: str, slug: str, load: Callable[[], dict[str, Any]], items: str) -> Response:
    """Load one read's body for the token's survey, audit it with its item count, send it."""
    try:
        body = load()
    except NotFound:
        return _error(404, "No such survey for this token.")
    api_tokens.record_read(g.api_token, kind, slug, len(body[items]), request.remote_addr or "")
    return jsonify(body)


@bp.route("/surveys/<slug>/responses")
@limiter.limit(_limit, key_func=_token_key)
@token_required
def responses(slug: str) -> Response:
    """A page of responses, free text redacted: by `after` (the previous page's `next_cursor`)
    or by page number."""
    page, per_page = int_arg("page"), int_arg("per_page")
    if (page is None and "page" in request.args) or (
            per_page is None and "per_page" in request.args):
        return _error(400, "page and per_page must be whole numbers.")
    after = request.args.get("after")
    try:
        if after is not None:
            api_data.read_cursor(after)
    except api_data.BadCursor:
        return _error(400, "after must be a next_cursor from this API. Start again without "
                           "after to get the first page.")
    return _read("responses", slug,
                 lambda: api_data.responses_page(slug, page or 1, per_page or 100, after),
                 "items")


@bp.route("/surveys/<slug>/results")
@limiter.limit(_limit, key_func=_token_key)
@token_required
def results(slug: str) -> Response:
    """Results per closed question, weighted when weights exist."""
    return _read("results", slug, lambda: api_data.results_of(slug), "questions")


@bp.route("/surveys/<slug>/themes")
@limiter.limit(_limit, key_func=_token_key)
@token_required
def themes(slug: str) -> Response:
    """Themes with descriptions, sizes and redacted quotes."""
    return _read("themes", slug, lambda: api_data.themes_of(slug), "themes")


def _address_key() -> str:
    return "api-open:" + (request.remote_addr or "")


def _open_limit() -> str:
    return str(current_app.config.get("OPEN_DATA_RATE_LIMIT", "60 per minute"))


@bp.route("/consultations")
@limiter.limit(_open_limit, key_func=_address_key)
def consultations() -> Response:
    """Open data: every public consultation (no token; no personal data)."""
    response = jsonify({"consultations": consultations_public.open_data()})
    response.headers["Access-Control-Allow-Origin"] = "*"  # for partners' own dashboards
    return response


@bp.route("/plan")
@limiter.limit(_open_limit, key_func=_address_key)
def plan() -> Response:
    """The published partnership plan as open data (no token; no personal data)."""
    current = plans.published_plan()
    if current is None:
        return _error(404, "No plan has been published.")
    body = cached_value(("plan-open-data", current.id, current.changed_at.isoformat()),
                        lambda: json.dumps(public.open_data(
                            public.plan_view(current, with_evidence=False))))
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # for partners' own dashboards
    return response
