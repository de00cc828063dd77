"""The architecture and code standards hold: import rules, ruff, mypy --strict on everything."""

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


def test_the_app_and_its_cores_pass_mypy_strict() -> None:
    # Libraries without type information are listed in setup.cfg; Flask-Babel's and
    # Flask-Login's are in typings/.
    result = subprocess.run([_tool("mypy"), "--strict", "engage", "surveys", "analysis"],
                            cwd=ROOT,
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


# Private names of other packages that engage/ still reaches for, each to be rebuilt on a
# public API (issue 20); nothing may be added to this list.
KNOWN_PRIVATE = {
    ("engage/errors.py", "g._login_user"),  # Flask-Login's per-request user
    ("engage/security.py", "super()._load_form_data"),  # Werkzeug's form parsing
}
# Werkzeug documents LocalProxy._get_current_object as the way to reach the object behind
# current_app or current_user (for a thread, or to compare identities).
PUBLIC_UNDERSCORED = {"_get_current_object"}


def _private_uses() -> set[tuple[str, str]]:
    import ast

    found = set()
    for path in sorted((ROOT / "engage").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # The module's own private names: methods it defines and attributes it assigns.
        own = {node.name for node in ast.walk(tree)
               if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        own |= {target.attr for node in ast.walk(tree)
                if isinstance(node, (ast.Assign, ast.AnnAssign))
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name) and target.value.id == "self"}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and node.attr not in PUBLIC_UNDERSCORED
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
                             and node.attr in own)):
                where = ast.unparse(node.value)
                found.add((path.relative_to(ROOT).as_posix(), f"{where}.{node.attr}"))
    return found


def test_engage_reaches_for_no_private_names_of_other_packages() -> None:
    # e.g. Flask-Limiter's _check_request_limit hook taken out of before_request_funcs: a
    # private name that a minor release may rename, silently turning the code into a no-op.
    assert _private_uses() - KNOWN_PRIVATE == set()


def test_the_private_name_check_sees_a_private_use() -> None:
    assert ("engage/errors.py", "g._login_user") in _private_uses()


# Framework internals rebuilt on public APIs (issue 20), each with the public way to use.
BANNED = {
    "g.csrf_token": "Flask-WTF's memo of the signed token: call flask_wtf.csrf.generate_csrf",
    '"csrf_token" in g': "Flask-WTF's memo of the signed token: call generate_csrf",
    'session["csrf_token"]': "Flask-WTF's raw token: call generate_csrf or validate_csrf",
    'session.get("csrf_token")': "Flask-WTF's raw token: call generate_csrf or validate_csrf",
    '"Content-Encoding"': "responses are compressed by Flask-Compress alone",
    "import zlib": "responses are compressed by Flask-Compress alone",
    '"_flashes"': "Flask's session key for messages: call get_flashed_messages",
    "session_interface =": "sessions are Flask's signed cookies, each checked by Flask",
    "SecureCookieSessionInterface)": "sessions are Flask's signed cookies, each checked by Flask",
    "import matplotlib.pyplot": "charts through matplotlib.figure.Figure, no pyplot state",
    "from matplotlib import pyplot": "charts through matplotlib.figure.Figure, no pyplot state",
    "matplotlib.use(": "Figure.savefig picks the SVG backend itself; no global backend",
}


def test_engage_uses_the_public_ways_of_its_frameworks() -> None:
    found = [f"{path.relative_to(ROOT)}: {text} ({why})"
             for path in sorted((ROOT / "engage").rglob("*.py"))
             for text, why in BANNED.items() if text in path.read_text(encoding="utf-8")]
    assert found == []


# The bases of every page's form (issue 20): `forms.Form` strips what is typed into text
# fields in one place, so no form may stand on Flask-WTF's or WTForms' base itself.
FORM_BASES = {"FlaskForm": ("engage/forms/__init__.py", "Form"),
              "Form": ("engage/forms/__init__.py", "RowForm")}


def _direct_form_subclasses(source: str, where: str) -> set[tuple[str, str]]:
    """(module, class) of each class in `source` that subclasses FlaskForm or wtforms.Form
    itself, however it was imported, other than the project's two bases."""
    import ast

    tree = ast.parse(source)
    aliases = {}  # local name -> "FlaskForm" or "Form" (of wtforms)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask_wtf", "wtforms",
                                                                  "wtforms.form"):
            for name in node.names:
                if name.name == "FlaskForm" or (name.name == "Form"
                                                 and node.module != "flask_wtf"):
                    aliases[name.asname or name.name] = name.name
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            text = ast.unparse(base)
            kind = aliases.get(text) or {"flask_wtf.FlaskForm": "FlaskForm",
                                         "wtforms.Form": "Form",
                                         "wtforms.form.Form": "Form"}.get(text)
            if kind and FORM_BASES[kind] != (where, node.name):
                found.add((where, node.name))
    return found


def test_every_form_stands_on_the_base_form() -> None:
    found = set()
    for path in sorted((ROOT / "engage").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        found |= _direct_form_subclasses(path.read_text(encoding="utf-8"), where)
    assert found == set(), "subclass engage.forms.Form (or RowForm for rows), not " + str(found)


def test_the_form_base_check_sees_a_form_on_flask_wtf() -> None:
    source = ("from flask_wtf import FlaskForm as F\nimport wtforms\n"
              "def make():\n    class Inner(F):\n        pass\n"
              "class Row(wtforms.Form):\n    pass\n")
    assert _direct_form_subclasses(source, "engage/x.py") == {("engage/x.py", "Inner"),
                                                               ("engage/x.py", "Row")}


def test_tests_build_apps_only_through_the_conftest() -> None:
    # The suite shares one app per test process (tests/conftest.py) and builds it again after
    # any other app, which it knows of only when that app came from `build_app`.
    import ast

    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path == ROOT / "tests" / "conftest.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "engage" and any(
                    alias.name == "create_app" for alias in node.names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
