"""A small, real OpenID Connect provider on 127.0.0.1 for tests (issue 19).

It serves discovery, JWKS, an authorization endpoint that signs in whoever the test names
(no login page) and a token endpoint that checks the client's credentials, the code (single
use) and the redirect address, and returns an ID token signed with RS256 by joserfc. A test
can make it misbehave: another issuer in the token, a signature by a key that is not the
published one, an unverified email address.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from tests.local_server import LocalServer

CLIENT_ID = "engage-test-client"
CLIENT_SECRET = "engage-test-secret-0123456789"


@dataclass
class Person:
    """Who the provider says is signing in."""

    email: str
    email_verified: bool = True
    sub: str = field(default_factory=lambda: secrets.token_hex(8))


class Provider(LocalServer):
    """Start with `with Provider() as idp:`; idp.issuer, idp.person to choose who signs in,
    idp.token_issuer / idp.sign_with_wrong_key to misbehave."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.wrong_key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"})
        self.person = Person("nobody@example.org")
        self.token_issuer = ""  # '' = the real issuer
        self.sign_with_wrong_key = False
        self.codes: dict[str, dict[str, Any]] = {}
        self.tokens_issued = 0
        self.server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.metadata_url = self.issuer + "/.well-known/openid-configuration"
        self.serve(self.server)

    def settings(self) -> dict[str, str]:
        """The Engage settings that point at this provider."""
        return {"OIDC_METADATA_URL": self.metadata_url, "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_PROVIDER_NAME": "Test Council ID"}

    def _id_token(self, client_id: str, nonce: str | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.token_issuer or self.issuer, "sub": self.person.sub, "aud": client_id,
            "iat": now, "exp": now + 300, "email": self.person.email,
            "email_verified": self.person.email_verified, "name": "Test Person",
        }
        if nonce:
            claims["nonce"] = nonce
        key = self.wrong_key if self.sign_with_wrong_key else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)

    def _app(self) -> Flask:
        app = Flask("oidc-test-provider")

        @app.get("/.well-known/openid-configuration")
        def discovery() -> Response:
            return jsonify({
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            })

        @app.get("/jwks")
        def jwks() -> Response:
            return jsonify({"keys": [self.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize() -> Response:
            args = request.args
            if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
                abort(400)
            if "openid" not in args.get("scope", "").split():
                abort(400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": args.get("nonce"), "redirect_uri": args["redirect_uri"]}
            query = urlencode({"code": code, "state": args.get("state", "")})
            return redirect(f"{args['redirect_uri']}?{query}", code=302)

        @app.post("/token")
        def token() -> tuple[Response, int] | Response:
            basic = request.headers.get("Authorization", "")
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if basic != f"Basic {expected}":
                return jsonify({"error": "invalid_client"}), 401
            grant = self.codes.pop(request.form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != request.form.get("redirect_uri"):
                return jsonify({"error": "invalid_grant"}), 400
            self.tokens_issued += 1
            return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                            "expires_in": 300,
                            "id_token": self._id_token(CLIENT_ID, grant["nonce"])})

        return app

