"""S19: production refuses unsafe settings; configuration is checked at start."""

from __future__ import annotations

import pytest

from engage.config import DEFAULT_SECRET, ConfigError
from tests.conftest import build_app

GOOD_SECRET = "x" * 40


def test_production_refuses_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_app()


def test_production_refuses_short_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        build_app()


def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="DEBUG"):
        build_app()


def test_production_starts_with_safe_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    monkeypatch.setenv("BASE_URL", "https://engage.example.org")
    monkeypatch.setenv("TRUSTED_HOSTS", "engage.example.org")
    app = build_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024
    assert app.config["SECRET_KEY"] != DEFAULT_SECRET


def test_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "staging-ish")
    with pytest.raises(ConfigError):
        build_app()


def test_bad_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "development")
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "thirty")
    with pytest.raises(ConfigError, match="STAFF_IDLE_MINUTES"):
        build_app()


def test_starts_with_rate_limits_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "development")
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    assert build_app().config["RATELIMIT_ENABLED"] is False


def test_jobs_worker_niceness_and_export_folder_come_from_the_environment(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ENGAGE_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    assert build_app().config["JOBS_WORKER_NICE"] == 10  # R5: staff work yields by default
    monkeypatch.setenv("JOBS_WORKER_NICE", "0")
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("EXPORT_LINK_HOURS", "2")
    app = build_app()
    assert app.config["JOBS_WORKER_NICE"] == 0
    assert app.config["EXPORT_DIR"] == str(tmp_path / "exports")
    assert app.config["EXPORT_LINK_HOURS"] == 2
    monkeypatch.setenv("JOBS_WORKER_NICE", "25")
    with pytest.raises(ConfigError, match="JOBS_WORKER_NICE"):
        build_app()
