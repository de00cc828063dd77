"""Routes: /auth/sso (POST, start) and /auth/sso/callback: single sign-on with OpenID Connect
through Authlib's Flask client (authorization code flow; Authlib keeps state and nonce in the
session, checks the ID token's signature against the provider's keys, its issuer, audience,
expiry and nonce). Off, with no button, unless OIDC_* settings are given."""

from __future__ import annotations

import time
from typing import Any

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, redirect, render_template, request, session, url_for
from joserfc.errors import BadSignatureError, ClaimError, JoseError
from werkzeug.wrappers import Response

from engage import links
from engage.blueprints.auth import bp
from engage.blueprints.auth.routes import PENDING_KEY, _client_ip, complete_sign_in
from engage.services.platform import sso

CLIENT = "oidc"


def _client() -> Any:
    """This app's Authlib client, registered on first use from the settings."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    oauth = app.extensions.get("engage_oidc")
    if oauth is None:
        oauth = OAuth(app)
        oauth.register(CLIENT, client_id=app.config["OIDC_CLIENT_ID"],
                       client_secret=app.config["OIDC_CLIENT_SECRET"],
                       server_metadata_url=sso.metadata_url(),
                       client_kwargs={"scope": "openid email profile", "timeout": 10})
        app.extensions["engage_oidc"] = oauth
    return oauth.create_client(CLIENT)


def _reason(exc: Exception) -> str:
    """Which check an exception from Authlib or joserfc failed."""
    if isinstance(exc, MismatchingStateError):
        return "state"
    if isinstance(exc, ClaimError) and "iss" in str(exc):
        return "issuer"
    if isinstance(exc, BadSignatureError):
        return "signature"
    if isinstance(exc, OAuthError):
        return "provider"
    return "token"


@bp.route("/sso", methods=["POST"])
def sso_start() -> Response:
    """Send the browser to the identity provider."""
    if not sso.enabled():
        abort(404)  # single sign-on is off: the route is not there
    try:
        return _client().authorize_redirect(links.public_url("auth.sso_callback"))  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - the provider could not be reached or read
        current_app.logger.warning("single sign-on: the provider's metadata could not be read")
        return _refused("provider")


def _refused(reason: str) -> Response:
    response = Response(render_template("auth/sso_refused.html", reason=reason), status=403,
                        mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sso/callback")
def sso_callback() -> Response:
    """The provider sends the browser back here with a code and the state."""
    if not sso.enabled():
        abort(404)  # single sign-on is off: the route is not there
    if "state" not in request.args and "error" not in request.args:
        return redirect(url_for("auth.sign_in"), code=303)  # not a sign-in in progress
    ip = _client_ip()
    try:
        token = _client().authorize_access_token()
        claims = dict(token.get("userinfo") or {})
    except (OAuthError, JoseError, ValueError, KeyError) as exc:
        return _refused(sso.refuse(_reason(exc), ip).reason)
    except Exception as exc:  # noqa: BLE001 - e.g. the token endpoint could not be reached
        current_app.logger.warning("single sign-on failed: %s", type(exc).__name__)
        return _refused(sso.refuse("provider", ip).reason)
    if not claims:
        return _refused(sso.refuse("token", ip).reason)
    try:
        user = sso.match_account(claims, ip)
    except sso.SSORefused as exc:
        return _refused(exc.reason)
    # Roles and their two-step rule stay in Engage: an account with two-step verification on
    # still enters its code (the provider's own checks are not relied on).
    if user.two_step_on:
        session.clear()
        session[PENDING_KEY] = {"user_id": user.id, "at": int(time.time()),
                                "next": url_for("staff.dashboard")}
        return redirect(url_for("auth.two_step"), code=303)
    return complete_sign_in(user, url_for("staff.dashboard"), second_step="sso")
