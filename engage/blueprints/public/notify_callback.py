"""Route: POST /callbacks/notify, GOV.UK Notify's delivery-status callback.

Notify authenticates with the bearer token set in its callback settings, which must equal
NOTIFY_CALLBACK_TOKEN (compared in constant time); without that setting the address does not
exist (404). It is the one public POST without a CSRF token: Notify is a server with no
session, and the token is what proves the caller. Rate-limited per address, bodies of at most
a few kilobytes. A reference this app did not make answers 200 too (logged), so that Notify
stops retrying; see docs/deploy.md.
"""

from __future__ import annotations

import hmac

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from engage.blueprints.public import bp
from engage.extensions import csrf, limiter
from engage.services.collect import notify_callbacks

MAX_BODY = 4096
"""Bytes: a Notify callback is a few hundred."""


def _answer(status: int, message: str) -> Response:
    response = jsonify({"result": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="notify-callback"'
    return response


def _authorised(expected: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8"), expected.encode("utf-8")
    )


@bp.route("/callbacks/notify", methods=["POST"])
@csrf.exempt  # type: ignore[untyped-decorator]  # Flask-WTF has no type information
@limiter.limit(lambda: str(current_app.config.get("NOTIFY_CALLBACK_LIMIT", "1200 per minute")))
def notify_callback() -> Response:
    """Record one message's delivery status on its contact."""
    expected = str(current_app.config.get("NOTIFY_CALLBACK_TOKEN") or "")
    if not expected:
        return _answer(404, "Not found")
    if not _authorised(expected):
        return _answer(401, "A valid bearer token is required")
    if (request.content_length or 0) > MAX_BODY:
        return _answer(413, "Too large")
    body = request.get_data(cache=False)
    if len(body) > MAX_BODY:
        return _answer(413, "Too large")
    try:
        callback = notify_callbacks.parse(body)
    except notify_callbacks.BadCallback as exc:
        return _answer(400, f"Not a delivery-status callback ({exc})")
    outcome = notify_callbacks.record(callback)
    if outcome != "recorded":
        current_app.logger.warning(
            "Notify callback %s: notification %s, status %s, reference %r",
            outcome,
            callback.notification_id,
            callback.status,
            callback.reference[:80],
        )
    return _answer(200, outcome)
