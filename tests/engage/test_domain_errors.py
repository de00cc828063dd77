"""Coded domain errors: one base, one style of code, and a message for every code raised.

The codes are read from the source (every ``raise SomeError("code")``), so a code added or
renamed without its message, or spelt differently from its mapping's key, fails here rather
than showing residents or staff the default message.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from engage.blueprints.staff import privacy as privacy_routes
from engage.forms import messages
from engage.forms.messages import BOARD_ERRORS
from engage.models.mayor import STATUSES as MAYOR_STATUSES
from engage.services.code.coding import CodingError
from engage.services.code.themes.edits import ThemeEditError
from engage.services.code.themes.publication import QuoteError
from engage.services.code.themes.runs import RunError
from engage.services.collect import admission, contacts, drafts, privacy, question_bank
from engage.services.collect.mayor import MayorError
from engage.services.decide.plan.plans import PlanError
from engage.services.decide.priorities.groups import BoardError
from engage.services.platform import accounts
from surveys.editing import DefinitionEditError
from surveys.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
CODE_STYLE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

ALL_ERRORS: tuple[type[DomainError], ...] = (
    accounts.AccountError, drafts.BuilderError, question_bank.BankError, CodingError,
    BoardError, contacts.BadLink, admission.InvitationRequired, MayorError, PlanError,
    privacy.ErasureError, QuoteError, RunError, ThemeEditError, DefinitionEditError,
)

# Errors whose codes the web layer looks up in one mapping (the others are handled case by
# case in their routes, with a general message for the rest).
MAPPINGS: dict[str, Mapping[str, object]] = {
    "MayorError": messages.MAYOR_ERRORS,
    "ThemeEditError": messages.THEME_ERRORS,
    "RunError": messages.THEME_ERRORS,
    "QuoteError": messages.THEME_ERRORS,
    "CodingError": messages.CODING_ERRORS,
    "PlanError": messages.PLAN_ERRORS,
    "BoardError": BOARD_ERRORS,
    "ErasureError": privacy_routes._MESSAGES,
}

# Ask the Mayor codes that show MAYOR_ERROR_DEFAULT ("That cannot be done to the question in its
# current state") by design: a question in the wrong state. Every other code has its own message.
MAYOR_DEFAULT_CODES = {f"illegal_from_{status}" for status in MAYOR_STATUSES}


def _texts(node: ast.expr) -> Iterator[str]:
    """The literal codes an argument can be: a string, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _texts(node.body)
        yield from _texts(node.orelse)
    elif (isinstance(node, ast.JoinedStr) and len(node.values) == 2
          and isinstance(node.values[0], ast.Constant)
          and node.values[0].value == "illegal_from_"):
        yield from (f"illegal_from_{status}" for status in MAYOR_STATUSES)


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def raised_codes() -> list[tuple[str, str, str]]:
    """(error class, code, where) for every literal code raised in engage/ and surveys/.

    Plan titles go through ``_clean(text, limit, code)``, which raises ``code`` or
    ``code + "_long"``; those are counted as PlanError codes too.
    """
    names = {cls.__name__ for cls in ALL_ERRORS}
    found: list[tuple[str, str, str]] = []
    for package in ("engage", "surveys"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            where = str(path.relative_to(ROOT))
            for node in ast.walk(tree):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    name = _name(node.exc)
                    if name in names and node.exc.args:
                        found += [(name, code, f"{where}:{node.lineno}")
                                  for code in _texts(node.exc.args[0])]
                elif (isinstance(node, ast.Call) and _name(node) == "_clean"
                      and "plan" in where and len(node.args) == 3):
                    for code in _texts(node.args[2]):
                        found += [("PlanError", code, f"{where}:{node.lineno}"),
                                  ("PlanError", code + "_long", f"{where}:{node.lineno}")]
    return found


@pytest.mark.parametrize("error", ALL_ERRORS, ids=lambda cls: cls.__name__)
def test_each_coded_error_subclasses_the_one_base(error: type[DomainError]) -> None:
    assert issubclass(error, DomainError)
    raised = error("some_code")
    assert raised.code == "some_code"
    assert str(raised) == "some_code"
    assert isinstance(raised, ValueError)


def test_the_base_keeps_parameters_for_a_message() -> None:
    raised = DomainError("too_long", limit=200)
    assert (raised.code, raised.params) == ("too_long", {"limit": 200})


def test_subclasses_keep_their_own_details() -> None:
    assert CodingError("csv_rows", row=3).row == 3
    assert drafts.BuilderError("invalid").problems == []


def test_the_scan_finds_the_codes() -> None:
    """Guards the scan itself: without these it could pass by finding nothing."""
    found = {(name, code) for name, code, _ in raised_codes()}
    assert {("BuilderError", "slug_taken"), ("DefinitionEditError", "not_found"),
            ("MayorError", "illegal_from_rejected"), ("PlanError", "title_missing_long"),
            ("BoardError", "not_open"), ("ErasureError", "bad_reference")} <= found


def test_every_code_is_lower_case_with_underscores() -> None:
    wrong = [(name, code, where) for name, code, where in raised_codes()
             if not CODE_STYLE.fullmatch(code)]
    assert wrong == []


def test_every_code_raised_has_a_message_in_its_mapping() -> None:
    missing = [(name, code, where) for name, code, where in raised_codes()
               if name in MAPPINGS and code not in MAPPINGS[name]
               and not (name == "MayorError" and code in MAYOR_DEFAULT_CODES)]
    assert missing == []


def test_the_mayor_default_list_holds_only_codes_still_raised_without_a_message() -> None:
    raised = {code for name, code, _ in raised_codes() if name == "MayorError"}
    assert raised >= MAYOR_DEFAULT_CODES
    assert not MAYOR_DEFAULT_CODES & set(messages.MAYOR_ERRORS)


def test_every_code_raised_has_its_message_in_english_and_bengali(app: Flask) -> None:
    """Residents and staff read these in either language: a message without its Bengali
    translation shows English on a Bengali page."""
    untranslated = []
    with app.test_request_context():
        for name, code, where in raised_codes():
            if name not in MAPPINGS:
                continue
            message = MAPPINGS[name].get(code)
            if message is None and name == "MayorError" and code in MAYOR_DEFAULT_CODES:
                message = messages.MAYOR_ERROR_DEFAULT
            english = str(message or "")
            with force_locale("bn"):
                bengali = str(message or "")
            if not english or bengali == english:
                untranslated.append((name, code, where))
    assert untranslated == []


def test_the_mappings_use_the_same_style() -> None:
    for mapping in MAPPINGS.values():
        assert [key for key in mapping if not CODE_STYLE.fullmatch(key)] == []
