"""Settings from the environment, checked at start."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

DEFAULT_SECRET = "dev-only-not-secret"  # noqa: S105 - the start-up check refuses it in production
CALLBACK_TOKEN_LENGTH = 20  # GOV.UK Notify itself asks for at least 10 characters


class ConfigError(RuntimeError):
    """Raised when the environment describes a configuration that must not run."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the settings dict from the environment, then apply overrides (tests)."""
    env = os.environ.get("ENGAGE_ENV", "production").strip().lower()
    if env not in {"production", "development", "testing"}:
        raise ConfigError("ENGAGE_ENV must be production, development or testing")
    default_db = "sqlite:///" + str(Path(instance_path) / "engage.sqlite")
    cfg: dict[str, Any] = {
        "ENGAGE_ENV": env,
        "DEBUG": _bool(os.environ.get("FLASK_DEBUG")) or _bool(os.environ.get("ENGAGE_DEBUG")),
        "TESTING": env == "testing",
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEFAULT_SECRET),
        **_database_settings(default_db),
        **_job_settings(),
        **_web_settings(env),
        **_account_settings(),
        **_limit_settings(),
        **_page_settings(),
        **_mail_settings(),
        **_host_settings(env),
    }
    if overrides:
        cfg.update(overrides)
    if str(cfg["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        # R4: a bounded wait for another transaction's lock, as SQLite's busy timeout; the
        # "lock timeout" error is retried by in_transaction, then the 503 page keeps the input.
        wait = int(cfg.get("DATABASE_LOCK_TIMEOUT_MS", _int("ENGAGE_LOCK_TIMEOUT_MS", 1500)))
        options = cfg["SQLALCHEMY_ENGINE_OPTIONS"]
        connect_args = dict(options.get("connect_args", {}))
        if cfg.get("DATABASE_PGBOUNCER"):
            connect_args["prepare_threshold"] = None
        else:
            connect_args["options"] = f"-c lock_timeout={wait}"
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": int(cfg.get("DATABASE_POOL_SIZE", 5)),
            "max_overflow": int(cfg.get("DATABASE_MAX_OVERFLOW", 10)),
            **options, "connect_args": connect_args}
    if str(cfg["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # A SQLite connection is an open file: it cannot go stale as a server's can, so the
        # ping before each checkout would only add a query to every request.
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {**cfg["SQLALCHEMY_ENGINE_OPTIONS"],
                                            "pool_pre_ping": False}
    if cfg["TESTING"] or cfg["ENGAGE_ENV"] == "testing":
        cfg["SESSION_COOKIE_SECURE"] = cfg.get("SESSION_COOKIE_SECURE_IN_TESTS", False)
        cfg["JOBS_MODE"] = cfg.get("JOBS_MODE") or "sync"
    check_config(cfg)
    return cfg


def _database_settings(default_db: str) -> dict[str, Any]:
    """The database: address and connection pool."""
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        # S17: an error about a statement never carries its parameters (answers, questions,
        # emails) into a log.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        # Issue 21: each process's PostgreSQL connection pool (SQLAlchemy pool_size and
        # max_overflow; docs/deploy.md adds up the connections of several hosts), and
        # DATABASE_PGBOUNCER=1 behind PgBouncer in transaction mode: no server-side prepared
        # statements (psycopg's prepare_threshold) and no `options` startup parameter, which
        # PgBouncer refuses (set lock_timeout on the database role instead).
        "DATABASE_POOL_SIZE": _int("DATABASE_POOL_SIZE", 5),
        "DATABASE_MAX_OVERFLOW": _int("DATABASE_MAX_OVERFLOW", 10),
        "DATABASE_PGBOUNCER": _bool(os.environ.get("DATABASE_PGBOUNCER")),
    }


def _job_settings() -> dict[str, Any]:
    """Redis, background jobs, exports and the theme engine."""
    return {
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # Background jobs: rq (Redis), thread (in-process) or sync; empty chooses by REDIS_URL.
        "JOBS_MODE": os.environ.get("JOBS_MODE", ""),
        # A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS was left
        # by a worker that died and is marked failed; one queued for JOB_REQUEUE_SECONDS is
        # handed to the worker again (a job is claimed once, so it never runs twice).
        "JOB_HEARTBEAT_SECONDS": _int("JOB_HEARTBEAT_SECONDS", 30),
        "JOB_STALE_SECONDS": _int("JOB_STALE_SECONDS", 300),
        "JOB_REQUEUE_SECONDS": _int("JOB_REQUEUE_SECONDS", 300),
        # R5: `flask jobs-worker` lowers its own CPU priority by this much (0-19), so staff work
        # (exports, imports, analysis) yields the CPU to resident requests on a shared host.
        "JOBS_WORKER_NICE": _int("JOBS_WORKER_NICE", 10),
        # Background exports: where finished files wait (empty: instance/exports), and how many
        # hours their download links last.
        "EXPORT_DIR": os.environ.get("EXPORT_DIR", ""),
        "EXPORT_LINK_HOURS": _int("EXPORT_LINK_HOURS", 24),
        # Processes the theme engine may use for one run (sentiment scoring runs alongside).
        "THEMES_N_JOBS": _int("THEMES_N_JOBS", 1),
        # Text vectors for themes: auto (sentence models by language and size, see
        # analysis/vectors.py), cooccurrence, minilm or e5.
        "THEMES_VECTORS": os.environ.get("THEMES_VECTORS", "auto"),
    }


def _web_settings(env: str) -> dict[str, Any]:
    """Addresses, request size and cookies."""
    return {
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "https"),
        # S9: 64 KB request body cap unless a route needs more.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 64 * 1024),
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,
        # S3, S4: cookie flags and staff session lifetimes.
        "SESSION_COOKIE_NAME": "engage_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production"
        and not _bool(os.environ.get("ENGAGE_INSECURE_COOKIES")),
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    }


def _account_settings() -> dict[str, Any]:
    """Staff sessions, sign-in throttling, two-step verification, emailed links, single
    sign-on and password hashing."""
    return {
        "STAFF_IDLE_TIMEOUT": timedelta(minutes=_int("STAFF_IDLE_MINUTES", 30)),
        "STAFF_ABSOLUTE_TIMEOUT": timedelta(hours=_int("STAFF_ABSOLUTE_HOURS", 12)),
        # S7: login throttling.
        "LOGIN_ACCOUNT_LIMIT": os.environ.get("LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes"),
        "LOGIN_IP_LIMIT": os.environ.get("LOGIN_IP_LIMIT", "20 per 15 minutes"),
        # S6: wrong two-step codes, per account (the IP limit above applies too).
        "TWO_STEP_LIMIT": os.environ.get("TWO_STEP_LIMIT", "5 per 15 minutes"),
        # Issue 19: emailed links for invitations and password resets, and how often one
        # email address (or one client address) may ask for a reset.
        "INVITATION_DAYS": _int("INVITATION_DAYS", 7),
        "RESET_MINUTES": _int("RESET_MINUTES", 60),
        # Roles that must use two-step verification until an administrator saves the rules.
        "TWO_STEP_DEFAULT_ROLES": tuple(r.strip() for r in os.environ.get(
            "TWO_STEP_DEFAULT_ROLES", "admin").split(",") if r.strip()),
        "RESET_ACCOUNT_LIMIT": os.environ.get("RESET_ACCOUNT_LIMIT", "3 per hour"),
        # Single sign-on with OpenID Connect (off unless all three are set).
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", "").strip(),
        "OIDC_METADATA_URL": os.environ.get("OIDC_METADATA_URL", "").strip(),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", "").strip(),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", "").strip(),
        "OIDC_PROVIDER_NAME": os.environ.get("OIDC_PROVIDER_NAME", "").strip(),
        # Staff password hashing: "standard" argon2id (engage/services/platform/passwords.py); the
        # test
        # suite sets "cheap", which only ENGAGE_ENV=testing accepts.
        "PASSWORD_HASH_PROFILE": "standard",
    }


