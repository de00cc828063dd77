"""The insight report: who took part, headline results with charts and tables, methods; roles,
audit, deterministic charts."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo import surveys as demo
from engage.extensions import db
from engage.models import AuditEvent
from engage.services.report import charts, export_rows, insight_report
from tests.engage.results_helpers import share_results
from tests.locks import locked_once
from tests.pages import check_page, make_user, sign_in

URL = f"/staff/surveys/{demo.SLUG}/report"


@pytest.fixture
def demo_survey(app: Flask) -> None:
    list(demo.load(target=120))


@pytest.mark.parametrize("role", ["engagement_officer", "analyst", "partner_viewer", "admin"])
def test_report_renders_with_a_table_for_every_chart(client: FlaskClient, demo_survey: None,
                                                     role: str) -> None:
    user = make_user(role=role)
    share_results(partners=[user] if role == "partner_viewer" else [])
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(URL))
    text = soup.get_text(" ", strip=True)
    assert "Residents" in soup.h1.get_text() or soup.h1.get_text(strip=True)
    assert "120 people took part." in text
    assert "Who took part" in text and "Methods and caveats" in text
    assert "not weighted" in text and "illustrative, not official" in text
    figures = soup.select("figure.insight-figure")
    assert len(figures) >= 3
    for figure in figures:
        wrapper = figure.select_one("[role=img]")
        assert wrapper is not None and wrapper["aria-label"]
        assert figure.select_one("svg")["aria-hidden"] == "true"
        table = figure.find_next_sibling("table")
        assert table is not None and table.caption.get_text(strip=True)
    assert "style=" not in str(soup.select_one("svg"))  # CSP: no inline styles
    # Age: some bands under 10 people are suppressed, never shown as counts.
    assert "fewer than 10" in text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.view"))
    assert [e.detail["rows"] for e in events] == [120]


@pytest.mark.parametrize("role", ["moderator", "group_member"])
def test_report_is_refused_to_other_roles(client: FlaskClient, demo_survey: None,
                                          role: str) -> None:
    make_user(role=role)
    sign_in(client, "officer@example.org")
    assert client.get(URL).status_code == 403


def test_report_of_unknown_survey_is_404(client: FlaskClient, app: Flask) -> None:
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    assert client.get("/staff/surveys/nope/report").status_code == 404


def test_charts_are_deterministic_and_csp_safe() -> None:
    first = charts.share_bars(["Yes", "Don't know"], [40.0, None], [30.0, None], [50.0, None],
                              key="a")
    again = charts.share_bars(["Yes", "Don't know"], [40.0, None], [30.0, None], [50.0, None],
                              key="a")
    assert first == again
    assert first.startswith("<svg ") and "<style" not in first and "style=" not in first
    assert "Don't know" in first or "Don&#x27;t know" in first or "Don’t know" in first
    other = charts.compare_bars(["A", "B"], [10.0, 20.0], [15.0, 18.0], key="b")
    assert 'id="b-' in other and 'id="a-' not in other


def test_weighted_survey_gets_weights_in_exports_and_report(client: FlaskClient,
                                                           demo_survey: None) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from engage.services.code import weighting

    weighting.load_illustrative_population(demo.SLUG)
    outcome = weighting.run_weighting(demo.SLUG)
    assert outcome.run is not None, outcome.problems
    weights = weighting.run_weights(outcome.run)
    make_user(role="analyst")
    sign_in(client, "officer@example.org")
    soup = check_page(client.get(URL))
    text = soup.get_text(" ", strip=True)
    assert "weighted to the borough's population" in text and "not weighted" not in text
    assert "Weighted percent" in text
    token = check_page(client.get("/staff/surveys")).select_one(
        "form input[name=csrf_token]")["value"]
    body = client.post(f"/staff/surveys/{demo.SLUG}/responses.csv",
                       data={"csrf_token": token}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    filled = [float(r["weight"]) for r in rows if r["weight"]]
    assert len(filled) == len(weights) and abs(sum(filled) - sum(weights.values())) < 0.01
    response = client.post(f"/staff/surveys/{demo.SLUG}/insight.xlsx",
                           data={"csrf_token": token})
    sheet = load_workbook(io.BytesIO(response.data))["Results"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("Weighted results")
    column = values[1].index("weighted_percent")
    assert any(isinstance(row[column], float) for row in values[2:])


def test_charts_on_one_page_share_no_id_and_refer_only_to_their_own() -> None:
    import re

    first = charts.share_bars(["Yes", "No"], [40.0, 60.0], [30.0, 50.0], [50.0, 70.0], key="a")
    second = charts.share_bars(["Yes", "No"], [40.0, 60.0], [30.0, 50.0], [50.0, 70.0], key="b")
    third = charts.compare_bars(["A", "B"], [10.0, 20.0], [15.0, 18.0], key="c")
    ids = [re.findall(r'id="([^"]+)"', svg) for svg in (first, second, third)]
    assert all(ids) and all(len(set(i)) == len(i) for i in ids)
    assert not set(ids[0]) & set(ids[1]) and not set(ids[0]) & set(ids[2])
    for svg, own in zip((first, second, third), ids, strict=True):
        refs = re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)
        assert refs and set(refs) <= set(own)
    assert "<metadata" not in first and "<style" not in first  # no date: same bytes each time


def test_charts_leave_pyplot_unloaded() -> None:
    import subprocess
    import sys

    script = ("import sys; from engage.services.report import charts; "
              "charts.share_bars(['A'], [50.0], key='a'); "
              "charts.compare_bars(['A'], [50.0], [40.0], key='b'); "
              "print('matplotlib.pyplot' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_chart_labels_are_escaped() -> None:
    svg = charts.share_bars(["<script>alert(1)</script>", 'a&b "q"'], [40.0, 50.0], key="x")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<svg") == 1


def test_report_is_kept_per_data_version_and_follows_new_and_erased_responses(
        app: Flask, demo_survey: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from engage.models import Response
    from engage.services.collect import privacy
    from engage.services.report import export_rows, insight_report

    reads: list[int] = []
    real = export_rows.closed_answers

    def counted(source: export_rows.Source) -> dict[str, dict[str, object]]:
        reads.append(source.survey_id)
        return real(source)

    monkeypatch.setattr(export_rows, "closed_answers", counted)

    def figures(found: insight_report.Report) -> tuple[object, ...]:
        return (found.responses, sum(found.by_channel.values()),
                [(h.question_id, h.base, h.rows) for h in found.headlines],
                [(r.key, r.known, [(s.count, s.sample_percent) for s in r.rows])
                 for r in found.representation])

    first = insight_report.build_report(demo.SLUG)
    again = insight_report.build_report(demo.SLUG)
    assert len(reads) == 1  # the second view read no answers
    assert figures(again) == figures(first) and first.responses == 120

    list(demo.load(target=121))  # a new response
    added = insight_report.build_report(demo.SLUG)
    assert len(reads) == 2
    assert added.responses == 121 and sum(added.by_channel.values()) == 121
    assert sum(h.base for h in added.headlines) > sum(h.base for h in first.headlines)
    app.extensions["engage_report_tallies"].clear()
    # same as computed afresh
    assert figures(insight_report.build_report(demo.SLUG)) == figures(added)

    newest = db.session.scalars(select(Response).where(Response.status == "submitted")
                                .order_by(Response.id.desc())).first()
    assert newest is not None
    privacy.erase_response(newest.reference, make_user(role="admin", email="a@example.org"))
    db.session.expire_all()
    erased = insight_report.build_report(demo.SLUG)
    assert erased.responses == 120 and sum(erased.by_channel.values()) == 120
    assert figures(erased) == figures(first)


def test_bengali_report_words_results_and_charts_in_bengali(client: FlaskClient,
                                                            demo_survey: None) -> None:
    """The results are read once per data version but worded per reader: a Bengali reader
    after an English one gets Bengali question wording, chart words and digits."""
    make_user(role="engagement_officer")
    share_results()
    sign_in(client, "officer@example.org")
    english = check_page(client.get(URL))
    soup = check_page(client.get(URL + "?lang=bn"), lang="bn")
    source = export_rows.load_source(demo.SLUG)
    with client.application.test_request_context():
        shown = insight_report.build_report(demo.SLUG, "en").headlines
    assert shown
    question = source.definition.question(shown[0].question_id)
    bengali = source.definition.text(question.title, "bn")
    assert bengali != source.definition.text(question.title, "en")
    assert bengali in soup.get_text(" ", strip=True)
    assert bengali not in english.get_text(" ", strip=True)
    charts_text = " ".join(str(s) for s in soup.select("figure.insight-figure svg"))
    assert "শতাংশ" in charts_text and "Percent" not in charts_text
    assert "১০০" in charts_text and ">100<" not in charts_text
    cells = [td.get_text(strip=True) for td in soup.select("td.govuk-table__cell--numeric")]
    assert cells and not [c for c in cells if re.search("[0-9]", c)]  # Bengali digits only


def test_a_report_view_is_audited_once_through_a_briefly_locked_database(
        monkeypatch: pytest.MonkeyPatch, demo_survey: None) -> None:
    """The view's audit row is one retrying transaction (issue 20)."""
    user = make_user(role="analyst")
    report = insight_report.build_report(demo.SLUG)
    failed = locked_once(monkeypatch)
    insight_report.record_view(report, user, "192.0.2.1")
    assert failed == [1]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.view"))
    assert [e.detail["rows"] for e in events] == [120]
