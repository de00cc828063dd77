"""Raking benchmark (issue 6): 100,000 responses over 20 wards × 6 age bands × 2 sexes.

Profiles are drawn with a skew against the illustrative population (older people, women and
three wards over-represented, young men under-represented, and a few ward × age and ward × sex
interactions; 1% "prefer not to say" age, 1% missing sex), then raked to the population's
ward, age and sex margins with the default trimming (5× / 0.2× the mean).
Times `surveys.rake` end to end (checks, encoding, raking, report) and the numpy core alone.

    python bench/raking_bench.py [--n 100000] [--runs 5] [--write docs/benchmarks-weighting.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from surveys.weighting import Trimming, illustrative_population, rake  # noqa: E402
from surveys.weighting.checks import check_input  # noqa: E402
from surveys.weighting.raking import MISSING, _design, rake_arrays  # noqa: E402


def skew(cell: tuple[str, str, str], tilt: dict[str, float]) -> float:
    """How over- (>1) or under-represented a cell is: main effects and interactions."""
    ward, age, sex = cell
    factor = tilt[age] * (1.4 if sex == "female" else 1.0)
    factor *= 1.8 if ward in ("bow-east", "poplar", "weavers") else 1.0
    factor *= 0.4 if sex == "male" and age in ("16-24", "25-34") else 1.0  # hard to reach
    factor *= 2.0 if ward == "canary-wharf" and age == "65-plus" else 1.0
    factor *= 0.5 if ward in ("shadwell", "whitechapel") and sex == "female" else 1.0
    return factor


def profiles(n: int, seed: int = 2026) -> dict[str, dict[str, str | None]]:
    """`n` skewed profiles (see the module docstring)."""
    population = illustrative_population()
    cells = list(population.cells)
    ages = sorted({c[1] for c in cells})
    tilt = {age: 0.6 + 0.3 * i for i, age in enumerate(ages)}
    p = np.array([population.cells[c] * skew(c, tilt) for c in cells])
    rng = np.random.default_rng(seed)
    drawn = rng.choice(len(cells), size=n, p=p / p.sum())
    out: dict[str, dict[str, str | None]] = {}
    for i, c in enumerate(drawn.tolist()):
        ward, age, sex = cells[c]
        out[f"r{i}"] = {"ward": ward, "age": "prefer-not-to-say" if i % 100 == 0 else age,
                        "sex": None if i % 100 == 1 else sex}
    return out


def machine() -> list[str]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "unknown")
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    ram = mem[1].split()[1] if len(mem) > 1 else "unknown"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return [f"CPUs (nproc): {os.cpu_count()}; CPU: {cpu}; RAM: {ram}",
            f"Python {sys.version.split()[0]}; numpy {np.__version__}",
            f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average at the start "
            f"(other work on the machine): {load}"]


def run(n: int, runs: int) -> dict[str, Any]:
    data = profiles(n)
    margins = illustrative_population().margins()
    targets = {d: {c: float(v) for c, v in m.items()} for d, m in margins.items()}
    full, core = [], []
    result = rake(data, targets)  # warm-up
    for _ in range(runs):
        start = time.perf_counter()
        result = rake(data, targets)
        full.append(time.perf_counter() - start)
    checked = check_input(data, targets, frozenset(MISSING))
    design = _design(checked.shares, checked.columns)
    for _ in range(runs):
        start = time.perf_counter()
        rake_arrays(design, Trimming(), 1e-6, 1000)
        core.append(time.perf_counter() - start)
    tracemalloc.start()
    rake(data, targets)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.report is not None, result.problems
    return {"n": n, "full": full, "core": core, "report": result.report, "peak": peak,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "unweighted_gap": max(abs(f.unweighted - f.target) for f in result.report.margins),
            "warnings": [w.kind for w in result.warnings]}


def report_lines(r: dict[str, Any], command: str, machine_lines: list[str]) -> list[str]:
    rep = r["report"]
    med, core = statistics.median(r["full"]), statistics.median(r["core"])
    return [
        "# Benchmarks: weighting (issue 6)", "",
        f"Raking {r['n']:,} responses over 20 wards × 6 age bands × 2 sexes (the illustrative "
        "population's margins; default trimming at 5× and 0.2× the mean; tolerance 1e-6).", "",
        "| Measure | Value |", "| --- | ---: |",
        f"| `surveys.rake` end to end, median of {len(r['full'])} | {med:.3f} s |",
        f"| runs (s) | {', '.join(f'{x:.3f}' for x in r['full'])} |",
        f"| numpy raking core alone (`rake_arrays`), median | {core:.3f} s |",
        f"| rounds (iterations) | {rep.iterations} |",
        f"| converged | {rep.converged} |",
        f"| max margin error after raking | {rep.max_margin_error * 100:.6f} percentage points |",
        f"| max margin gap before weighting (the skew) | {r['unweighted_gap'] * 100:.2f} "
        "percentage points |",
        f"| design effect / effective sample size | {rep.design_effect:.3f} / "
        f"{rep.effective_sample_size:,.0f} |",
        f"| weights min / max | {rep.min_weight:.3f} / {rep.max_weight:.3f} |",
        "| peak traced Python memory during one `rake` (tracemalloc) | "
        f"{r['peak'] / 2**20:.1f} MiB |",
        f"| peak RSS of the whole process (incl. the 100,000 profile dicts) | {r['rss']:.0f} MiB |",
        "", f"Goal ≤ 2 s: {'met' if med <= 2 else 'NOT met'}. Warnings: "
        f"{', '.join(r['warnings']) or 'none'}.", "",
        "## Command", "", f"    {command}", "",
        "Run from the repository root with the project's virtualenv (PYTHONPATH=. if not "
        "installed).", "", "## Machine", "", *[f"- {line}" for line in machine_lines], ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    machine_lines = machine()
    result = run(args.n, args.runs)
    command = "python bench/raking_bench.py" + (f" --write {args.write}" if args.write else "")
    lines = report_lines(result, command, machine_lines)
    print("\n".join(lines))
    if args.write:
        args.write.write_text("\n".join(lines), "utf-8")


if __name__ == "__main__":
    main()
