"""The question bank: save a question or block of a draft, add it to another draft with ids
made unique there, list and delete; audited; builder roles only; Bengali pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.demo import builder as demo_builder
from engage.extensions import db
from engage.models import AuditEvent, BankEntry, Survey
from engage.services.collect import drafts as builder
from engage.services.collect import question_bank
from surveys import editing
from tests.engage.test_builder_routes import _post
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

SOURCE = demo_builder.SLUG  # libraries-2027: English and Bengali, routing, demographics
TARGET = "park-2027"


@pytest.fixture
def drafts(app: Flask) -> None:
    list(demo_builder.load())
    draft = builder.create_survey(None, TARGET, {"en": "Parks"}, ["en"])
    builder.change_definition(None, draft, lambda d: editing.add_question(
        d, qtype="long-text", section_id="section-1",
        title={"en": "How often do you use a library?"})[0], "demo")


def _draft(slug: str) -> dict:  # type: ignore[type-arg]
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    db.session.refresh(survey)
    return survey.draft


def _actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


# Service


def test_save_add_and_delete_through_the_service(drafts: None) -> None:
    officer = make_user()
    source = _draft(SOURCE)
    question_id = next(q["id"] for _s, _p, q in editing.walk_questions(source.definition))
    saved = question_bank.save(officer, source, "question", question_id, " How often ")
    entry = saved.entry
    assert entry.name == "How often" and entry.kind == "question"
    assert entry.languages == ["en", "bn"] and entry.created_by == officer
    assert entry.content["title"]["bn"] == "আপনি কত ঘন ঘন লাইব্রেরি ব্যবহার করেন?"
    with pytest.raises(question_bank.BankError):
        question_bank.save(officer, source, "question", question_id, "how OFTEN")
    target = _draft(TARGET)
    # the target already has a question with this id: the added one gets a new id
    taken = {q["id"] for _s, _p, q in editing.walk_questions(target.definition)}
    assert question_id in taken
    new_id = question_bank.add_to_draft(officer, target, entry, "section-1")
    assert new_id == f"{question_id}-2"
    added = editing.get(_draft(TARGET).definition, "question", new_id)
    assert added["title"] == {"en": "How often do you use a library?"}  # English-only survey
    events = _actions("survey.draft.bank-add")
    assert [(e.detail["entry"], e.detail["slug"]) for e in events] == [(entry.id, TARGET)]
    question_bank.delete(officer, entry)
    assert db.session.scalar(select(func.count(BankEntry.id))) == 0
    assert [e.detail["name"] for e in _actions("bank.save")] == ["How often"]
    assert [e.detail["name"] for e in _actions("bank.delete")] == ["How often"]
    assert editing.get(_draft(TARGET).definition, "question", new_id)  # the copy stays


def test_a_block_and_the_demographics_block(drafts: None) -> None:
    officer = make_user()
    source = _draft(SOURCE)
    section = question_bank.save(officer, source, "block", "section-1", "Library use").entry
    about = question_bank.save(officer, source, "block",
                               str(editing.demographics_id(source.definition)), "About you")
    assert about.entry.content["type"] == "demographics"
    target = _draft(TARGET)
    before = {str(p) for p in builder.check_draft(target).problems}
    new_section = question_bank.add_to_draft(officer, target, section)
    new_block = question_bank.add_to_draft(officer, _draft(TARGET), about.entry)
    definition = _draft(TARGET).definition
    assert [s["id"] for s in editing.sections(definition)] == ["section-1", new_section,
                                                               new_block]
    ids = [q["id"] for _s, _p, q in editing.walk_questions(definition)]
    assert len(ids) == len(set(ids))
    with pytest.raises(editing.DefinitionEditError):
        question_bank.add_to_draft(officer, _draft(TARGET), about.entry)
    # what was added brings no problem of its own: ids, routing and conditions hold
    after = {str(p) for p in builder.check_draft(_draft(TARGET)).problems}
    assert after <= before, after - before


# Routes

SAVE = f"/staff/surveys/{SOURCE}/draft/bank/save"
ADD = f"/staff/surveys/{TARGET}/draft/bank/add"


def _first_question() -> str:
    return next(q["id"] for _s, _p, q in editing.walk_questions(_draft(SOURCE).definition))


def test_save_page_keeps_what_was_typed_and_saves(client: FlaskClient, drafts: None) -> None:
    make_user()
    sign_in(client, "officer@example.org")
    qid = _first_question()
    overview = check_page(client.get(f"/staff/surveys/{SOURCE}/build"))
    assert overview.find("a", href=f"{SAVE}?kind=question&id={qid}") is not None
    assert overview.find("a", href=f"{SAVE}?kind=block&id=section-1") is not None
    soup = check_page(client.get(f"{SAVE}?kind=question&id={qid}"))
    assert soup.select_one("#name")["value"] == "How often do you use a library?"
    got = _post(client, SAVE, {"kind": "question", "id": qid, "name": "   "})
    soup = check_page(got, 400)
    assert error_summary(soup) == ["Enter a name for the bank entry"]
    got = _post(client, SAVE, {"kind": "question", "id": qid, "name": "x" * 121})
    assert error_summary(check_page(got, 400)) == ["The name must be 120 characters or fewer"]
    assert check_page(got, 400).select_one("#name")["value"] == "x" * 121
    got = _post(client, SAVE, {"kind": "question", "id": qid, "name": "Library use"},
                follow=True)
    soup = check_page(got)
    assert got.request.path == f"/staff/surveys/{SOURCE}/build"
    assert "Saved to the question bank as “Library use”" in soup.select_one(
        ".govuk-notification-banner").get_text()
    got = _post(client, SAVE, {"kind": "question", "id": qid, "name": "library USE"})
    soup = check_page(got, 400)
    assert error_summary(soup) == ["There is already a bank entry with this name"]
    assert soup.select_one("#name")["value"] == "library USE"
    assert db.session.scalar(select(func.count(BankEntry.id))) == 1
    assert len(_actions("bank.save")) == 1
    # a page whose question has a skip rule on another question says it was left out
    got = _post(client, SAVE, {"kind": "block", "id": str(editing.page_of_question(
        _draft(SOURCE).definition, qid)), "name": "A page"})
    assert got.status_code == 404  # pages are not bank items: questions and blocks are


def test_save_refuses_unknown_items(client: FlaskClient, drafts: None) -> None:
    make_user()
    sign_in(client, "officer@example.org")
    assert client.get(f"{SAVE}?kind=question&id=nope").status_code == 404
    assert client.get(f"{SAVE}?kind=page&id={_first_question()}").status_code == 404
    assert client.get("/staff/surveys/nope/draft/bank/save?kind=question&id=x"
                      ).status_code == 404


def test_add_page_adds_to_another_draft(client: FlaskClient, drafts: None) -> None:
    officer = make_user()
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(ADD))
    assert "The question bank is empty" in soup.get_text()
    source = _draft(SOURCE)
    qid = _first_question()
    entry = question_bank.save(officer, source, "question", qid, "Library use").entry
    about = question_bank.save(officer, source, "block",
                               str(editing.demographics_id(source.definition)),
                               "About you").entry
    soup = check_page(client.get(ADD))
    assert [i["value"] for i in soup.select("input[name=entry]")] == [str(about.id),
                                                                     str(entry.id)]
    assert error_summary(check_page(_post(client, ADD, {"section": "section-1"}), 400)) == [
        "Select a question or block to add"]
    got = _post(client, ADD, {"entry": str(entry.id), "section": "nope"})
    soup = check_page(got, 400)
    assert error_summary(soup) == ["Select the section to add the question to"]
    assert soup.select_one(f"input[value='{entry.id}']").has_attr("checked")
    got = _post(client, ADD, {"entry": str(entry.id), "section": "section-1"})
    assert got.status_code == 303
    assert got.headers["Location"].endswith(f"/staff/surveys/{TARGET}/build#question-{qid}-2")
    soup = check_page(client.get(f"/staff/surveys/{TARGET}/build"))
    assert soup.select_one(f"#question-{qid}-2") is not None
    assert _post(client, ADD, {"entry": str(about.id)}).status_code == 303
    got = _post(client, ADD, {"entry": str(about.id)})
    assert error_summary(check_page(got, 400)) == [
        "This survey already has demographic questions: change them on the survey page instead"]
    assert len(_actions("survey.draft.bank-add")) == 2


def test_list_and_delete(client: FlaskClient, drafts: None) -> None:
    officer = make_user()
    sign_in(client, "officer@example.org")
    entry = question_bank.save(officer, _draft(SOURCE), "question", _first_question(),
                               "<b>Library</b> use").entry
    soup = check_page(client.get("/staff/question-bank"))
    card = soup.select_one("#bank-entries .govuk-summary-card")
    assert card.h2.get_text(strip=True) == "<b>Library</b> use"  # shown as typed, escaped
    assert "<b>" not in str(card.h2)
    values = [d.get_text(" ", strip=True) for d in card.select(".govuk-summary-list__value")]
    assert values[:2] == [f"Question · from {SOURCE}", "English, বাংলা"]
    assert values[2].startswith("officer, ")
    delete = f"/staff/question-bank/{entry.id}/delete"
    check_page(client.get(delete))
    assert db.session.scalar(select(func.count(BankEntry.id))) == 1  # GET changes nothing
    got = _post(client, delete, {}, follow=True)
    assert got.request.path == "/staff/question-bank"
    assert "The question bank is empty." in check_page(got).get_text()
    assert [e.detail["name"] for e in _actions("bank.delete")] == ["<b>Library</b> use"]
    assert client.get(delete).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "partner_viewer", "moderator", "interviewer"])
def test_other_roles_are_refused(client: FlaskClient, drafts: None, role: str) -> None:
    officer = make_user("builder@example.org")
    entry = question_bank.save(officer, _draft(SOURCE), "question", _first_question(),
                               "Library use").entry
    make_user(role=role)
    sign_in(client, "officer@example.org")
    for url in (f"{SAVE}?kind=question&id={_first_question()}", ADD, "/staff/question-bank",
                f"/staff/question-bank/{entry.id}/delete"):
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/staff/")
    assert client.post(f"/staff/question-bank/{entry.id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(func.count(BankEntry.id))) == 1


def test_signed_out_goes_to_sign_in(client: FlaskClient, drafts: None) -> None:
    got = client.get("/staff/question-bank")
    assert got.status_code in (302, 303) and "/auth/sign-in" in got.headers["Location"]


def test_bank_pages_in_bengali(client: FlaskClient, drafts: None) -> None:
    officer = make_user()
    sign_in(client, "officer@example.org")
    question_bank.save(officer, _draft(SOURCE), "question", _first_question(), "Library use")
    soup = check_page(client.get("/staff/question-bank?lang=bn"), lang="bn")
    assert soup.h1.get_text(strip=True) == "প্রশ্ন ব্যাংক"
    soup = check_page(client.get(ADD), lang="bn")
    assert soup.h1.get_text(strip=True) == "প্রশ্ন ব্যাংক থেকে যোগ করুন"
    got = _post(client, ADD, {"section": "section-1"})
    assert error_summary(check_page(got, 400, lang="bn")) == [
        "যোগ করার জন্য একটি প্রশ্ন বা ব্লক বেছে নিন"]
