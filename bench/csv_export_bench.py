"""CSV export throughput in process (issue 21): rows per second of `exports.responses_csv`,
consumed to the end and encoded as the server sends it, as an administrator (no redaction).

Two kinds of database:

- PostgreSQL built by bench/scale_bench.py (its `build`; the latest wave is `residents-2026`):
      python bench/csv_export_bench.py --database-url postgresql+psycopg://...scale_bench
- SQLite, built here the way scale_bench builds (the demo survey, N sent responses drawn from
  400 generated answer sets with the demo's channel mix and fieldwork details, a weighting
  run), in a fresh file:
      python bench/csv_export_bench.py --build 20000 --database-url sqlite:////tmp/x.db

`--repeats` exports (3 by default) after one warm-up; the median is reported. `--profile`
prints a cProfile of one more export. Rows per CPU second of this process (the export's own
work, without the database server's) are reported too: on a machine shared with other work
they vary less than rows per second. Peak Python memory of the export (tracemalloc) is
measured on a separate, last export (tracing slows it, so it is not timed).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.scale_bench import ADMIN, PASSWORD, POOL, _reference, app_for, server_env  # noqa: E402


def build_sqlite(responses: int, seed: int = 21) -> None:
    """The demo survey with `responses` sent responses, batched inserts (scale_bench's mix)."""
    from sqlalchemy import func, select

    from engage.demo.answers import generate_response
    from engage.demo.surveys import CHANNEL_MIX, LAWFUL_BASIS, PRIVACY, demo_definition
    from engage.extensions import db
    from engage.models import Response, Survey
    from engage.models._types import utcnow
    from engage.services.code import weighting
    from engage.services.collect.published_surveys import loaded_definition, publish_definition
    from engage.services.platform.accounts import create_user

    if db.session.scalar(select(func.count(Survey.id))):
        sys.exit("the database already holds surveys: give the benchmark a fresh one")
    create_user(ADMIN, "admin", PASSWORD, name="Scale bench")
    interviewer_id = create_user("scale-interviewer@example.org", "interviewer", PASSWORD,
                                 name="Scale interviewer").id
    definition = demo_definition()
    definition["id"] = "residents-2026"
    version = publish_definition(definition, lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
    survey_id, version_id = version.survey_id, version.id
    loaded = loaded_definition(version)
    rng = random.Random(seed)
    pool = [generate_response(loaded, rng) for _ in range(POOL)]
    channels = [c for c, _ in CHANNEL_MIX]
    channel_weights = [w for _, w in CHANNEL_MIX]
    now = utcnow()
    table = Response.__table__
    batch: list[dict[str, Any]] = []
    for rid in range(1, responses + 1):
        generated = pool[rng.randrange(POOL)]
        channel = rng.choices(channels, channel_weights)[0]
        submitted = min(datetime(2026, 9, 1, tzinfo=UTC) + timedelta(
            days=rng.uniform(0, 90), minutes=rng.uniform(0, 1440)), now - timedelta(minutes=1))
        started = submitted - timedelta(minutes=rng.uniform(4, 25))
        assisted = channel in ("face_to_face", "phone")
        batch.append({
            "survey_id": survey_id, "survey_version_id": version_id, "status": "submitted",
            "channel": channel, "language": generated["language"],
            "answers": generated["answers"], "current_page": "",
            "reference": _reference("S", rid), "started_at": started, "updated_at": submitted,
            "submitted_at": submitted, "interviewer_id": interviewer_id if assisted else None,
            "proxy": assisted and rid % 23 == 0,
            "batch": (f"Fieldwork week {rid % 4 + 1}" if assisted else
                      f"Paper batch {rid % 3 + 1}" if channel == "paper" else None),
            "sheet_number": str(rid) if channel == "paper" else None,
            "consent_recorded_at": started if assisted else None})
        if len(batch) == 5000:
            db.session.execute(table.insert(), batch)
            batch = []
    if batch:
        db.session.execute(table.insert(), batch)
    db.session.commit()
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    weighting.load_illustrative_population(survey)
    weighting.quotas_from_population(survey, responses)
    outcome = weighting.run_weighting(survey)
    if outcome.run is None:
        sys.exit("weighting did not run: " + "; ".join(p.message for p in outcome.problems))


def export_once(slug: str, admin: Any) -> tuple[int, int, float, float]:
    """(rows, bytes, seconds, CPU seconds of this process) of one export read to the end as
    UTF-8 bytes."""
    from engage.services.report import exports

    started, cpu = time.perf_counter(), time.process_time()
    export = exports.responses_csv(slug, admin)
    size = 0
    for chunk in export.chunks:
        size += len(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    return export.rows, size, time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--slug", default="residents-2026")
    ap.add_argument("--build", type=int, default=0, help="build N responses first (SQLite)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json", type=Path, help="where to write the figures")
    args = ap.parse_args()
    os.environ.update(server_env(args.database_url))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    app = app_for(args.database_url)
    from sqlalchemy import select

    from engage.extensions import db
    from engage.migrating import upgrade_once
    from engage.models import User

    if args.build:
        upgrade_once(app)
    with app.app_context():
        if args.build:
            started = time.perf_counter()
            build_sqlite(args.build)
            print(f"built {args.build:,} responses in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
        admin = db.session.scalar(select(User).where(User.email == ADMIN))
        if admin is None:
            sys.exit(f"no {ADMIN} in this database: build it with scale_bench or --build")
        export_once(args.slug, admin)  # warm-up: imports, caches, the database's pages
        runs = [export_once(args.slug, admin) for _ in range(args.repeats)]
        rows, size = runs[0][0], runs[0][1]
        rates = [r / s for r, _, s, _ in runs]
        cpu_rates = [r / c for r, _, _, c in runs]
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            export_once(args.slug, admin)
            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        tracemalloc.start()
        export_once(args.slug, admin)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    out = {"database": args.database_url.split(":", 1)[0], "slug": args.slug, "rows": rows,
           "bytes": size, "repeats": args.repeats,
           "rows_per_s": [round(r) for r in rates],
           "median_rows_per_s": round(statistics.median(rates)),
           "rows_per_cpu_s": [round(r) for r in cpu_rates],
           "median_rows_per_cpu_s": round(statistics.median(cpu_rates)),
           "peak_traced_mb": round(peak / 2**20, 1), "load_at_start": load,
           "cpu": os.cpu_count(), "python": sys.version.split()[0]}
    print(json.dumps(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
