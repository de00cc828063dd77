"""The forms under the builder's item pages: one base form strips what is typed, rows of
options are read as a FieldList with their errors by field id, values kept as typed on error,
and every form message lives in engage.forms.messages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from wtforms import PasswordField, StringField, TextAreaField

from engage.forms import Form
from engage.forms.builder import question_form
from engage.forms.builder_actions import typed
from engage.forms.builder_conditions import condition_form
from engage.templating import form_errors
from tests.engage.test_builder_routes import BASE, _add_question, _create, _definition, _officer
from tests.engage.test_builder_routes import _post as post
from tests.pages import check_page, error_summary

FORMS = Path(__file__).resolve().parents[2] / "engage" / "forms"


def test_the_base_form_strips_text_fields_but_not_passwords(app: Flask) -> None:
    class Probe(Form):
        name = StringField(filters=[lambda v: v.upper() if isinstance(v, str) else v])
        note = TextAreaField()
        password = PasswordField()

    data = {"name": "  ann  ", "note": "\n a note \n", "password": "  secret  "}
    with app.test_request_context(method="POST", data=data):
        form = Probe(meta={"csrf": False})
    assert form.name.data == "ANN"  # stripped first, then the field's own filters
    assert form.note.data == "a note"
    assert form.password.data == "  secret  "


def test_option_rows_give_errors_by_field_id_and_keep_what_was_typed(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    question = {"id": "q", "type": "multiple-choice", "title": {"en": "Q"},
                "options": [{"id": "yes", "text": {"en": "Yes"}}]}
    data = {"title-en": "  ", "title-bn": "প্রশ্ন", "option-0-id": "yes", "option-0-en": "",
            "option-1-id": "", "option-1-en": "  Maybe ", "option-1-exclusive": "yes",
            "option-2-id": "", "option-2-bn": "না", "option-3-id": "", "option-3-en": "",
            "option-3-bn": "  ", "max_choices": "x", "action": "save"}
    with app.test_request_context(method="POST", data=data):
        form = question_form(question, ["en", "bn"])
        assert not form.validate()
        edited = form.edited(question, ["en", "bn"])
    assert form_errors(form) == [
        ("title-en", "Enter the question in the main language"),
        ("option-0-en", "Enter the option in the main language"),  # an existing row emptied
        ("option-2-en", "Enter the option in the main language"),  # Bengali only
        ("max_choices", "Enter a whole number")]
    assert [o["text"] for o in edited["options"]] == [{}, {"en": "Maybe"}, {"bn": "না"}]
    assert edited["options"][1]["exclusive"] is True and "max_choices" not in edited
    kept = typed(form)
    assert kept.get("option-1-en") == "  Maybe " and kept.get("max_choices") == "x"


def test_a_routing_rule_lists_each_row_problem_in_order(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    candidates = [{"id": "often", "type": "single-choice", "options": [{"id": "daily"}]},
                  {"id": "age", "type": "number"}]
    data = {"cond-0-question": "often", "cond-0-operator": "equals", "cond-0-value": "weekly",
            "cond-1-question": "age", "cond-1-operator": "greater-than", "cond-1-text": "ten",
            "cond-2-question": "gone", "go_to": "page:nowhere"}
    with app.test_request_context(method="POST", data=data):
        form = condition_form(candidates, [("page", "later")])
        assert not form.validate()
    assert form_errors(form) == [
        ("cond-0-value", "Select one of the question's options to compare with"),
        ("cond-1-text", "Enter a number to compare with"),
        ("cond-2-question", "Select a question"),
        ("go_to", "Select where to go")]
    with app.test_request_context(method="POST", data={"go_to": "end"}):
        form = condition_form(candidates, [("page", "later")])
        assert not form.validate()
    assert form_errors(form) == [("cond-0-question", "Add at least one condition")]


def test_question_page_shows_row_errors_and_keeps_the_limits_typed(app: Flask,
                                                                  client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    qid = _add_question(client, "single-choice", "How often")
    path = f"{BASE}/draft/questions/{qid}"
    response = post(client, path, {"title-en": " How often? ", "option-0-id": "",
                                   "option-0-bn": "রোজ", "option-1-id": "",
                                   "option-1-en": " Weekly ", "action": "save"})
    soup = check_page(response, 400)
    assert error_summary(soup) == ["Enter the option in the main language"]
    assert soup.select_one(".govuk-error-summary a")["href"] == "#option-0-en"
    assert soup.select_one("#title-en")["value"] == " How often? "  # as typed
    response = post(client, path, {"title-en": " How often? ", "option-0-id": "",
                                   "option-0-en": " Daily ", "action": "save"})
    assert response.status_code == 303
    question = _definition()["sections"][0]["pages"][0]["questions"][0]
    assert question["title"]["en"] == "How often?"
    assert question["options"] == [{"id": "daily", "text": {"en": "Daily"}}]


def test_form_messages_live_in_messages_only() -> None:
    """No forms module but those of the messages package keeps translated messages or labels
    of its own, and the package names each once across its modules (every name is read from
    the package, so a second one would silently replace the first)."""
    for path in FORMS.rglob("*.py"):
        if path.parent.name == "messages":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                calls = {n.func.id for n in ast.walk(node)
                         if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
                assert not calls & {"_l", "_", "lazy_gettext", "gettext"}, \
                    f"{path.name}:{node.lineno} keeps its own messages"
    names = [target.id for path in sorted((FORMS / "messages").glob("*.py"))
             for node in ast.parse(path.read_text(encoding="utf-8")).body
             if isinstance(node, (ast.Assign, ast.AnnAssign))
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Name)]
    assert len(names) > 200
    assert sorted({n for n in names if names.count(n) > 1}) == []
