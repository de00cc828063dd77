#!/usr/bin/env python3
"""Speed of theme analysis with --n-themes auto on 10k, 30k and 100k texts.

Texts mix ../shared/data/uk_petitions_titles with the other labelled sets (order shuffled with a
fixed seed). Each size runs in a fresh process so peak memory (ru_maxrss) is per size.
Usage: python bench/analysis_speed.py [SIZES...]   (default 10000 30000 100000)
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ENGAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SETS = ["uk_petitions_titles", "stackoverflow", "banking77", "searchsnippets", "tweet"]


def corpus(n: int) -> list[str]:
    """``n`` texts: all petition titles first, then the other sets, shuffled with seed 0."""
    texts: list[str] = []
    for name in SETS:
        with open(DATA / name / "data.csv", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    random.Random(0).shuffle(texts)
    return texts[:n]


def run_one(n: int) -> dict[str, float]:
    """Fit with auto themes on ``n`` texts in this process; time and peak memory."""
    sys.path.insert(0, str(ROOT))
    from analysis import ThemeModel

    texts = corpus(n)
    before = [
        resource.getrusage(who)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    ]
    cpu_before = sum(u.ru_utime + u.ru_stime for u in before)
    start = time.perf_counter()
    model = ThemeModel(n_themes="auto", random_state=0, n_jobs=2).fit(texts)
    json_text = model.result_.to_json()
    seconds = time.perf_counter() - start
    # Peak of this process plus the largest sentiment worker (an upper bound on the total).
    peak_mb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    ) / 1024
    usage = [
        resource.getrusage(who)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    ]
    cpu = sum(u.ru_utime + u.ru_stime for u in usage) - cpu_before
    return {
        "n": n,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_mb": round(peak_mb),
        "themes": model.n_themes_,
        "vectors": model.result_.params.get("vectors", ""),
        "unthemed_pct": round(100 * model.result_.unthemed_share, 1),
        "json_mb": round(len(json_text.encode()) / 1e6, 1),
    }


def main() -> None:
    """Run each size in a child process and print a Markdown table."""
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
        return
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    sizes = [int(a) for a in sys.argv[1:]] or [10000, 30000, 100000]
    print(f"load average before: {os.getloadavg()}")
    print(
        "| texts | vectors | wall s | CPU s (all processes) | peak MB | themes | unthemed % "
        "| JSON MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        out = (
            subprocess.run(
                [sys.executable, __file__, "--one", str(n)],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(out)
        print(
            f"| {r['n']:,} | {r['vectors']} | {r['seconds']} | {r['cpu_seconds']} | "
            f"{r['peak_mb']} | "
            f"{r['themes']} | {r['unthemed_pct']} | {r['json_mb']} |",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
