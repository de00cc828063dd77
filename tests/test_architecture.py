"""The architecture and code standards hold: import rules, ruff, mypy on the cores."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: install the test extras (make test)")
    return found


def test_import_contracts_hold() -> None:
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cores_pass_mypy_strict() -> None:
    result = subprocess.run([_tool("mypy"), "--strict", "surveys", "analysis"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_web_workers_start_without_the_theme_engine_libraries() -> None:
    # NLTK and scikit-learn (and SciPy beneath them) cost seconds at start: they load in the
    # job or page that uses them, never when a worker builds the app; so does WeasyPrint (the
    # PDF report).
    script = ("import sys; from engage import create_app; create_app({'SECRET_KEY': 'x' * 40}); "
              "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} "
              "& {'nltk', 'sklearn', 'scipy', 'weasyprint'})))")
    env = {**os.environ, "ENGAGE_ENV": "testing", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
