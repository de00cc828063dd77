#!/usr/bin/env python3
"""Theme quality on the labelled sets in ../shared/data: ``python -m analysis evaluate`` on each.

Usage: python bench/analysis_quality.py [SET ...] [--OPTION ...]
(default: stackoverflow banking77 searchsnippets tweet; options starting with -- go to
``python -m analysis evaluate``, e.g. ``--embedding minilm --seeds 3 --true-k-only``)
Prints each evaluation as it finishes (ACC, NMI, ARI at the true number of themes and with auto,
mean ± s.d. over 5 seeds, median time per fit).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ENGAGE_SHARED_DATA", ROOT.parent / "shared" / "data"))
SETS = ["stackoverflow", "banking77", "searchsnippets", "tweet"]


def main() -> None:
    """Evaluate each set in turn."""
    if not DATA.is_dir():
        sys.exit(f"shared data not found at {DATA}")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = sys.argv[1:]
    first_option = next((i for i, a in enumerate(args) if a.startswith("--")), len(args))
    names, options = args[:first_option], args[first_option:]
    for name in names or SETS:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "analysis",
                "evaluate",
                str(DATA / name / "data.csv"),
                *options,
            ],
            check=True,
            env=env,
        )


if __name__ == "__main__":
    main()
