"""CPU cost of two parts of every resident request, measured alone: Flask's check of a
session cookie (`open_session`) and signing the CSRF token (`generate_csrf`), against a
dictionary hit (what a cache of either would cost instead). Issue 20: a cache is kept only
where a measurement shows it matters.

    python bench/request_parts.py [--n 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def per_call(fn: Callable[[], Any], n: int, rounds: int) -> float:
    """Minimum over the rounds of CPU milliseconds per call."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - started) * 1000 / n)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="engage-request-parts-") as tmp:
        os.environ.update({"ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                           "ENGAGE_INSECURE_COOKIES": "1",
                           "DATABASE_URL": f"sqlite:///{tmp}/parts.sqlite",
                           "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1"})
        from flask import g, request
        from flask_wtf.csrf import generate_csrf

        from engage import create_app

        app = create_app()
        interface = app.session_interface
        # A resident's session as the runner keeps it: the CSRF token and a response reference.
        payload = {"csrf_token": secrets.token_hex(20), "_permanent": True,
                   "responses": {"residents-2026": secrets.token_urlsafe(24)}}
        signer = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        cookie = signer.dumps(payload)
        cache = {cookie: payload}
        headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}
        with app.test_request_context("/", headers=headers):
            real = request._get_current_object()  # type: ignore[attr-defined]

            def sign() -> str:
                g.pop("csrf_token", None)  # Flask-WTF's per-request memo: sign afresh
                return generate_csrf()

            rows = [("session cookie checked (open_session)",
                     per_call(lambda: interface.open_session(app, real), args.n, args.rounds)),
                    ("CSRF token signed (generate_csrf)", per_call(sign, args.n, args.rounds)),
                    ("dictionary hit and copy", per_call(lambda: dict(cache[cookie]), args.n,
                                                         args.rounds))]
    print(f"cookie {len(cookie)} characters; CPU ms per call, minimum of {args.rounds} rounds "
          f"of {args.n}")
    for name, ms in rows:
        print(f"{name:40} {ms:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
