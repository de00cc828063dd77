"""Survey runner benchmark (issue 3), against gunicorn on 127.0.0.1, in one run:

1. question page GET/s against a bare Flask "hello" on the same gunicorn settings (wrk);
2. final submit POST/s with CSRF checked: each request submits its own prepared response (wrk
   with bench/submit.lua), and the confirmations given are checked against database rows;
3. complete journeys/s: simulated residents (processes of this script) open the start page,
   start, GET and POST every page with its CSRF token, check their answers, submit and read the
   confirmation; again confirmations against rows.

    python bench/survey_bench.py [--quick] [--write docs/benchmarks-survey.md]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import (  # noqa: E402
    cpu_seconds,
    free_port,
    machine,
    migrate,
    run_wrk,
    start,
    stop,
    to_ms,
    wait_until_up,
)

TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
REFERENCE = re.compile(rb"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")


def wrk_submit(port: int, pairs_file: Path, slug: str, seconds: int,
               connections: int) -> dict[str, Any]:
    env = {**os.environ, "PAIRS_FILE": str(pairs_file), "SLUG": slug}
    out = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s",
                          "--latency", "-s", str(REPO / "bench" / "submit.lua"),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True,
                         env=env, check=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pct = dict(re.findall(r"^\s+(50|90|99)(?:\.0+)?%\s+(\S+)", out, re.M))
    counts = re.search(r"CONFIRMED (\d+) OTHER (\d+) SENT (\d+)", out)
    assert counts, out
    return {"rps": rps, "p50": to_ms(pct["50"]), "p99": to_ms(pct["99"]),
            "confirmed": int(counts.group(1)), "other": int(counts.group(2)),
            "sent": int(counts.group(3))}


class Resident:
    """One simulated resident with a keep-alive connection and a cookie jar of one cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.latencies: list[float] = []
        self.statuses: list[int] = []

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> bytes:
        headers = {"Accept-Encoding": "identity", "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        self.latencies.append(time.perf_counter() - started)
        self.statuses.append(response.status)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.status == 303:
            location = urllib.parse.urlsplit(response.getheader("Location") or "/")
            return self.request("GET", location.path + (f"?{location.query}"
                                                        if location.query else ""))
        return data


def _token(html: bytes, where: str) -> str:
    found = TOKEN.search(html)
    if found is None:
        raise RuntimeError(f"no CSRF token on {where}: {html[:300]!r}")
    return found.group(1).decode()


def journey(resident: Resident, slug: str, pages: list[tuple[str, dict[str, list[str]]]]) -> str:
    """One resident's whole survey, as a browser does it: each POST's redirect is followed."""
    resident.cookie = ""
    html = resident.request("GET", f"/s/{slug}/")
    html = resident.request("POST", f"/s/{slug}/start", {"csrf_token": _token(html, "start")})
    for page_id, form in pages:
        html = resident.request("POST", f"/s/{slug}/q/{page_id}",
                                {"csrf_token": _token(html, page_id), **form})
    done = resident.request("POST", f"/s/{slug}/submit", {"csrf_token": _token(html, "check")})
    found = REFERENCE.search(done)
    return found.group(1).decode() if found else ""


def resident_worker(args: tuple[int, str, list[Any], float, int]) -> dict[str, Any]:
    port, slug, journeys, seconds, offset = args
    resident = Resident(port)
    cpu = time.process_time()
    deadline = time.monotonic() + seconds
    times, references, pages = [], [], 0
    i = offset
    while time.monotonic() < deadline:
        started = time.perf_counter()
        pages_of = journeys[i % len(journeys)]
        references.append(journey(resident, slug, pages_of))
        times.append(time.perf_counter() - started)
        pages += len(pages_of)
        i += 1
    return {"times": times, "references": references, "latencies": resident.latencies,
            "statuses": resident.statuses, "pages": pages, "cpu": time.process_time() - cpu}


def submitted_rows(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM responses WHERE status='submitted'")
                   .fetchone()[0])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short runs: a smoke test for CI")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--residents", type=int, default=4, help="simulated residents (processes)")
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    seconds, rounds = (3, 1) if args.quick else (args.seconds, args.rounds)
    gunicorn = ["-w", str(args.workers), "--threads", "1", "-k", "sync"]
    wrk = ["-t", "1", "-c", str(args.connections)]
    lines: list[str] = []
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="engage-survey-bench-") as tmp:
        db_path = Path(tmp) / "bench.sqlite"
        env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
               "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
               "DATABASE_URL": f"sqlite:///{db_path}", "RATELIMIT_ENABLED": "0",
               "BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost"}
        for key in ("FLASK_DEBUG", "ENGAGE_DEBUG", "REDIS_URL"):
            env.pop(key, None)
        migrate(env)
        os.environ.update({k: env[k] for k in ("ENGAGE_ENV", "SECRET_KEY", "DATABASE_URL",
                                               "ENGAGE_INSECURE_COOKIES", "BASE_URL",
                                               "TRUSTED_HOSTS")})
        from bench.survey_prep import prepare

        unsent = 1000 * seconds + 1000  # more than one submit run can use
        print(f"preparing {unsent} unsent responses...", file=sys.stderr)
        prep = prepare(unsent)
        slug = prep["slug"]
        pairs_file = Path(tmp) / "pairs.tsv"
        pairs_file.write_text("".join(f"{c}\t{t}\n" for c, t in prep["pairs"]))
        cookie, _token = prep["pairs"][-1]
        ports = {"engage": free_port(), "hello": free_port()}
        procs = []
        try:
            for name, app in (("engage", "engage:create_app()"), ("hello", "bench.hello_app:app")):
                log = Path(tmp) / f"{name}.log"
                procs.append(start(app, ports[name], gunicorn, env, log))
                wait_until_up(f"http://127.0.0.1:{ports[name]}/healthz" if name == "engage"
                              else f"http://127.0.0.1:{ports[name]}/", procs[-1], log)
            # 1. question page GET/s (a resident who has started: cookie of an unsent response)
            question_url = f"http://127.0.0.1:{ports['engage']}/s/{slug}/q/home"
            page_wrk = [*wrk, "-H", f"Cookie: engage_session={cookie}"]
            run_wrk(question_url, 1, page_wrk)
            gets: dict[str, list[tuple[float, float, float, int, int]]] = {"page": [], "hello": []}
            cpu: dict[str, list[float]] = {"page": [], "hello": []}
            for _ in range(rounds):
                for name, url, opts, proc in (
                        ("hello", f"http://127.0.0.1:{ports['hello']}/", wrk, procs[1]),
                        ("page", question_url, page_wrk, procs[0])):
                    before_cpu = cpu_seconds(proc.pid)
                    gets[name].append(run_wrk(url, seconds, opts))
                    cpu[name].append((cpu_seconds(proc.pid) - before_cpu) * 1000
                                     / max(gets[name][-1][3], 1))
            # 2. submits
            before = submitted_rows(db_path)
            submits = [wrk_submit(ports["engage"], pairs_file, slug, seconds, args.connections)]
            time.sleep(2)  # requests in flight when wrk stopped finish on the server
            after = submitted_rows(db_path)
            # 3. journeys: the demo survey (every path), then the 8 pages
            journey_runs = []
            for slug_j, forms in ((slug, prep["journeys"]),
                                  (prep["short"]["slug"], prep["short"]["journeys"])):
                rows_before = submitted_rows(db_path)
                cpu_before = cpu_seconds(procs[0].pid)
                with ProcessPoolExecutor(args.residents) as pool:
                    results = list(pool.map(resident_worker, [
                        (ports["engage"], slug_j, forms, float(seconds * rounds), i * 37)
                        for i in range(args.residents)]))
                journey_runs.append({
                    "results": results, "forms": forms,
                    "server_cpu": cpu_seconds(procs[0].pid) - cpu_before,
                    "rows": submitted_rows(db_path) - rows_before})
        finally:
            for proc in procs:
                stop(proc)

    def med(rows: list[tuple[float, float, float, int, int]], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    hello, page = med(gets["hello"], 0), med(gets["page"], 0)
    sub = submits[0]
    journey_rows, journey_notes, journeys_ok = [], [], True
    for label, run in zip(("demo survey", "8-page survey"), journey_runs, strict=True):
        results = run["results"]
        done = [r for res in results for r in res["references"]]
        jt = [t for res in results for t in res["times"]]
        lat = [t for res in results for t in res["latencies"]]
        errors = sum(1 for res in results for s in res["statuses"] if s >= 500)
        pages_per = statistics.mean(len(j) for j in run["forms"])
        jps = len(done) / (seconds * rounds)
        requests = sum(len(res["statuses"]) for res in results)
        per = max(len(done), 1)
        journey_rows.append(
            f"| complete journeys/s, {label} ({pages_per:.1f} pages, {requests / per:.1f} "
            f"requests each, {args.residents} residents) | {jps:,.1f} | {pct(jt, 0.5):.0f} "
            f"(journey) / {pct(lat, 0.5):.1f} (request) | {pct(jt, 0.99):.0f} / "
            f"{pct(lat, 0.99):.1f} | {errors} | ≥ 40/s (8 pages) |")
        client_cpu = sum(res["cpu"] for res in results)
        journey_notes.append(
            f"- Journeys, {label}: {sum(1 for d in done if d):,} confirmations with a reference, "
            f"{run['rows']:,} rows submitted; CPU per journey: server (gunicorn and workers) "
            f"{run['server_cpu'] * 1000 / per:.1f} ms, simulated residents "
            f"{client_cpu * 1000 / per:.1f} ms ({requests / per:.1f} requests).")
        journeys_ok = journeys_ok and sum(1 for d in done if d) == run["rows"]
    lines += [
        "| Measure | Result | p50 ms | p99 ms | 5xx | Goal |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| bare Flask hello GET/s | {hello:,.0f} | {med(gets['hello'], 1):.1f} | "
        f"{med(gets['hello'], 2):.1f} | {sum(r[4] for r in gets['hello'])} | |",
        f"| question page GET/s | {page:,.0f} ({page / hello:.2f}× hello) | "
        f"{med(gets['page'], 1):.1f} | {med(gets['page'], 2):.1f} | "
        f"{sum(r[4] for r in gets['page'])} | ≥ 0.5× hello |",
        f"| final submit POST/s (CSRF checked) | {sub['rps']:,.0f} | {sub['p50']:.1f} | "
        f"{sub['p99']:.1f} | {sub['other']} not confirmed | ≥ 500/s, p99 ≤ 250 ms |",
        *journey_rows,
        "",
        f"- Submits: {sub['confirmed']:,} confirmations given, {after - before:,} rows submitted "
        f"({sub['sent']:,} requests sent; each prepared response used once; rows beyond the "
        "confirmations are requests still in flight when wrk stopped, at most one per "
        "connection).",
        f"- Server CPU per request (gunicorn and its workers, medians): bare hello "
        f"{statistics.median(cpu['hello']):.2f} ms, question page "
        f"{statistics.median(cpu['page']):.2f} ms; rounds of question page GET/s: "
        f"{', '.join(f'{r[0]:,.0f}' for r in gets['page'])}; hello: "
        f"{', '.join(f'{r[0]:,.0f}' for r in gets['hello'])}.",
        *journey_notes,
        f"- gunicorn {' '.join(gunicorn)}; wrk {' '.join(wrk)}; {rounds} round(s) of "
        f"{seconds} s; SQLite database; {len(prep['journeys'])} distinct answer sets.",
    ]
    print("\n".join(lines))
    # Every confirmation has its row; extra rows can only be requests wrk abandoned in flight.
    in_flight = (after - before) - sub["confirmed"]
    ok = 0 <= in_flight <= args.connections and journeys_ok
    if args.write:
        command = "python bench/survey_bench.py " + " ".join(sys.argv[1:])
        # Hand-written notes below the figures ("## Notes" on) are kept from run to run.
        old = args.write.read_text() if args.write.exists() else ""
        notes = old[old.index("\n## Notes"):] if "\n## Notes" in old else ""
        args.write.write_text("\n".join([
            "## Survey runner (issue 3)", "", f"Command: `{command.strip()}`", "",
            *[f"- {m}" for m in machine(load)], "", *lines, ""]) + notes)
    if not ok:
        print("MISMATCH between confirmations and database rows", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
