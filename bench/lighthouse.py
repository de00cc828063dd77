"""Lighthouse accessibility scores for the resident pages of the demo survey (issue 17).

Not part of the test suite, and Lighthouse is not a dependency of the project: it is the npm
package `lighthouse`, installed by hand outside the repository, and it drives Debian's chromium
(CHROME_PATH=/usr/bin/chromium; it never downloads a browser). For example:

    mkdir -p /tmp/lh && cd /tmp/lh && npm init -y && npm install lighthouse@12.8.2
    cd <repository> && PYTHONPATH=. .venv/bin/python bench/lighthouse.py \\
        --lighthouse /tmp/lh/node_modules/.bin/lighthouse

What it does: makes a temporary SQLite database, runs `flask --app engage db upgrade` and
`flask --app engage demo`, serves the app with `flask --app engage run --port 5077`, starts the
demo survey as a resident in each language (English, Bengali) with `requests`, then runs
Lighthouse (mobile form factor, the default; accessibility only) on the start page and on every
question page of the route, passing the resident's session cookie (and language) with
--extra-headers. It also scores the first page as shown after Continue with nothing filled in
(the error summary), the resume-link page after "Save and come back later", Check your answers
(every page filled with the demo's generated answers) and the confirmation page.
It also scores the public hub pages (issue 18): /consultations, the demo's open consultation
and its consultation with results, and /plan; `--hub-only` scores just those.
Prints one line per page and language, and the audits that failed; exits 1 when any score is
under 100. With --base-url it uses a server already running (with the demo loaded) instead.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
SLUG = "residents-2026"
LANGUAGES = ("en", "bn")
CHROME_FLAGS = "--headless=new --no-sandbox"


def _flask(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "engage", *args],
                              cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed: see {log}")


def serve_demo(workdir: Path, port: int) -> tuple[subprocess.Popen[bytes], str]:
    """A fresh demo on a temporary SQLite database, served on 127.0.0.1:port."""
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(ROOT), ENGAGE_ENV="development",
               DATABASE_URL=f"sqlite:///{workdir / 'engage.db'}", BASE_URL=base,
               ENGAGE_DEMO_PASSWORD=os.environ.get("ENGAGE_DEMO_PASSWORD", "lighthouse-demo"),
               RATELIMIT_ENABLED="0")
    _flask(["db", "upgrade"], env, workdir / "setup.log")
    _flask(["demo"], env, workdir / "setup.log")
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "engage", "run", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return server, base
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server did not start: see {workdir / 'server.log'}")


def resident(base: str, lang: str) -> requests.Session:
    """A browser session that chose the language on the start page and started the survey."""
    session = requests.Session()
    page = session.get(f"{base}/s/{SLUG}/", params={"lang": lang}, timeout=30)
    page.raise_for_status()
    started = session.post(f"{base}/s/{SLUG}/start", data={"csrf_token": _token(page.text)},
                           timeout=30)
    started.raise_for_status()
    if "/q/" not in started.url:
        raise SystemExit(f"starting the survey led to {started.url}")
    return session


def _demo_survey() -> Any:
    sys.path.insert(0, str(ROOT))
    import surveys  # the engine, only to list the pages and fill them

    data = json.loads((ROOT / "engage" / "demo" / f"{SLUG}.json").read_text("utf-8"))
    return surveys.load_survey_or_raise(data)


def question_pages() -> list[str]:
    """The pages on the demo survey's route before anything is answered."""
    import surveys

    return list(surveys.path_questions(_demo_survey(), {}))


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:
        raise SystemExit("no CSRF token on the page")
    return found.group(1)


def answered(base: str, lang: str, seed: int) -> requests.Session:
    """A resident who answered every page (with the demo's generated answers) and is on
    Check your answers."""
    import surveys
    from engage.demo.answers import generate_response

    survey = _demo_survey()
    answers = generate_response(survey, random.Random(seed))["answers"]
    session = resident(base, lang)
    for page_id in surveys.path_questions(survey, answers):
        url = f"{base}/s/{SLUG}/q/{page_id}"
        form = surveys.to_form_data(survey, page_id, answers)
        session.post(url, data={**form, "csrf_token": _token(session.get(url, timeout=30).text)},
                     timeout=30).raise_for_status()
    if not session.get(f"{base}/s/{SLUG}/check", timeout=30).url.endswith("/check"):
        raise SystemExit("the generated answers did not reach Check your answers")
    return session


def submitted(base: str, lang: str) -> requests.Session:
    """A resident who sent their answers (on the confirmation page)."""
    session = answered(base, lang, seed=2)
    page = session.get(f"{base}/s/{SLUG}/check", timeout=30)
    done = session.post(f"{base}/s/{SLUG}/submit", data={"csrf_token": _token(page.text)},
                        timeout=30)
    if not done.url.endswith("/done"):
        raise SystemExit(f"sending the answers led to {done.url}")
    return session


def saved_for_later(base: str, lang: str, page_id: str) -> requests.Session:
    """A resident who pressed Save and come back later (on the resume link page)."""
    session = resident(base, lang)
    url = f"{base}/s/{SLUG}/q/{page_id}"
    shown = session.post(url, data={"csrf_token": _token(session.get(url, timeout=30).text),
                                    "action": "save"}, timeout=30)
    if not shown.url.endswith("/saved"):
        raise SystemExit(f"Save and come back later led to {shown.url}")
    return session


