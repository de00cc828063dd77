"""Weighting run benchmark (issue 6): the service end to end on a database of demo responses.

Publishes the demo survey in a fresh SQLite database, bulk-inserts N demo responses (the demo
generator's answers), loads the illustrative population, then times:
- `run_weighting`: read every complete response, map answers to ward/age/sex, rake, store the
  run and N weights (the write transaction is timed on its own: R5 wants it short);
- `weighted_results`: every closed question with the stored weights;
- `fieldwork`: achieved against quota per cell and margin.

    python bench/weighting_run_bench.py [--n 20000] [--runs 3]
        [--write docs/benchmarks-weighting-run.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _app(path: Path):  # type: ignore[no-untyped-def]
    from tests.conftest import make_app, migrate

    url = f"sqlite:///{path}"
    migrate(url)
    return make_app(url)


def _fill(n: int) -> None:
    from sqlalchemy import select

    from bench.survey_prep import bulk_insert
    from engage.demo import surveys as demo
    from engage.demo.answers import generate_response
    from engage.extensions import db
    from engage.models import Survey
    from engage.models._types import utcnow
    from engage.services.collect.published_surveys import loaded_definition

    for _ in demo.load(target=0):
        pass
    survey = db.session.scalar(select(Survey).where(Survey.slug == demo.SLUG))
    version = survey.versions[-1]
    definition = loaded_definition(version)
    rng = random.Random(6)
    now = utcnow()
    bulk_insert({"survey_id": survey.id, "survey_version_id": version.id,
                 "status": "submitted", "channel": "online", "language": "en",
                 "answers": generate_response(definition, rng)["answers"], "current_page": "",
                 "reference": f"B{i:08d}", "started_at": now, "updated_at": now,
                 "submitted_at": now, "batch": f"Week {i % 4 + 1}", "proxy": False}
                for i in range(n))


def measure(n: int, runs: int) -> dict[str, object]:
    """Build the database and time each step `runs` times."""
    from engage.services.code import weighting as w
    from engage.services.code.weighting import runs as run_module

    tmp = Path(tempfile.mkdtemp()) / "bench.sqlite"
    app = _app(tmp)
    out: dict[str, object] = {"n": n}
    with app.app_context():
        started = time.perf_counter()
        _fill(n)
        out["fill_s"] = time.perf_counter() - started
        w.load_illustrative_population("residents-2026")
        w.quotas_from_population("residents-2026", n)
        transaction: list[float] = []
        original = run_module.in_transaction

        def timed(work):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return original(work)
            finally:
                transaction.append(time.perf_counter() - t0)

        run_module.in_transaction = timed  # type: ignore[assignment]
        totals, results, fieldwork, profiles, longest, repeat = [], [], [], [], [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            rows = list(w.complete_responses(w.resolve_survey("residents-2026").id))
            profiles.append(time.perf_counter() - t0)
            before = len(transaction)
            t0 = time.perf_counter()
            outcome = w.run_weighting("residents-2026")
            totals.append(time.perf_counter() - t0)
            longest.append(max(transaction[before:]))
            run = outcome.run
            assert run is not None, outcome.problems
            t0 = time.perf_counter()
            w.weighted_results("residents-2026")
            results.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            w.weighted_results("residents-2026")
            repeat.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            w.fieldwork("residents-2026")
            fieldwork.append(time.perf_counter() - t0)
        run_module.in_transaction = original  # type: ignore[assignment]
        assert len(rows) == n
        out.update(run_total=totals, transaction=longest, results=results, repeat=repeat,
                   fieldwork=fieldwork, profiles=profiles, converged=run.converged,
                   deff=run.design_effect, iterations=run.iterations,
                   error_pp=run.max_margin_error * 100)
    return out


def report(m: dict[str, object], runs: int) -> str:
    """The figures as Markdown."""
    med = statistics.median
    load = os.getloadavg()[0]

    def row(label: str, key: str) -> str:
        values = m[key]
        assert isinstance(values, list)
        return (f"| {label} | {med(values):.3f} s | "
                + ", ".join(f"{v:.3f}" for v in values) + " |")

    return "\n".join([
        "# Benchmarks: a weighting run through the service (issue 6)",
        "",
        f"{m['n']:,} submitted demo responses of the demo survey in SQLite (answers from the "
        "demo generator, so ward, age and sex are read from the answers as in production), the "
        "illustrative population, default settings (trimming 5× / 0.2×, missing values kept).",
        "",
        f"| Step | median of {runs} | runs (s) |",
        "| --- | ---: | --- |",
        row("read responses and map answers to ward/age/sex (`complete_responses`)", "profiles"),
        row("`run_weighting` end to end (read, map, rake, store run and weights)", "run_total"),
        row("its longest write transaction (weights go in batches of 5,000 per transaction)",
            "transaction"),
        row("`weighted_results` (every closed question, stored weights)", "results"),
        row("the same `weighted_results` again (kept in memory until the data change)",
            "repeat"),
        row("`fieldwork` (cells and margins against quotas)", "fieldwork"),
        "",
        f"Converged: {m['converged']} in {m['iterations']} rounds; largest margin gap "
        f"{m['error_pp']:.5f} percentage points; design effect {m['deff']:.2f}.",
        f"Filling the database took {m['fill_s']:.1f} s (not part of the figures).",
        "",
        "## Command",
        "",
        "    python bench/weighting_run_bench.py --write docs/benchmarks-weighting-run.md",
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {os.cpu_count()}; Python {platform.python_version()}; "
        f"load average at the end {load:.1f}",
        f"- Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with other sessions' work "
        "running on the same 2 cores: read the figures as upper bounds.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    text = report(measure(args.n, args.runs), args.runs)
    print(text)
    if args.write:
        args.write.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
