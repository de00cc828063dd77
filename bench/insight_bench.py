"""Insight benchmarks: CSV and XLSX exports of 100,000 responses, and the insight report for
20,000, on a SQLite copy of the demo survey. Each measurement runs in its own process, so its
peak memory (ru_maxrss) minus the memory after start-up is what the export itself needed.

    python bench/insight_bench.py [--responses 100000] [--report-responses 20000]
                                  [--write docs/benchmarks-insight.md]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")


def _app(url: str):  # type: ignore[no-untyped-def]
    from tests.conftest import make_app

    return make_app(url, RATELIMIT_ENABLED=False)


def build(url: str, count: int) -> None:
    """Migrate, publish the demo survey, and insert `count` responses from a pool of 500."""
    from bench.survey_prep import insert_submitted
    from engage.demo import surveys as demo
    from engage.services.collect.published_surveys import loaded_definition
    from tests.conftest import migrate

    migrate(url)
    app = _app(url)
    with app.app_context():
        list(demo.load(target=1))
        survey = demo.db.session.scalar(demo.select(demo.Survey).where(
            demo.Survey.slug == demo.SLUG))
        version = survey.versions[-1]
        insert_submitted(survey.id, version.id, loaded_definition(version), count - 1)


def measure(url: str, what: str) -> dict[str, float]:
    """Run one export or the report; seconds, peak memory above start-up in MB, size."""
    import psutil

    from engage.demo.surveys import SLUG
    from engage.services.platform.accounts import create_user
    from engage.services.report import export_xlsx, exports
    from engage.services.report import insight_report as report

    app = _app(url)
    with app.app_context(), app.test_request_context():
        user = create_user(f"bench-{what}-{time.time_ns()}@example.org", "analyst",
                           "a-long-bench-password-123")
        idle = psutil.Process().memory_info().rss / 2**20
        start = time.perf_counter()
        size = 0
        if what == "csv":
            export = exports.responses_csv(SLUG, user)
            for chunk in export.chunks:
                size += len(chunk)
        elif what == "xlsx":
            export = export_xlsx.workbook_xlsx(SLUG, user)
            for chunk in export.chunks:
                size += len(chunk)
        else:
            built = report.build_report(SLUG)
            from flask import render_template

            size = len(render_template("staff/insight/report.html", report=built))
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "idle_mb": idle, "extra_mb": peak - idle, "bytes": size}


def _child(url: str, what: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", url, what], check=True,
                         capture_output=True, text=True, env={**os.environ,
                                                              "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--report-responses", type=int, default=20_000)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        big = f"sqlite:///{folder}/big.sqlite"
        small = f"sqlite:///{folder}/small.sqlite"
        t0 = time.perf_counter()
        build(big, args.responses)
        build(small, args.report_responses)
        setup = time.perf_counter() - t0
        results = {
            f"CSV of {args.responses:,} responses": (_child(big, "csv"), 20),
            f"XLSX of {args.responses:,} responses": (_child(big, "xlsx"), 90),
            f"Insight report for {args.report_responses:,} responses": (
                _child(small, "report"), 5),
        }
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load:.1f} "
        f"at the start (other sessions were running on the machine), set-up {setup:.0f} s.",
        "",
        "| measure | seconds | goal | peak memory above start-up | output |",
        "|---|---:|---|---:|---:|",
    ]
    for name, (r, goal) in results.items():
        met = "met" if r["seconds"] <= goal else "**not met**"
        lines.append(f"| {name} | {r['seconds']:.1f} | ≤ {goal} s: {met} | "
                     f"{r['extra_mb']:.0f} MB | {r['bytes'] / 1e6:.1f} MB |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(
            "# Insight benchmarks (issue 8)\n\n"
            "`python bench/insight_bench.py --write docs/benchmarks-insight.md`: the demo "
            "survey (30 questions, every type) on SQLite, responses copied from a pool of 500 "
            "generated ones; each measurement in a fresh process, memory as peak RSS minus "
            "resident memory just before the export (goal for the CSV: under 200 MB more "
            "than idle).\n\n"
            + text + "\n")


if __name__ == "__main__":
    main()
