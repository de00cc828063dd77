"""In-process cost of the survey runner's requests, without a server or a network in the way.

Each request of a resident's journey (start page, question page GET and POST, check your
answers, submit, confirmation) is run many times through the WSGI app with the headers a
browser sends (gzip, or another --encoding; a session cookie), and its CPU time per request is
printed next to a bare Flask "hello"; --profile NAME prints a cProfile of that request.

    python bench/survey_profile.py [--n 500] [--limits] [--encoding identity]
        [--profile question-get]
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
ENCODING = "gzip"  # the Accept-Encoding sent (--encoding)


def call(app: Any, method: str, path: str, cookie: str = "", form: str = "") -> tuple[int, bytes,
                                                                                       str]:
    """One request through the WSGI app: status, body, and the new cookie if one was set."""
    from werkzeug.test import EnvironBuilder

    headers = {"Accept-Encoding": ENCODING, "Accept-Language": "en-GB,en;q=0.9"}
    if cookie:
        headers["Cookie"] = cookie
    builder = EnvironBuilder(path=path, method=method, headers=headers, data=form or None,
                             content_type="application/x-www-form-urlencoded" if form else None,
                             base_url="http://127.0.0.1:8000")
    environ = builder.get_environ()
    out: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Any:
        out["status"] = int(status.split()[0])
        out["headers"] = response_headers
        return lambda data: None

    body = b"".join(app(environ, start_response))
    if ("Content-Encoding", "gzip") in out["headers"]:
        body = gzip.decompress(body)
    elif ("Content-Encoding", "br") in out["headers"]:
        import brotli

        body = brotli.decompress(body)
    new_cookie = next((v.split(";", 1)[0] for k, v in out["headers"] if k == "Set-Cookie"), "")
    return out["status"], body, new_cookie or cookie


def timed(fn: Callable[[], Any], n: int) -> float:
    """CPU milliseconds per call (process time: what a busy machine disturbs least)."""
    fn()
    started = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - started) * 1000 / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--profile", help="print a cProfile of this request (a name below)")
    ap.add_argument("--limits", action="store_true", help="rate limits on (memory storage)")
    ap.add_argument("--encoding", default="gzip",
                    help="Accept-Encoding sent: gzip (as browsers), br, or identity (as "
                         "survey_bench.py's wrk and simulated residents)")
    args = ap.parse_args()
    global ENCODING
    ENCODING = args.encoding
    with tempfile.TemporaryDirectory(prefix="engage-survey-profile-") as tmp:
        os.environ.update({"ENGAGE_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48),
                           "ENGAGE_INSECURE_COOKIES": "1", "DATABASE_URL":
                           f"sqlite:///{tmp}/profile.sqlite",
                           "RATELIMIT_ENABLED": "1" if args.limits else "0",
                           "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost"})
        os.environ.pop("REDIS_URL", None)
        from bench.http_bench import migrate

        migrate({**os.environ, "PYTHONPATH": str(REPO)})
        from bench.hello_app import app as hello
        from bench.survey_prep import prepare
        from engage import create_app

        prep = prepare(args.n * 2 + 10)
        slug = prep["slug"]
        app = create_app()
        pairs = iter(prep["pairs"])
        cookie, token = next(pairs)
        cookie = f"engage_session={cookie}"
        first = prep["journeys"][0][0][0]
        page_form = prep["journeys"][0][0][1]
        from urllib.parse import urlencode

        status, body, fresh = call(app, "GET", f"/s/{slug}/")
        assert status == 200, status
        start_token = TOKEN.search(body).group(1).decode()  # type: ignore[union-attr]

        def submit_once() -> None:
            c, t = next(pairs)
            status, _b, _c = call(app, "POST", f"/s/{slug}/submit", f"engage_session={c}",
                                  urlencode({"csrf_token": t}))
            assert status == 303, status

        status, body, _ = call(app, "GET", f"/s/{slug}/q/{first}", cookie)
        assert status == 200, (status, body[:200])
        post_form = urlencode({"csrf_token": token, **page_form}, doseq=True)
        requests: dict[str, Callable[[], Any]] = {
            "hello": lambda: hello.wsgi_app(*_hello_args()),
            "start-get": lambda: call(app, "GET", f"/s/{slug}/", fresh),
            "start-post": lambda: call(app, "POST", f"/s/{slug}/start", fresh,
                                       urlencode({"csrf_token": start_token})),
            "question-get": lambda: call(app, "GET", f"/s/{slug}/q/{first}", cookie),
            "question-post": lambda: call(app, "POST", f"/s/{slug}/q/{first}", cookie, post_form),
            "check-get": lambda: call(app, "GET", f"/s/{slug}/check", cookie),
            "submit-post": submit_once,
        }
        if args.profile:
            fn = requests[args.profile]
            fn()
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(args.n):
                fn()
            prof.disable()
            text = io.StringIO()
            stats = pstats.Stats(prof, stream=text)
            stats.sort_stats(os.environ.get("SORT", "cumulative")).print_stats(60)
            if os.environ.get("CALLERS"):
                pstats.Stats(prof, stream=text).print_callers(os.environ["CALLERS"])
            if os.environ.get("CALLEES"):
                pstats.Stats(prof, stream=text).print_callees(os.environ["CALLEES"])
            print(text.getvalue())
            return 0
        base = timed(requests["hello"], args.n)
        print(f"{'request':14} {'CPU ms':>8} {'× hello':>8}")
        for name, fn in requests.items():
            ms = base if name == "hello" else timed(fn, args.n if name != "submit-post"
                                                     else args.n // 2)
            print(f"{name:14} {ms:8.3f} {ms / base:8.1f}")
    return 0


def _hello_args() -> tuple[dict[str, Any], Callable[..., Any]]:
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path="/", headers={"Accept-Encoding": "gzip"},
                             base_url="http://127.0.0.1:8000").get_environ()
    return environ, lambda *a, **k: (lambda data: None)


if __name__ == "__main__":
    raise SystemExit(main())
