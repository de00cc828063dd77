"""Counts the inputs Hypothesis generates in this folder and reports the total at the end."""

from __future__ import annotations

from typing import Any

FUZZ_COUNTS: dict[str, int] = {}


def count(name: str) -> None:
    """One generated input went through the property test `name`."""
    FUZZ_COUNTS[name] = FUZZ_COUNTS.get(name, 0) + 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FUZZ_COUNTS:
        total = sum(FUZZ_COUNTS.values())
        terminalreporter.write_sep("-", f"Hypothesis inputs generated: {total:,}")
        for name, n in sorted(FUZZ_COUNTS.items()):
            terminalreporter.write_line(f"  {name}: {n:,}")
