"""Deployment files (issue 21): the systemd units start real entry points, systemd accepts them,
the example settings list every variable the code reads, and the connection-pool settings reach
the database engine (PgBouncer's transaction mode gets no server-side prepared statements)."""

from __future__ import annotations

import importlib
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from engage.config import load_config

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
ENV_EXAMPLE = ROOT / "deploy" / "engage.env.example"
INSTALLED = "/opt/engage"  # where the units expect the checkout (docs/deploy.md)


def _unit(path: Path) -> dict[str, list[str]]:
    """A unit's settings as key -> values (systemd allows a key more than once)."""
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def _services() -> list[Path]:
    return sorted(UNITS.glob("*.service"))


def _exec_starts() -> list[tuple[str, list[str]]]:
    return [(path.name, shlex.split(command)) for path in _services()
            for command in _unit(path).get("ExecStart", [])]


def test_every_service_runs_from_the_checkout_with_the_settings_file() -> None:
    assert {p.name for p in _services()} >= {"engage-web.service", "engage-worker@.service",
                                             "engage-migrate.service"}
    for path in _services():
        unit = _unit(path)
        assert unit["WorkingDirectory"] == [INSTALLED], path.name
        assert "/etc/engage/engage.env" in unit["EnvironmentFile"], path.name
        assert unit["User"] == ["engage"], path.name
        assert f"{INSTALLED}/instance" in unit["ReadWritePaths"][0].split(), path.name
    web = _unit(UNITS / "engage-web.service")
    assert "engage-migrate.service" in web["Requires"][0].split()
    assert "ENGAGE_MIGRATE_ON_START=0" in web["Environment"]


def test_exec_start_commands_point_at_real_entry_points(app: Flask) -> None:
    commands = _exec_starts()
    assert commands
    programs = set()
    for name, argv in commands:
        program = argv[0]
        assert program.startswith(f"{INSTALLED}/.venv/bin/"), (name, program)
        executable = Path(program).name
        programs.add(executable)
        # The same console script exists in this environment (installed with the package).
        assert (Path(sys.executable).parent / executable).exists(), executable
        if executable == "gunicorn":
            config = argv[argv.index("-c") + 1]
            assert (ROOT / config).is_file(), config
            module_name, _, call = argv[-1].partition(":")
            assert call.endswith("()")
            factory = getattr(importlib.import_module(module_name), call[:-2])
            assert callable(factory)
        elif executable == "flask":
            assert argv[1:3] == ["--app", "engage"], name
            command = argv[3]
            assert command in app.cli.list_commands(app.app_context()), (name, command)
        else:
            pytest.fail(f"{name}: unexpected program {program}")
    assert programs == {"gunicorn", "flask"}
    workers = [argv for name, argv in commands if name == "engage-worker@.service"]
    assert workers == [[f"{INSTALLED}/.venv/bin/flask", "--app", "engage", "jobs-worker"]]


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    venv = Path(sys.executable).parent.parent
    for path in UNITS.iterdir():
        body = path.read_text().replace(f"{INSTALLED}/.venv", str(venv))
        (tmp_path / path.name).write_text(body.replace(INSTALLED, str(ROOT)))
    names = [p.name.replace("@.service", "@1.service") for p in sorted(tmp_path.iterdir())]
    done = subprocess.run([analyze, "verify", "--man=no", *names], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    ours = [line for line in (done.stdout + done.stderr).splitlines()
            if line.startswith("engage") or "engage" in line.split(":")[0]]
    assert not ours, "\n".join(ours)


def _variables_read() -> set[str]:
    """Every environment variable named in the app's code and the gunicorn settings."""
    pattern = re.compile(
        r"""(?:environ\.get|environ\[|getenv|_int)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
    found: set[str] = set()
    for path in [*(ROOT / "engage").rglob("*.py"), *(ROOT / "deploy").glob("*.py")]:
        found |= set(pattern.findall(path.read_text()))
    return found


def test_the_example_settings_list_every_variable_the_code_reads() -> None:
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    read = _variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXIES"} <= read
    assert read - documented == set(), "add these to deploy/engage.env.example"
    assert documented - read == set(), "the code no longer reads these"
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert {v for v in read if f"`{v}`" not in guide} == set(), "explain these in docs/deploy.md"


def test_pool_settings_reach_the_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://engage@db.internal/engage")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("DATABASE_MAX_OVERFLOW", "2")
    options = load_config(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (3, 2)
    assert options["connect_args"] == {"options": "-c lock_timeout=1500"}
    monkeypatch.setenv("DATABASE_PGBOUNCER", "1")
    options = load_config(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"prepare_threshold": None}
    assert options["pool_pre_ping"] and options["hide_parameters"]


def _prepared_after_repeats(app: Flask) -> int:
    from engage.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        for _ in range(10):  # psycopg prepares a statement run more than 5 times
            conn.execute(text("SELECT count(*) FROM users WHERE id > :n"), {"n": 0})
        count = int(conn.scalar(text("SELECT count(*) FROM pg_prepared_statements")) or 0)
        conn.rollback()
    return count


def test_behind_pgbouncer_no_statement_is_prepared_on_the_server(
        app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL matter")
    from tests.conftest import make_app

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    assert _prepared_after_repeats(make_app(url)) > 0  # psycopg's default
    assert _prepared_after_repeats(make_app(url, DATABASE_PGBOUNCER=True)) == 0


def test_staff_pages_have_their_own_pool_sized_on_its_own(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """engage-staff.service: a second gunicorn on 8001 (the load balancer sends /staff, /auth
    and /api there), niced, started with the host, sized by STAFF_WEB_CONCURRENCY."""
    staff, web = _unit(UNITS / "engage-staff.service"), _unit(UNITS / "engage-web.service")
    assert "ENGAGE_POOL=staff" in staff["Environment"][0].split()
    assert int(staff["Nice"][0]) > 0 and "Nice" not in web
    assert "--bind 0.0.0.0:8001" in staff["ExecStart"][0]
    assert "--bind 0.0.0.0:8000" in web["ExecStart"][0]
    target = _unit(UNITS / "engage.target")
    assert "engage-staff.service" in target["Wants"][0].split()

    def workers() -> object:
        found: dict[str, object] = {}
        exec((ROOT / "deploy" / "gunicorn.conf.py").read_text(), found)
        return found.get("workers")

    monkeypatch.delenv("ENGAGE_POOL", raising=False)
    assert workers() is None  # the residents' pool: gunicorn's WEB_CONCURRENCY
    monkeypatch.setenv("ENGAGE_POOL", "staff")
    monkeypatch.delenv("STAFF_WEB_CONCURRENCY", raising=False)
    assert workers() == 2
    monkeypatch.setenv("STAFF_WEB_CONCURRENCY", "3")
    assert workers() == 3
