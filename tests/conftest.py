"""Fixtures shared by the whole suite: the app on SQLite (and PostgreSQL when
TEST_DATABASE_URL is set), built by running the real migrations, and a client."""

from __future__ import annotations

import contextvars
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["ENGAGE_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, make_url, text

from engage import create_app
from engage.blueprints import caching as page_cache
from engage.blueprints.residents import rendering as questions_cache
from engage.extensions import db, limiter

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ENGAGE_SHARED", ROOT.parent / "shared"))
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per test process, not once per test's app: Jinja's own
    bytecode-cache interface, kept in memory (a bucket's key is the template's name and file
    and its checksum the source, so an edited template is compiled again)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def make_app(database_url: str, **overrides: object) -> Flask:
    """An app for tests, with a real secret and the given database."""
    settings: dict[str, object] = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": TEST_SECRET,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "PREFERRED_URL_SCHEME": "http",
        # Issue 19 made two-step verification required for administrators by default; the
        # suite's admins predate it. tests/engage/test_two_step_rules.py runs the real default.
        "TWO_STEP_DEFAULT_ROLES": (),
        # Every make_user and sign-in hashes: production's argon2 cost is tested on its own
        # (tests/engage/test_auth.py), the rest of the suite hashes cheaply.
        "PASSWORD_HASH_PROFILE": "cheap",
    }
    settings.update(overrides)
    application = create_app(settings)
    application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return application


def require_redis(url: str) -> None:
    """Skip a test that needs Redis where none runs; under CI (CI=true), where Redis runs on
    127.0.0.1:6379, no Redis is a failure, so the Redis paths are always tested there."""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no Redis here
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is needed under CI and is not reachable at {url}: {exc}")
        pytest.skip(f"Redis is not reachable at {url}: {exc}")


def migrate(database_url: str) -> None:
    """Run the real migrations against a database."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "engage.sqlite"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test process, migrated once."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"engage_test_{worker}_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(app: Flask) -> None:
    """Empty every table and restart every sequence, as a fresh migrated database would be
    without the migrations' seed rows (ids start at 1 again).

    One round trip of DELETEs with triggers and foreign-key checks off for this transaction
    (`session_replication_role`, the test server's superuser may set it): about 8 ms, where a
    TRUNCATE of all 75 tables took 470 ms on every PostgreSQL test."""
    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if not tables:
            return
        connection = db.session.connection()
        connection.exec_driver_sql(
            "SET LOCAL session_replication_role = replica;"
            + "".join(f'DELETE FROM "{name}";' for name in tables))
        connection.exec_driver_sql(
            "SELECT setval(c.oid, 1, false) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'S' AND n.nspname = current_schema()")
        db.session.commit()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production, so nothing in `g`
    (CSRF token, CSP nonce, database session) leaks between requests or from the test."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from flask import has_app_context

        if not has_app_context():  # a redirect followed inside the request's own context
            return super().open(*args, **kwargs)
        db.session.commit()

        def run():  # type: ignore[no-untyped-def]
            response = super(IsolatedClient, self).open(*args, **kwargs)
            if response.is_streamed:  # finish streaming while the request's context exists
                response.make_sequence()
            return response

        response = contextvars.Context().run(run)
        db.session.commit()
        return response


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database this test runs on."""
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A clean, migrated database for one test."""
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    template = request.getfixturevalue("sqlite_template")
    target = tmp_path / "engage.sqlite"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(database_url: str, backend: str, tmp_path: Path) -> Iterator[Flask]:
    """The application on a clean database, with an app context pushed. Exports go to the
    test's own folder: job ids start at 1 in every test database, and pytest-xdist workers
    run tests side by side."""
    application = make_app(database_url, EXPORT_DIR=str(tmp_path / "exports"))
    application.test_client_class = IsolatedClient
    if backend == "postgresql":
        _truncate_postgres(application)
    limiter.reset()
    # Rendered pages are cached per process on database ids, and every test's database starts
    # its ids at 1: a page cached by an earlier test must not be served to this one.
    page_cache.clear()
    questions_cache.clear()
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client; CSRF stays on, as in production."""
    return app.test_client()
