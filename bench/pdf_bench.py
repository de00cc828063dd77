"""PDF report benchmark: `GET /staff/surveys/<slug>/report.pdf` for the demo survey (30
questions of every type) with 20,000 responses on SQLite, signed in as an analyst, in English and
in Bengali. Each measurement runs in its own process, so it includes loading WeasyPrint and
matplotlib; CPU seconds are printed too (on a shared, loaded machine they say more than the
wall-clock time). Goal <= 30 s.

    python bench/pdf_bench.py [--responses 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "testing")


def measure(url: str, language: str) -> dict[str, float]:
    """Seconds for the whole request (report, HTML, PDF), the PDF's size and page count."""
    from bench.insight_bench import _app
    from engage.demo.surveys import SLUG
    from tests.pages import make_user, sign_in

    app = _app(url)
    with app.app_context():
        email = f"bench-pdf-{time.time_ns()}@example.org"
        make_user(email=email, role="analyst")
        client = app.test_client()
        sign_in(client, email)
        start, cpu = time.perf_counter(), time.process_time()
        got = client.get(f"/staff/surveys/{SLUG}/report.pdf?lang={language}")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if got.status_code != 200 or not got.data.startswith(b"%PDF"):
        raise SystemExit(f"no PDF: {got.status_code} {got.data[:200]!r}")
    streams = [got.data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", got.data, re.S):
        with contextlib.suppress(zlib.error):  # object streams hold the page objects
            streams.append(zlib.decompress(match.group(1)))
    pages = sum(len(re.findall(rb"/Type /Page\b(?!s)", data)) for data in streams)
    return {"seconds": seconds, "cpu": cpu, "bytes": len(got.data), "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--measure", nargs=2, metavar=("URL", "LANGUAGE"), help=argparse.SUPPRESS)
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
        for language in ("en", "bn"):
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, __file__, "--measure", url, language],
                                 check=True, capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(f"PDF report ({language}) of {args.responses:,} responses: "
                  f"{result['seconds']:.1f} s ({result['cpu']:.1f} s of CPU), "
                  f"{result['bytes'] / 1024:.0f} KB, {result['pages']} pages "
                  f"(load {load:.1f})", flush=True)


if __name__ == "__main__":
    main()
