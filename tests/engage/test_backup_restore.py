"""Backup and restore (issue 21): scripts/backup_check.py dumps a database with real data
(surveys, responses, free text, a theme run), restores it into a fresh database and finds the
same row counts in every table and the same alembic revision; it cleans up after itself, and a
difference is reported as one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engage.extensions import db
from tests.engage.themes_helpers import analyst, demo_texts, finished_run

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup_check.py"


def _needs_postgres_tools(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("pg_dump and pg_restore back up PostgreSQL; SQLite is one file to copy")
    missing = [t for t in ("pg_dump", "pg_restore") if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{', '.join(missing)} needed under CI and not installed")
        pytest.skip(f"{', '.join(missing)} not installed")


def _databases(url: str, like: str) -> list[str]:
    admin = create_engine(make_url(url).set(database="postgres"))
    with admin.connect() as conn:
        names = list(conn.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                  {"p": like}))
    admin.dispose()
    return names


def test_a_backup_restores_with_the_same_counts(app: Flask, backend: str,
                                                tmp_path: Path) -> None:
    _needs_postgres_tools(backend)
    demo_texts(120)
    finished_run(analyst())
    db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    name = make_url(url).database
    db.session.remove()
    db.engine.dispose()  # the dump does not need it; DROP ... WITH (FORCE) would end it anyway
    report_path = tmp_path / "report.json"
    dump = tmp_path / "engage.dump"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), url, "--dump", str(dump), "--json", str(report_path)],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "identical" in done.stdout
    report = json.loads(report_path.read_text())
    source, restored = report["source_census"], report["restored_census"]
    assert report["differences"] == []
    assert source == restored
    rows = source["rows"]
    for table in ("responses", "free_text_answers", "analysis_texts", "theme_runs", "themes",
                  "theme_run_texts", "theme_memberships", "theme_quotes", "users", "jobs"):
        assert rows[f"public.{table}"] > 0, table
    assert rows["public.responses"] >= 120
    assert source["revision"] and source["indexes"] > 50
    with db.engine.connect() as conn:
        assert source["revision"] == conn.scalar(text("SELECT version_num FROM alembic_version"))
    assert dump.stat().st_size == report["dump_bytes"] > 0  # kept where asked
    assert _databases(url, f"{name}_restore_check_%") == []  # the restored copy is gone


def test_a_difference_is_reported(app: Flask, backend: str, tmp_path: Path) -> None:
    """Restoring into a database that already holds rows shows up as a difference."""
    _needs_postgres_tools(backend)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    target = f"{make_url(url).database}_restore_target"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target}"'))
    extra = create_engine(make_url(url).set(database=target))
    with extra.begin() as conn:
        conn.execute(text("CREATE TABLE stray (id integer)"))
        conn.execute(text("INSERT INTO stray VALUES (1)"))
    extra.dispose()
    try:
        done = subprocess.run(
            [sys.executable, str(SCRIPT), url, "--restore-db", target,
             "--json", str(tmp_path / "r.json")],
            capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 1, done.stdout + done.stderr
        report = json.loads((tmp_path / "r.json").read_text())
        assert report["differences"] == ["public.stray: missing rows in the source, 1 restored"]
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        admin.dispose()
