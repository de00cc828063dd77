"""File import benchmark (issue 6): a CSV of N rows (goal: 50,000 rows in 60 s, memory flat).

Runs the real service end to end on a fresh, migrated SQLite database (or --database-url):
upload (every row read and counted), the suggested column mapping, then `run_import` (what the
background job runs: every row checked, then every row written in short transactions of 1,000
hidden 'importing' responses with their free text, then all shown in one last transaction).
The check pass is also timed on its own first, so the write pass is `import_s - check_pass_s`.
Each batch's transaction (insert + commit: what holds SQLite's write lock) is timed, and so is
the last transaction that makes the rows visible.
Each size runs in its own process so peak RSS is that size's own; a second run of each size
under tracemalloc gives the peak of Python allocations during `run_import`.

    python bench/import_bench.py [--sizes 10000 50000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WARDS = ["Bow East", "Bow West", "Bromley North", "Poplar", "E1 6AN", "Whitechapel"]
HEADER = ("Do you use the library?,Which services?,Visits last year,Rating,Last visit,"
          "The library is clean,What would you improve?,Group name,Where do you live?\n")
AGREE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", ""]
SERVICES = ["Books", "Books; Computers", "Events", "", "Computers; Events"]
IDEAS = ["More seats and longer opening hours at weekends", "Quieter study rooms",
         "Better wifi, it drops all the time", "", "Children's events in the holidays"]


def write_csv(path: Path, rows: int, seed: int = 6) -> int:
    """A CSV like another survey tool's export; returns its size in bytes."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for _ in range(rows):
            day = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/2026"
            out.write(",".join([
                rng.choice(["Yes", "No"]), rng.choice(SERVICES), str(rng.randint(0, 200)),
                str(rng.randint(0, 10)), day, rng.choice(AGREE),
                f'"{rng.choice(IDEAS)}"', rng.choice(["", "Friends of the library"]),
                rng.choice(WARDS)]) + "\n")
    return path.stat().st_size


def definition() -> dict[str, Any]:
    """The benchmark survey (the same shape as the tests' import survey)."""
    from tests.imports_data import DEFINITION

    return DEFINITION


def one(rows: int, database_url: str | None, trace: bool) -> dict[str, Any]:
    """Run one import of `rows` rows in this process and return its figures."""
    os.environ["ENGAGE_ENV"] = "testing"
    from flask_migrate import upgrade

    from engage import create_app
    from engage.extensions import db
    from engage.services.collect import import_writing, imports
    from engage.services.collect.published_surveys import publish_definition
    from engage.services.platform.accounts import create_user

    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    url = database_url or f"sqlite:///{work / 'engage.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 48,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    csv_path = work / "export.csv"
    size = write_csv(csv_path, rows)
    with app.app_context():
        upgrade()
        user = create_user("bench@example.org", "engagement_officer", "a-long-bench-password")
        publish_definition(definition(), lawful_basis="Public task", privacy_notice="1 year")
        content = csv_path.read_bytes()
        start = time.perf_counter()
        record = imports.create_import(user, "import-test", f"bench {rows}", "export.csv",
                                       content)
        del content
        upload_s = time.perf_counter() - start
        problems = imports.save_columns(record, user, imports.plan_of(record).columns)
        assert not problems, problems
        start = time.perf_counter()
        count, _errors = imports.check_all(record)  # the first pass alone, to split the time
        check_s = time.perf_counter() - start
        assert count == 0
        batches: list[float] = []
        write_batch = import_writing._write_batch

        def timed_batch(*args: Any) -> None:
            begin = time.perf_counter()
            write_batch(*args)
            batches.append(time.perf_counter() - begin)

        import_writing._write_batch = timed_batch  # type: ignore[assignment]
        shown_at: list[float] = []

        def progress(percent: int, _message: str) -> None:
            if percent == 96:  # the last transaction (make every row visible) starts
                shown_at.append(time.perf_counter())

        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        outcome = import_writing.run_import(record, user, progress)
        end = time.perf_counter()
        import_s = end - start
        traced = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
        assert outcome.error_count == 0, outcome.errors[:5]
        assert outcome.imported == rows
        db.engine.dispose()
    return {"rows": rows, "bytes": size, "upload_s": round(upload_s, 2),
            "import_s": round(import_s, 2), "total_s": round(upload_s + import_s, 2),
            "check_pass_s": round(check_s, 2), "write_pass_s": round(import_s - check_s, 2),
            "rows_per_s": round(rows / import_s),
            "batch_tx_median_s": round(statistics.median(batches), 3),
            "batch_tx_max_s": round(max(batches), 3),
            "final_tx_s": round(end - shown_at[0], 3), "tracemalloc_peak_mib":
                round(traced / 2**20, 1) if trace else None,
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--database-url")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.database_url, args.trace)))
        return
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    for rows in args.sizes:
        for trace in (False, True):
            command = [sys.executable, __file__, "--one", str(rows)]
            if args.database_url:
                command += ["--database-url", args.database_url]
            if trace:
                command.append("--trace")
            done = subprocess.run(command, check=True, capture_output=True, text=True,
                                  env={**os.environ, "PYTHONPATH": str(REPO)})
            print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
