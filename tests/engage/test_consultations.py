"""Consultation hub: staff create, edit, publish, close and publish results (roles, CSRF, audit,
errors that keep what was typed); the public list (filters, search, pages, drafts hidden) and
page; documents (type from content, safe headers); the open-data API."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import AuditEvent, Consultation, ConsultationDocument, MayorTopic
from engage.services.collect.consultations import documents, manage, public
from tests.engage.consultation_helpers import consultation, details, officer
from tests.pages import check_page, csrf_token, error_summary, make_user, sign_in

FORM = {"title_en": "Parks for everyone", "slug": "parks", "organisation": "NHS North East London",
        "opens_on": ["1", "12", "2026"], "closes_on": ["31", "1", "2027"],
        "summary_en": "Tell us about parks.", "wards": ["bow-east"]}


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action)) or 0


def test_each_state_change_is_audited_and_only_applies_in_order(app: Flask) -> None:
    actor = officer()
    found = consultation(actor, "draft")
    assert found.status == "draft" and _audits("consultation.create") == 1
    with pytest.raises(manage.WrongStatus):
        manage.change_status(found.id, "close", actor)
    for action, after in (("publish", "published"), ("close", "closed"),
                          ("results", "results")):
        assert manage.change_status(found.id, action, actor) == after
        assert _audits(f"consultation.{action}") == 1
    with pytest.raises(manage.WrongStatus):
        manage.change_status(found.id, "publish", actor)
    found = manage.get(found.id)
    assert found.published_at is not None and found.results_at is not None
    manage.update(found.id, details(title_en="New title"), actor)
    assert _audits("consultation.update") == 1
    with pytest.raises(manage.SlugTaken):
        manage.create(details(), actor)


def test_officer_creates_edits_and_publishes_through_the_pages(client: FlaskClient) -> None:
    officer()
    sign_in(client, "officer@example.org")
    token = csrf_token(client, "/staff/consultations/new")
    response = client.post("/staff/consultations/new", data={**FORM, "csrf_token": token})
    assert response.status_code == 303, error_summary(check_page(response, 400))
    found = db.session.scalar(select(Consultation))
    assert found.status == "draft" and [w.ward for w in found.wards] == ["bow-east"]
    assert client.get("/consultations/parks").status_code == 404  # drafts are not public
    page = check_page(client.get(f"/staff/consultations/{found.id}"))
    assert "Publish" in page.get_text()
    edit = check_page(client.get(f"/staff/consultations/{found.id}/edit"))
    assert edit.select_one("#title_en")["value"] == "Parks for everyone"
    client.post(f"/staff/consultations/{found.id}/status",
                data={"csrf_token": token, "action": "publish"})
    db.session.expire_all()
    assert db.session.get(Consultation, found.id).status == "published"
    assert _audits("consultation.publish") == 1
    check_page(client.get("/consultations/parks"))
    check_page(client.get("/staff/consultations"))


def test_form_errors_keep_what_was_typed(client: FlaskClient) -> None:
    officer()
    sign_in(client, "officer@example.org")
    token = csrf_token(client, "/staff/consultations/new")
    bad = {**FORM, "csrf_token": token, "slug": "Not A Slug", "title_en": "",
           "closes_on": ["31", "1", "2025"], "summary_en": "x" * 5001}
    soup = check_page(client.post("/staff/consultations/new", data=bad), status=400)
    messages = error_summary(soup)
    assert "Enter the title of the consultation" in messages
    assert any("web address" in m for m in messages)
    assert "The closing date must be the same as or after the opening date" in messages
    assert "This must be 5,000 characters or fewer" in messages
    assert soup.select_one("#slug")["value"] == "Not A Slug"
    assert soup.select_one("#organisation")["value"] == "NHS North East London"
    assert not db.session.scalars(select(Consultation)).all()
    consultation(make_user("other@example.org", "engagement_officer"), slug="parks")
    taken = check_page(client.post("/staff/consultations/new",
                                   data={**FORM, "csrf_token": token}), status=400)
    assert "Another consultation already uses this web address" in error_summary(taken)


@pytest.mark.parametrize("role", ["analyst", "moderator", "partner_viewer", "group_member",
                                  "interviewer"])
def test_only_engagement_officers_and_admins_manage(client: FlaskClient, role: str) -> None:
    found = consultation(officer("lead@example.org"), "draft")
    make_user(role=role)
    sign_in(client, "officer@example.org")
    for path in ("/staff/consultations", "/staff/consultations/new",
                 f"/staff/consultations/{found.id}", f"/staff/consultations/{found.id}/edit"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/staff/")
    response = client.post(f"/staff/consultations/{found.id}/status",
                           data={"csrf_token": token, "action": "publish"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Consultation, found.id).status == "draft"


def test_admin_may_manage(client: FlaskClient) -> None:
    found = consultation(officer(), "draft")
    make_user("admin@example.org", "admin")
    sign_in(client, "admin@example.org")
    check_page(client.get(f"/staff/consultations/{found.id}"))


def test_events_and_documents(client: FlaskClient) -> None:
    found = consultation(officer())
    sign_in(client, "officer@example.org")
    token = csrf_token(client, f"/staff/consultations/{found.id}/events/new")
    base = f"/staff/consultations/{found.id}"
    bad = check_page(client.post(f"{base}/events/new", data={
        "csrf_token": token, "kind": "event", "title": "Drop-in", "time": "25:00"}), status=400)
    assert "Enter the start time on the 24-hour clock, like 18:30" in error_summary(bad)
    assert bad.select_one("#title")["value"] == "Drop-in"
    assert client.post(f"{base}/events/new", data={
        "csrf_token": token, "kind": "event", "title": "Drop-in at Idea Store",
        "day": ["3", "12", "2026"], "time": "18:30",
        "place": "Idea Store Whitechapel", "accessibility": "Step-free; hearing loop"},
    ).status_code == 303
    pdf = b"%PDF-1.4\n% a tiny document\n"
    assert client.post(f"{base}/documents/new", data={
        "csrf_token": token, "title": "Options paper", "file": (io.BytesIO(pdf), "x.pdf")},
        content_type="multipart/form-data").status_code == 303
    fake = check_page(client.post(f"{base}/documents/new", data={
        "csrf_token": token, "title": "Script", "file": (io.BytesIO(b"<script>"), "a.pdf")},
        content_type="multipart/form-data"), status=400)
    assert ("The selected file must be a PDF, Word, Excel, PowerPoint or OpenDocument file"
            in error_summary(fake))
    assert client.post(f"{base}/documents/new", data={
        "csrf_token": token, "title": "Cabinet report", "url": "https://example.org/r"},
    ).status_code == 303
    both = check_page(client.post(f"{base}/documents/new", data={
        "csrf_token": token, "title": "Both", "url": "javascript:alert(1)"}), status=400)
    assert "Enter a link that starts with https://" in error_summary(both)
    assert _audits("consultation.event_add") == 1 and _audits("consultation.document_add") == 2

    page = check_page(FlaskClient(client.application).get("/consultations/library-hours"))
    text = page.get_text(" ", strip=True)
    assert "Drop-in at Idea Store" in text and "Step-free; hearing loop" in text
    doc_id = db.session.scalar(select(ConsultationDocument.id).where(
        ConsultationDocument.size > 0))
    download = client.get(f"/consultations/library-hours/documents/{doc_id}")
    assert download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="options-paper.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    token = csrf_token(client, base)
    assert client.post(f"{base}/document/{doc_id}/remove",
                       data={"csrf_token": token}).status_code == 303
    assert client.get(f"/consultations/library-hours/documents/{doc_id}").status_code == 404
    assert _audits("consultation.document_remove") == 1


def _zip(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_document_types_come_from_the_content() -> None:
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    assert documents.detect(docx, "paper.pdf")[0] == "docx"
    odt = _zip({"mimetype": documents.TYPES["odt"].encode(), "content.xml": b"<x/>"})
    assert documents.detect(odt, "a")[0] == "odt"
    for bad in (_zip({"evil.html": b"<script>"}), b"<html>", b"MZ\x90\x00"):
        with pytest.raises(documents.DocumentRefused) as refused:
            documents.detect(bad, "a.pdf")
        assert refused.value.code == "wrong_type"
    with pytest.raises(documents.DocumentRefused) as refused:
        documents.detect(b"%PDF-" + b"0" * documents.MAX_BYTES, "a.pdf")
    assert refused.value.code == "too_big"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert documents.detect(ole, "old.xls") == ("xls", documents.TYPES["xls"])
    with pytest.raises(documents.DocumentRefused):
        documents.detect(ole, "old.exe")


def test_public_list_filters_searches_and_pages(client: FlaskClient) -> None:
    actor = officer()
    topic = MayorTopic(slug="parks", name_en="Parks", name_bn="পার্ক")
    db.session.add(topic)
    db.session.commit()
    consultation(actor, "published", "open-one", title_en="Open parks",
                 topic_ids=[topic.id], wards=["bow-east"])
    consultation(actor, "closed", "closed-one", title_en="Closed housing",
                 organisation="Metropolitan Police")
    consultation(actor, "results", "results-one", title_en="Results transport")
    consultation(actor, "draft", "draft-one", title_en="Secret draft")

    def titles(query: str = "") -> list[str]:
        soup = check_page(client.get("/consultations" + query))
        return [h.get_text(strip=True) for h in soup.select("article h2")]

    assert titles() == ["Open parks", "Closed housing", "Results transport"]
    assert titles("?status=closed") == ["Closed housing"]
    assert titles("?topic=parks") == ["Open parks"]
    assert titles("?ward=bow-east") == ["Open parks"]
    assert titles("?organisation=Metropolitan+Police") == ["Closed housing"]
    assert titles("?q=TRANSPORT") == ["Results transport"]
    assert titles("?q=%25") == [] and titles("?q=draft") == []
    assert titles("?ward=nowhere&topic=x' OR 1=1--&status=zz&page=abc") == titles()
    assert client.get("/consultations/draft-one").status_code == 404
    for n in range(25):
        consultation(actor, "published", f"more-{n}", title_en=f"More {n}")
    first, second = titles(), titles("?page=2")
    assert len(first) == 20 and len(second) == 8 and not set(first) & set(second)
    refresh()
    bengali = check_page(client.get("/consultations?lang=bn&q=library"), lang="bn")
    assert bengali.select_one("nav .govuk-service-navigation__list a")


def test_consultation_page_states(client: FlaskClient) -> None:
    actor = officer()
    consultation(actor, "published")
    text = check_page(client.get("/consultations/library-hours")).get_text(" ", strip=True)
    assert "How to take part" in text and "Call 020 7364 5000" in text
    assert "Budgets are changing." in text and "The cabinet decides in March." in text
    manage.change_status(manage.get(1).id, "close", actor)
    text = check_page(client.get("/consultations/library-hours")).get_text(" ", strip=True)
    assert "We will publish the results here" in text
    refresh()
    bengali = check_page(client.get("/consultations/library-hours?lang=bn"), lang="bn")
    assert "লাইব্রেরি খোলার সময়" in bengali.h1.get_text()
    assert bengali.select_one("[lang=en]")  # English-only texts are marked as English


def test_open_data_api(client: FlaskClient) -> None:
    from jsonschema import Draft202012Validator

    actor = officer()
    consultation(actor, "published", "a")
    consultation(actor, "results", "b")
    consultation(actor, "draft", "c")
    body = client.get("/api/v1/consultations").get_json()
    assert [(c["slug"], c["status"]) for c in body["consultations"]] == [
        ("a", "open"), ("b", "results")]
    assert body["consultations"][0]["opens_on"] == date(2026, 11, 1).isoformat()
    assert "officer@example.org" not in str(body)
    spec = client.get("/api/v1/openapi.json").get_json()
    Draft202012Validator({"$ref": "#/components/schemas/Consultations",
                          "components": spec["components"]}).validate(body)
    assert spec["paths"]["/consultations"]["get"]["security"] == []


def test_open_data_api_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["OPEN_DATA_RATE_LIMIT"] = "3 per minute"
    codes = [client.get("/api/v1/consultations").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_list_service_orders_open_first(app: Flask) -> None:
    actor = officer()
    consultation(actor, "results", "r")
    consultation(actor, "published", "late", closes_on=date(2027, 3, 1))
    consultation(actor, "published", "soon", closes_on=date(2026, 12, 1))
    page = public.list_page(public.Filters())
    assert [c.slug for c in page.items] == ["soon", "late", "r"]