def _limit_settings() -> dict[str, Any]:
    """Rate limits (S8) and how long a resident's unsent answers are kept."""
    return {
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # S8: generous per-address limits (libraries and schools share one address), and
        # tighter ones per response, so one browser cannot flood the database.
        # Shared computers: a resident's browser idle this long forgets its unsent answers.
        "RESIDENT_IDLE_MINUTES": _int("RESIDENT_IDLE_MINUTES", 30),
        "SURVEY_START_LIMIT": os.environ.get("SURVEY_START_LIMIT", "600 per hour;60 per minute"),
        "SURVEY_ANSWER_LIMIT": os.environ.get("SURVEY_ANSWER_LIMIT", "120 per minute"),
        "RESUME_EMAIL_LIMIT": os.environ.get("RESUME_EMAIL_LIMIT", "10 per hour"),
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
    }


def _page_settings() -> dict[str, Any]:
    """CSRF, languages, the council's names, results suppression, caching and compression."""
    return {
        # Flask-WTF: tokens last as long as the session; a resident may take a while.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": True,
        # Languages: resident pages in English and Bengali.
        "LANGUAGES": {"en": "English", "bn": "বাংলা"},
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Tower Hamlets Partnership"),
        "SERVICE_NAME": os.environ.get("SERVICE_NAME", "Engage"),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "engage@example.org"),
        # Weighted results: cells chosen by fewer respondents than this are suppressed.
        "RESULTS_MIN_COUNT": _int("RESULTS_MIN_COUNT", 10),
        # Static assets are fingerprinted, so they may be cached for a year.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "text/csv", "application/json", "application/javascript",
            "text/javascript", "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_LEVEL": 4,  # gzip: nearly the size of level 6 for pages, at half the CPU
    }


