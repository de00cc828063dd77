"""Browser tests: Playwright driving Debian's chromium against a live server, with axe-core.

Where chromium cannot be had the tests skip with the reason, except under CI (CI=true),
where a skipped browser test is a failure. Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

try:  # assertions that wait for the page to settle, rather than a count taken once
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
except ImportError:  # pragma: no cover - the browser fixture skips (or fails under CI)
    expect = None  # type: ignore[assignment]

from engage.blueprints import caching as page_cache
from engage.blueprints.residents import rendering as questions_cache
from engage.extensions import db
from tests.conftest import AsBuilt, make_app, migrate
from tests.shared_vectors import folder as vectors_folder
from tests.shared_vectors import shared_sentence_vectors

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BROWSER_PASSWORD = "browser-test-password-123"


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright (never a downloaded browser)."""
    path = _chromium_path()
    if path is None:
        _unavailable("chromium is not installed (sudo apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        _unavailable("playwright is not installed (make test installs it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class LiveServer:
    """The app served on 127.0.0.1 in a thread, on its own SQLite database.

    The demo is loaded once; each test file then starts from that database as it was loaded
    (`restore`), so no file sees what another changed and a file's outcome does not depend on
    which files ran before it on its worker."""

    def __init__(self, app: Any, database: Path | None = None) -> None:
        self.app = app
        self.database = database  # a server of its own (a module's) restores nothing
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        app.config["BASE_URL"] = self.url  # links the pages show lead back to this server
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._as_built = AsBuilt(app)

    def start(self) -> None:
        if self.database is not None:
            self._copy(self.database, self.database.with_name("demo.sqlite"))
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        """SQLite's online backup: a consistent copy, write-ahead log included."""
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)

    def restore(self) -> None:
        """The demo database as loaded, the app's settings as built and no kept pages or
        figures (the caches Engage keeps in `app.extensions` are made on first use)."""
        assert self.database is not None
        with self.app.app_context():
            db.engine.dispose()
        self._copy(self.database.with_name("demo.sqlite"), self.database)
        self._as_built.restore()
        page_cache.clear()
        questions_cache.clear()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory,
                request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """One live server per test process (each pytest-xdist worker has its own, on a free port,
    with its own database and export folder), with demo staff accounts and each feature's
    demo data."""
    folder = tmp_path_factory.mktemp("live")
    path = folder / "engage.sqlite"
    url = f"sqlite:///{path}"
    migrate(url)
    # Flask-Limiter's on/off switch is one flag for every app in the process, and other tests
    # on this worker build apps with limits on; the limits the browser tests meet are also
    # raised on this app, so they hold whatever was built last.
    app = make_app(url, RATELIMIT_ENABLED=False, EXPORT_DIR=str(folder / "exports"),
                   MAYOR_SUBMIT_LIMIT="10000 per minute", MAYOR_SUPPORT_LIMIT="10000 per minute")
    os.environ["ENGAGE_DEMO_PASSWORD"] = BROWSER_PASSWORD
    with shared_sentence_vectors(vectors_folder(request.config), save=True):
        result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    server = LiveServer(app, path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def demo_as_loaded(request: pytest.FixtureRequest) -> None:
    """Each browser test file starts from the demo as loaded (autouse, so before the file's
    own module fixtures add their data)."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server").restore()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    """Each browser test runs at 320 px and at desktop width."""
    return VIEWPORTS[request.param]


@pytest.fixture
def page(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    """A fresh browser context (cookies, storage) per test."""
    context = browser.new_context(viewport=viewport, java_script_enabled=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def nojs_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page with JavaScript turned off (page.evaluate, and so axe, cannot run)."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def staff_sign_in(page: Any, server: LiveServer, email: str, *, fresh: bool = False,
                  wait: bool = True) -> None:
    """Sign in through the real form with the browser tests' password; `fresh` drops the
    browser's cookies first (another person signing in), `wait` waits for the staff home."""
    if fresh:
        page.context.clear_cookies()
    page.goto(f"{server.url}/auth/sign-in")
    page.fill("#email", email)
    page.fill("#password", BROWSER_PASSWORD)
    page.press("#password", "Enter")
    if wait:
        page.wait_for_url(f"{server.url}/staff/")


SHOTS = os.environ.get("ENGAGE_SHOTS", "")
"""A folder for the browser tests' screenshots: set it to look at pages as their users will."""


def save_shot(page: Any, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot as ENGAGE_SHOTS/<name>.png when ENGAGE_SHOTS is set; else nothing."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page and fail on any WCAG 2.2 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    violations = results.response["violations"]
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe found violations on {page.url}: {summary}"


def assert_no_horizontal_scroll(page: Any) -> None:
    """At 320 px nothing may force sideways scrolling (WCAG 1.4.10 reflow)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px at {page.url}"
