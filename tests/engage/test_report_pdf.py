"""The insight report as a PDF: a tagged PDF (PDF/UA-1) with the title, charts with their
alternative text and page numbers; the report's roles and visibility; audited; Bengali with and
without a Bengali font on the server."""

from __future__ import annotations

import logging
import re
import zlib

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AuditEvent
from engage.services.report import report_pdf
from tests.engage.results_helpers import share_results
from tests.pages import check_page, make_user, sign_in

URL = f"/staff/surveys/{demo.SLUG}/report.pdf"


@pytest.fixture
def demo_survey(app: Flask) -> None:
    list(demo.load(target=120))


def _text(pdf: bytes) -> str:
    """The PDF's objects and streams (inflated where compressed) as text, to look for tags,
    metadata and page objects (WeasyPrint's own reader is not public)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            out.append(match.group(1))
    return b"\n".join(out).decode("utf-8", "replace")


def _pages(text: str) -> int:
    return len(re.findall(r"/Type /Page\b(?!s)", text))


def _pdf_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.pdf")))


def test_pdf_is_tagged_with_title_charts_and_pages(client: FlaskClient, demo_survey: None,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        got = client.get(URL)
    assert got.status_code == 200
    assert got.mimetype == "application/pdf"
    assert got.data.startswith(b"%PDF-")
    assert got.headers["Content-Disposition"] == f'attachment; filename="{demo.SLUG}-report.pdf"'
    assert got.headers["Cache-Control"] == "no-store"
    text = _text(got.data)
    title = "Insight report: Partnership plan: residents' survey"
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in text  # the document's title
    assert _pages(text) >= 3  # each section starts a page
    # Tagged for screen readers: a structure tree, the language, headings, tables, and each
    # chart a Figure with its text alternative.
    assert "/StructTreeRoot" in text and "/Lang (en)" in text
    for tag in ("/S /H1", "/S /H2", "/S /Table", "/S /TH", "/S /Caption"):
        assert tag in text
    figures = re.findall(r"/S /Figure.*?(?=/S /|\Z)", text, re.S)
    assert len(figures) >= 3
    assert all(re.search(r"/Alt [(<]", f) for f in figures)  # <…>: UTF-16, for “quotes”
    assert "/Alt (Bar chart of the share of people" in text
    # WeasyPrint logs what breaks PDF/UA (an image without alternative text, no language).
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [e.detail["rows"] for e in _pdf_events()] == [120]


def test_report_page_links_to_the_pdf(client: FlaskClient, demo_survey: None) -> None:
    make_user(role="engagement_officer")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(f"/staff/surveys/{demo.SLUG}/report"))
    assert soup.select_one("#report-pdf")["href"] == URL


@pytest.mark.parametrize("role", ["moderator", "group_member", "interviewer"])
def test_pdf_is_refused_to_other_roles(client: FlaskClient, demo_survey: None,
                                       role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    assert client.get(URL).status_code == 403
    assert _pdf_events() == []


def test_pdf_follows_who_may_see_the_results(client: FlaskClient, demo_survey: None) -> None:
    partner = make_user(role="partner_viewer")
    sign_in(client, "officer@example.org")
    assert client.get(URL).status_code == 403  # results not shared with their organisation
    share_results(partners=[partner])
    assert client.get(URL).status_code == 200
    assert len(_pdf_events()) == 1


def test_pdf_needs_sign_in_and_a_survey(client: FlaskClient, demo_survey: None) -> None:
    got = client.get(URL)
    assert got.status_code in (302, 303) and "/auth/sign-in" in got.headers["Location"]
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    assert client.get("/staff/surveys/nope/report.pdf").status_code == 404


@pytest.mark.skipif(not report_pdf.has_font_for("bn"), reason="no Bengali font installed")
def test_bengali_pdf_with_a_bengali_font(client: FlaskClient, demo_survey: None) -> None:
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    got = client.get(URL + "?lang=bn")
    assert got.status_code == 200 and got.data.startswith(b"%PDF-")
    text = _text(got.data)
    assert "/Lang (bn)" in text
    assert re.search(r'xml:lang="x-default">[^<]*[\u0980-\u09ff]', text)  # a Bengali title
    assert _pages(text) >= 3


def test_bengali_without_a_font_explains_instead_of_a_pdf(
        client: FlaskClient, demo_survey: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_pdf, "has_font_for", lambda language: language != "bn")
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(URL + "?lang=bn"), lang="bn")
    assert "বাংলা" in soup.h1.get_text() or soup.h1.get_text(strip=True)
    links = [a["href"] for a in soup.select("main a")]
    assert f"/staff/surveys/{demo.SLUG}/report?open=all" in links
    assert URL + "?lang=en" in links
    assert _pdf_events() == []  # nothing was downloaded


def test_english_pdf_with_bengali_text_and_no_font_carries_a_note(
        client: FlaskClient, demo_survey: None, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    real = report_pdf.render_pdf

    def spy(html: str, label: str) -> bytes:
        rendered.append(html)
        return real(html, label)

    monkeypatch.setattr(report_pdf, "needs_font", lambda text: {"bn"})
    monkeypatch.setattr(report_pdf, "render_pdf", spy)
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    got = client.get(URL)
    assert got.status_code == 200 and got.data.startswith(b"%PDF-")
    assert 'id="font-note"' in rendered[0] and "fonts-lohit-beng-bengali" in rendered[0]


def test_needs_font_and_page_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    assert report_pdf.has_font_for("en")  # any Latin font: Pango needs one anyway
    monkeypatch.setattr(report_pdf, "has_font_for", lambda language: False)
    assert report_pdf.needs_font("Roads and bins") == set()
    assert report_pdf.needs_font("রাস্তা ও ময়লা") == {"bn"}
    places = report_pdf.PAGE_PLACES
    assert (report_pdf.page_label_css("Page {number} of {total}".format(**places), "en")
            == '"Page " counter(page) " of " counter(pages)')
    assert (report_pdf.page_label_css('পাতা {number} / "{total}"'.format(**places), "bn")
            == '"পাতা " counter(page, bengali) " / \\"" counter(pages, bengali) "\\""')


def test_titled_svg_escapes_the_alternative() -> None:
    svg = report_pdf.titled_svg('<svg class="c"><g/></svg>', 'A <b> "chart"')
    assert str(svg) == '<svg class="c"><title>A &lt;b&gt; &#34;chart&#34;</title><g/></svg>'


def test_pdf_fetches_no_url() -> None:
    with pytest.raises(ValueError):
        report_pdf._no_fetch("http://169.254.169.254/latest/meta-data")


def test_without_pango_the_page_explains(client: FlaskClient, demo_survey: None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(html: str, label: str) -> bytes:
        raise report_pdf.Unavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(report_pdf, "render_pdf", unavailable)
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(URL))
    assert soup.h1.get_text(strip=True) == "The PDF cannot be made on this server"
    assert "libpango-1.0-0" in soup.get_text()
    assert _pdf_events() == []