def with_errors(base: str, lang: str, page_id: str) -> requests.Session:
    """A resident who pressed Continue on a page with nothing filled in."""
    session = resident(base, lang)
    url = f"{base}/s/{SLUG}/q/{page_id}"
    shown = session.post(url, data={"csrf_token": _token(session.get(url, timeout=30).text)},
                         timeout=30)
    if "govuk-error-summary" not in shown.text:
        raise SystemExit(f"{page_id}: no error summary after an empty Continue")
    return session


def lighthouse(binary: str, url: str, headers: dict[str, str], out: Path) -> dict[str, Any]:
    """Lighthouse's JSON report on one page, fetched with the resident's headers."""
    headers_file = out.with_suffix(".headers.json")
    headers_file.write_text(json.dumps(headers), "utf-8")
    subprocess.run(
        [binary, url, "--only-categories=accessibility", f"--chrome-flags={CHROME_FLAGS}",
         f"--extra-headers={headers_file}", "--output=json", f"--output-path={out}", "--quiet"],
        check=True, env=dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH",
                                                                     "/usr/bin/chromium")))
    report: dict[str, Any] = json.loads(out.read_text("utf-8"))
    if report["finalDisplayedUrl"] != url:  # sent elsewhere: not the page meant
        raise SystemExit(f"{url} led to {report['finalDisplayedUrl']}")
    return report


def failures(report: dict[str, Any]) -> list[str]:
    return [f"{key}: {audit['title']}" for key, audit in report["audits"].items()
            if audit.get("scoreDisplayMode") in ("binary", "numeric")
            and audit.get("score") is not None and audit["score"] < 1]


def resident_headers(session: requests.Session, lang: str) -> dict[str, str]:
    """The headers Lighthouse sends: the resident's session cookie and language."""
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.get_dict().items())
    return {"Cookie": cookie, "Accept-Language": lang}


def html_lang(url: str, headers: dict[str, str]) -> str:
    """The language of the page as served with these headers."""
    found = re.search(r'<html lang="([^"]+)"', requests.get(url, headers=headers, timeout=30).text)
    return found.group(1) if found else "?"


HUB_PAGES = (
    ("consultations", "/consultations"),
    ("consultation (open)", "/consultations/libraries-2027"),
    ("consultation (results)", "/consultations/residents-survey-2026"),
    ("plan", "/plan"),
)
"""The public hub pages of the demo (issue 18)."""


def resident_targets(base: str, lang: str, pages: list[str],
                     session: requests.Session) -> list[tuple[str, str, requests.Session]]:
    """The survey's pages as a resident sees them: start, every question, errors, saved,
    check your answers, done."""
    targets = [("start", f"{base}/s/{SLUG}/", session)]
    targets += [(page, f"{base}/s/{SLUG}/q/{page}", session) for page in pages]
    targets.append((f"{pages[0]} (errors)", f"{base}/s/{SLUG}/q/{pages[0]}",
                    with_errors(base, lang, pages[0])))
    targets.append(("saved", f"{base}/s/{SLUG}/saved", saved_for_later(base, lang, pages[0])))
    targets.append(("check", f"{base}/s/{SLUG}/check", answered(base, lang, seed=1)))
    targets.append(("done", f"{base}/s/{SLUG}/done", submitted(base, lang)))
    return targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", required=True,
                        help="path of the lighthouse binary (npm package lighthouse)")
    parser.add_argument("--base-url", help="a running server with the demo loaded")
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--out", type=Path, help="folder for the JSON reports (default: temporary)")
    parser.add_argument("--hub-only", action="store_true",
                        help="score only the consultation hub and plan pages")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="engage-lighthouse-"))
    out = args.out or workdir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    version = subprocess.run([args.lighthouse, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    chromium = subprocess.run([os.environ.get("CHROME_PATH", "/usr/bin/chromium"), "--version"],
                              capture_output=True, text=True).stdout.strip()
    print(f"lighthouse {version}; {chromium}; reports in {out}")
    server = None
    if args.base_url:
        base = args.base_url.rstrip("/")
    else:
        server, base = serve_demo(workdir, args.port)
    worst = 100
    try:
        pages = question_pages()
        for lang in LANGUAGES:
            session = resident(base, lang)
            targets = [(name, f"{base}{path}", session) for name, path in HUB_PAGES]
            if not args.hub_only:
                targets += resident_targets(base, lang, pages, session)
            for name, url, who in targets:
                headers = resident_headers(who, lang)
                shown = html_lang(url, headers)
                if shown != lang:
                    raise SystemExit(f"{url} is in {shown}, not {lang}")
                report = lighthouse(args.lighthouse, url, headers,
                                    out / f"{lang}-{re.sub(r'[^a-z0-9-]', '', name)}.json")
                score = round(100 * (report["categories"]["accessibility"]["score"] or 0))
                worst = min(worst, score)
                form = report["configSettings"]["formFactor"]
                print(f"{lang}  {name:28} {score:3}  ({form})", flush=True)
                for failed in failures(report):
                    print(f"      failed {failed}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