def _mail_settings() -> dict[str, Any]:
    """Email and GOV.UK Notify, invitations and contact lists."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "engage@example.org"),
        # Survey invitations (issue 19): messages a second when sending to a contact list;
        # GOV.UK Notify instead of SMTP when NOTIFY_API_KEY is set (templates get the
        # personalisation name, survey, link, stop_link and subject); contact lists are deleted
        # this many days after their survey closes (or sooner, by the survey's retention).
        "INVITATION_RATE": _int("INVITATION_RATE", 10),
        "NOTIFY_API_KEY": os.environ.get("NOTIFY_API_KEY", ""),
        "NOTIFY_BASE_URL": os.environ.get("NOTIFY_BASE_URL",
                                          "https://api.notifications.service.gov.uk"),
        "NOTIFY_EMAIL_TEMPLATE_ID": os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
        "NOTIFY_SMS_TEMPLATE_ID": os.environ.get("NOTIFY_SMS_TEMPLATE_ID", ""),
        # GOV.UK Notify's delivery-status callback (POST /callbacks/notify): the bearer token
        # set in Notify's callback settings; without it the address answers 404.
        "NOTIFY_CALLBACK_TOKEN": os.environ.get("NOTIFY_CALLBACK_TOKEN", "").strip(),
        "NOTIFY_CALLBACK_LIMIT": os.environ.get("NOTIFY_CALLBACK_LIMIT", "1200 per minute"),
        "CONTACT_RETENTION_DAYS": _int("CONTACT_RETENTION_DAYS", 90),
    }


def check_config(cfg: dict[str, Any]) -> None:
    """Refuse to run production with DEBUG on, a default or short secret (S19), or without
    the base URL, trusted hosts and shared throttle store it needs (S22, S23)."""
    if not 0 <= int(cfg.get("JOBS_WORKER_NICE", 0)) <= 19:
        raise ConfigError("JOBS_WORKER_NICE must be between 0 and 19")
    check_password_hashing(cfg)
    callback_token = str(cfg.get("NOTIFY_CALLBACK_TOKEN") or "")
    if callback_token and len(callback_token) < CALLBACK_TOKEN_LENGTH:
        raise ConfigError(
            f"NOTIFY_CALLBACK_TOKEN must be at least {CALLBACK_TOKEN_LENGTH} characters "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(32))').")
    if cfg["ENGAGE_ENV"] != "production":
        return
    if cfg.get("DEBUG"):
        raise ConfigError("Refusing to start: DEBUG is on in production (unset FLASK_DEBUG).")
    secret = cfg.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET or len(secret) < 32:
        raise ConfigError(
            "Refusing to start: set SECRET_KEY to a random value of at least 32 characters "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    check_hosts(cfg)
    check_workers(cfg, _int("WEB_CONCURRENCY", 1))


def check_password_hashing(cfg: dict[str, Any]) -> None:
    """Refuse an unknown password hashing profile, and a weak one outside the test suite (S5)."""
    profile = cfg.get("PASSWORD_HASH_PROFILE", "standard")
    if profile not in ("standard", "cheap"):
        raise ConfigError(f"PASSWORD_HASH_PROFILE must be standard or cheap, not {profile!r}")
    if profile != "standard" and cfg["ENGAGE_ENV"] != "testing":
        raise ConfigError("Refusing to start: the cheap password hashing profile is for the "
                          "test suite only (ENGAGE_ENV=testing).")


# S22, S23: where the service lives, which Host headers it answers, which proxies it trusts,
# and whether its rate limits can hold across the workers it runs in.
DEVELOPMENT_BASE_URLS = {"development": "http://127.0.0.1:5000", "testing": "http://localhost"}


def _host_settings(env: str) -> dict[str, Any]:
    hosts = [h.strip().lower() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")]
    return {
        # Every link the service shows or sends (resume links, emails, the OpenAPI servers)
        # starts with this, never with the Host header of the request.
        "BASE_URL": (os.environ.get("BASE_URL") or DEVELOPMENT_BASE_URLS.get(env, "")).strip(),
        # Flask refuses (400) a request whose Host header is not one of these; None: any.
        "TRUSTED_HOSTS": [h for h in hosts if h] or None,
        # How many proxies in front of the service add X-Forwarded-For and -Proto; 0 trusts
        # neither header, so a client cannot choose the address its limits count against.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
    }


def check_hosts(cfg: dict[str, Any]) -> None:
    """Refuse a base URL that is not a plain http(s) address, and a production start without
    a base URL or trusted hosts, or with a base URL on a host it would refuse (S22)."""
    if int(cfg.get("TRUSTED_PROXIES", 0)) < 0:
        raise ConfigError("TRUSTED_PROXIES must be 0 or more")
    base = str(cfg.get("BASE_URL") or "")
    parts = urlsplit(base)
    if base and (parts.scheme not in ("http", "https") or not parts.hostname
                 or parts.query or parts.fragment):
        raise ConfigError(f"BASE_URL must be an address like https://engage.example.org, "
                          f"not {base!r}")
    if cfg["ENGAGE_ENV"] != "production":
        return
    if not base:
        raise ConfigError("Refusing to start: set BASE_URL to the address residents use "
                          "(for example https://engage.example.org); links are built from it.")
    hosts = cfg.get("TRUSTED_HOSTS") or []
    if not hosts:
        raise ConfigError("Refusing to start: set TRUSTED_HOSTS to the host names the service "
                          "answers (for example engage.example.org), separated by commas.")
    if not host_is_trusted(parts.hostname, hosts):
        raise ConfigError(f"Refusing to start: the host of BASE_URL ({parts.hostname}) is not "
                          "in TRUSTED_HOSTS.")


def check_workers(cfg: dict[str, Any], workers: int) -> None:
    """Refuse a production start with several workers and rate limits kept in each worker's
    memory: each worker would allow the whole limit again (S8, S23)."""
    if cfg["ENGAGE_ENV"] != "production" or not cfg.get("RATELIMIT_ENABLED", True):
        return
    shared = not str(cfg.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://")
    if workers > 1 and not shared:
        raise ConfigError(
            f"Refusing to start {workers} workers with rate limits in each worker's memory: "
            "set REDIS_URL (or RATELIMIT_STORAGE_URI) to a store they share, or run one worker.")
