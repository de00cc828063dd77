"""SPSS export benchmark: the .sav of 20,000 responses to the demo survey (30 questions of every
type) on SQLite, as an analyst (text as written) and as an engagement officer (text redacted).
Each measurement runs in its own process; goal <= 30 s. CPU seconds are printed too: on a
shared, loaded machine they say more than the wall-clock time.

    python bench/spss_bench.py [--responses 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")


def measure(url: str, role: str) -> dict[str, float]:
    """Seconds to build the .sav (query, code, redact, write) and its size in bytes."""
    from bench.insight_bench import _app
    from engage.demo.surveys import SLUG
    from engage.services.platform.accounts import create_user
    from engage.services.report import export_spss

    app = _app(url)
    with app.app_context(), app.test_request_context():
        user = create_user(f"bench-sav-{time.time_ns()}@example.org", role,
                           "a-long-bench-password-123")
        start, cpu = time.perf_counter(), time.process_time()
        export = export_spss.responses_sav(SLUG, user)
        size = sum(len(chunk) for chunk in export.chunks)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "bytes": size, "rows": export.rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--measure", nargs=2, metavar=("URL", "ROLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    from bench.insight_bench import build

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        started = time.perf_counter()
        build(url, args.responses)
        print(f"built {args.responses} responses in {time.perf_counter() - started:.1f} s",
              flush=True)
        for role in ("analyst", "engagement_officer"):
            out = subprocess.run([sys.executable, __file__, "--measure", url, role],
                                 check=True, capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(f".sav of {result['rows']:,} responses as {role}: {result['seconds']:.1f} s "
                  f"({result['cpu']:.1f} s of CPU), "
                  f"{result['bytes'] / 2**20:.1f} MB (load {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
