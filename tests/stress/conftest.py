"""Counts the inputs Hypothesis generates in this folder and reports the total at the end."""

from __future__ import annotations

from typing import Any

import pytest

FUZZ_COUNTS: dict[str, int] = {}


def count(name: str) -> None:
    """One generated input went through the property test `name`."""
    FUZZ_COUNTS[name] = FUZZ_COUNTS.get(name, 0) + 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A pytest-xdist worker hands its counts to the controller, which prints the summary."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["fuzz_counts"] = dict(FUZZ_COUNTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for name, n in getattr(node, "workeroutput", {}).get("fuzz_counts", {}).items():
        FUZZ_COUNTS[name] = FUZZ_COUNTS.get(name, 0) + n


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FUZZ_COUNTS:
        total = sum(FUZZ_COUNTS.values())
        terminalreporter.write_sep("-", f"Hypothesis inputs generated: {total:,}")
        for name, n in sorted(FUZZ_COUNTS.items()):
            terminalreporter.write_line(f"  {name}: {n:,}")
