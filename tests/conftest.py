"""Fixtures shared by the whole suite: the app on SQLite (and PostgreSQL when
TEST_DATABASE_URL is set), built by running the real migrations, and a client."""

from __future__ import annotations

import contextvars
import copy
import os
import shutil
import subprocess
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
from tests.shared_vectors import folder as vectors_folder
from tests.shared_vectors import loads_the_demo, shared_sentence_vectors, start_computing

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files that load the demo run after the others (tests/shared_vectors.py)."""
    items.sort(key=lambda item: loads_the_demo(item.nodeid))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """On the pytest-xdist controller: start computing the demo's vectors while the workers
    run the other files (once, when the first worker has collected)."""
    global _COMPUTING
    if _COMPUTING is None and any(loads_the_demo(i) for i in ids):
        _COMPUTING = start_computing(vectors_folder(node.config)) or False  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    """A computation still running when the run ends is stopped."""
    if _COMPUTING:
        _COMPUTING.terminate()
        _COMPUTING.wait()


_COMPUTING: subprocess.Popen[bytes] | bool | None = None


_APPS_BUILT = 0


def build_app(overrides: dict[str, object] | None = None) -> Flask:
    """`create_app` for tests: every app a test builds goes through here (tests/test_architecture
    checks), because Flask-Limiter and Flask-Compress keep some of the last app's settings in
    their one object per process, so the shared app is built again after another app."""
    global _APPS_BUILT
    _APPS_BUILT += 1
    return create_app(overrides)


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
    application = build_app(settings)
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


@pytest.fixture(scope="session")
def sqlite_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test process's SQLite database lives: one path, so one app serves every
    test (its engine's address is fixed when the app is built)."""
    return tmp_path_factory.mktemp("database") / "engage.sqlite"


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str:
    """A clean, migrated database for one test."""
    if backend == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    template = request.getfixturevalue("sqlite_template")
    target: Path = request.getfixturevalue("sqlite_path")
    # The last test's file goes, with its write-ahead log: a new file under an old log would
    # replay the old test's writes into it.
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


class AsBuilt:
    """An app's settings and `app.extensions` as built, to put back between tests: the settings
    as a deep copy (a test that changes a list in place changes only its own), and whatever a
    test put in `app.extensions` dropped (every cache Engage keeps there is made on first
    use). The browser tests' live server uses it too."""

    def __init__(self, application: Flask) -> None:
        self.app = application
        self._settings = copy.deepcopy(dict(application.config))
        self._extensions = frozenset(application.extensions)

    def restore(self) -> Flask:
        self.app.config.clear()
        self.app.config.update(copy.deepcopy(self._settings))
        for name in set(self.app.extensions) - self._extensions:
            del self.app.extensions[name]
        return self.app


class _ReusedApps:
    """One app per test process and database, as production keeps one app per worker.

    Building an app costs about 80 ms (Werkzeug compiles each of its 250 URL rules), most of an
    ordinary test's setup. Between tests the app is put back as built (`AsBuilt`). A test that
    adds routes asks for its own app with `@pytest.mark.fresh_app` (Flask refuses new routes
    once an app has served a request, so a missing mark fails loudly). After any other app is
    built in the process (`build_app`) it is built again."""

    def __init__(self) -> None:
        self._apps: dict[str, tuple[AsBuilt, int]] = {}

    def get(self, database_url: str) -> Flask:
        kept = self._apps.get(database_url)
        if kept is None or kept[1] != _APPS_BUILT:  # new, or another app was built since
            application = make_app(database_url)
            application.test_client_class = IsolatedClient
            kept = (AsBuilt(application), _APPS_BUILT)
            self._apps[database_url] = kept
        return kept[0].restore()


REUSED_APPS = _ReusedApps()


@pytest.fixture
def app(database_url: str, backend: str, tmp_path: Path,
        request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The application on a clean database, with an app context pushed. Exports go to the
    test's own folder: job ids start at 1 in every test database, and pytest-xdist workers
    run tests side by side."""
    exports = str(tmp_path / "exports")
    if request.node.get_closest_marker("fresh_app"):
        application = make_app(database_url, EXPORT_DIR=exports)
        application.test_client_class = IsolatedClient
    else:
        application = REUSED_APPS.get(database_url)
        application.config["EXPORT_DIR"] = exports
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


@pytest.fixture(autouse=True)
def demo_vectors(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the files that load the demo: its sentence vectors computed once per machine
    (tests/shared_vectors.py)."""
    if not loads_the_demo(request.node.nodeid):
        yield
        return
    with shared_sentence_vectors(vectors_folder(request.config)):
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client; CSRF stays on, as in production."""
    return app.test_client()
