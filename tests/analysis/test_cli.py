"""The command line: ``themes`` writes JSON and a summary; ``evaluate`` prints the scores."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from tests.analysis.conftest import themed_corpus

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, with_labels: bool = False) -> list[str]:
    texts, gold = themed_corpus(copies=2)
    texts = [*texts, "N/A", "", "Nothing"]
    gold = [*gold, "none", "none", "none"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"] if with_labels else ["id", "text"])
        for i, (t, g) in enumerate(zip(texts, gold, strict=False)):
            writer.writerow([f"r{i}", t, g] if with_labels else [f"r{i}", t])
    return texts


def test_themes_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    texts = _write(src)
    out = tmp_path / "out.json"
    code = main(
        [
            "themes",
            str(src),
            "--text-column",
            "text",
            "--id-column",
            "id",
            "--n-themes",
            "3",
            "--seed",
            "1",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["themes"]) == 3
    assert len(data["assignments"]) == len(texts)
    ids = {t["id"] for t in data["themes"]}
    assert all(a is None or a in ids for a in data["assignments"])
    assert data["assignments"][-2] is None  # the empty answer
    printed = capsys.readouterr().out
    assert "3 themes from" in printed and data["themes"][0]["label"] in printed


def test_themes_command_auto_is_repeatable(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write(src)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        assert main(["themes", str(src), "--n-themes", "auto", "--out", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(a.read_text())["k_curve"]["criterion"]


def test_bad_arguments(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write(src)
    with pytest.raises(SystemExit):
        main(["themes", str(src), "--n-themes", "0", "--out", str(tmp_path / "x.json")])
    with pytest.raises(SystemExit, match="no column"):
        main(
            [
                "themes",
                str(src),
                "--text-column",
                "answer",
                "--out",
                str(tmp_path / "x.json"),
            ]
        )


def test_evaluate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "data.csv"
    _write(src, with_labels=True)
    assert (
        main(
            [
                "evaluate",
                str(src),
                "--seeds",
                "2",
                "--min-themes",
                "2",
                "--max-themes",
                "6",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "true k" in printed and "auto" in printed
    for metric in ("ACC", "NMI", "ARI", "time"):
        assert metric in printed


def test_module_runs_as_subprocess(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write(src)
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "themes",
            str(src),
            "--n-themes",
            "3",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and "themes from" in proc.stdout
