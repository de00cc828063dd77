"""The responses CSV, byte for byte: a survey with every question type (the demo survey and an
email and address section), odd and hostile answers, fieldwork details, weights and theme and
code columns, exported as an administrator (as written) and as an engagement officer (redacted)
must give exactly the files in tests/engage/data. The export is optimised for speed (issue 21);
this pins its output so that no optimisation changes a byte.

The expected files were written by the export before it was optimised (commit "Tests: the
responses CSV compared byte for byte"). Regenerate them only for an intended change of output:
ENGAGE_WRITE_GOLDEN=1 pytest tests/engage/test_export_golden.py
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition
from engage.extensions import db
from engage.models import Response
from engage.services.collect.published_surveys import publish_definition
from engage.services.report import export_rows, exports, insight_sources
from engage.services.report.insight_sources import ThemeColumns
from tests.engage.test_personal_questions import contact_definition
from tests.pages import make_user

DATA = Path(__file__).resolve().parent / "data"
SLUG = "export-golden"
CHANNELS = ["online", "face_to_face", "phone", "paper", "import", "group_session"]


def _definition() -> dict[str, object]:
    definition = demo_definition()
    definition["id"] = SLUG
    contact = contact_definition()["sections"][0]
    contact["id"] = "contact"
    contact["pages"][0]["id"], contact["pages"][1]["id"] = "contact-email", "contact-home"
    sections = definition["sections"]
    assert isinstance(sections, list)
    sections.append(contact)
    return definition


@pytest.fixture
def golden(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The survey and its 40 responses (a second version for the last ten); weights and theme
    and code columns for some of them."""
    first = publish_definition(_definition(), lawful_basis=LAWFUL_BASIS,
                               privacy_notice=PRIVACY, anonymous=False)
    interviewer = make_user("interviewer@example.org", role="interviewer")
    start = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    answer_sets = json.loads((DATA / "export_answers.json").read_text("utf-8"))
    ids = []
    version_id = first.id
    for i, item in enumerate(answer_sets):
        if i == 30:  # a second published version: the survey_version column changes
            definition = _definition()
            definition["description"] = {"en": "Second wave", "bn": "দ্বিতীয় পর্ব"}
            version_id = publish_definition(definition, lawful_basis=LAWFUL_BASIS,
                                            privacy_notice=PRIVACY, anonymous=False).id
        channel = CHANNELS[i % len(CHANNELS)]
        assisted = channel in ("face_to_face", "phone")
        submitted = start + timedelta(hours=7 * i, seconds=i)
        response = Response(
            survey_id=first.survey_id, survey_version_id=version_id, status="submitted",
            channel=channel, language=item["language"], answers=item["answers"],
            reference=f"G{i:03d}-{i * 7 % 1000:04d}", started_at=submitted,
            updated_at=submitted, submitted_at=submitted,
            interviewer_id=interviewer.id if assisted else None, proxy=assisted and i % 4 == 0,
            batch=("=SUM(1)" if i == 8 else f"Week {i % 3}") if channel != "online" else None,
            sheet_number=str(i) if channel == "paper" else None,
            consent_recorded_at=submitted if assisted else None)
        db.session.add(response)
        db.session.flush()
        ids.append(response.id)
    db.session.add(Response(survey_id=first.survey_id, survey_version_id=version_id,  # not sent
                            status="in_progress", channel="online", language="en",
                            answers={"improve": "unsent"}))
    db.session.commit()
    weights = {rid: 0.25 + (n % 9) * 0.3333333 for n, rid in enumerate(ids) if n % 5}
    themes = ThemeColumns(
        ["Theme: Housing", "Theme: =Crime", "Code: Parks"],
        {rid: ["1" if n % 2 else "", "1" if n % 3 == 0 else "", "1" if n % 7 == 0 else ""]
         for n, rid in enumerate(ids) if n % 4}, ["theme", "theme", "code"])
    monkeypatch.setattr(export_rows, "response_weights", lambda survey_id: weights)
    monkeypatch.setattr(insight_sources, "response_themes", lambda survey_id: themes)
    return ids


def _export(role: str) -> bytes:
    actor = make_user(f"{role}@example.org", role=role)
    export = exports.responses_csv(SLUG, actor)
    return "".join(str(chunk) for chunk in export.chunks).encode("utf-8")


@pytest.mark.parametrize("role", ["admin", "engagement_officer"])
def test_responses_csv_is_byte_for_byte_what_it_was(golden: list[int], role: str) -> None:
    expected = DATA / f"export_golden_{role}.csv"
    got = _export(role)
    if os.environ.get("ENGAGE_WRITE_GOLDEN"):
        expected.write_bytes(got)
    assert got == expected.read_bytes()
    assert got.count(b"\r\n") == 41  # the header and the 40 sent responses


def test_batches_of_rows_report_progress(golden: list[int], monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.setattr(exports, "BATCH", 16)
    seen: list[int] = []
    export = exports.responses_csv(SLUG, make_user(role="admin"), progress=seen.append)
    chunks = list(export.chunks)
    assert seen == [16, 32] and len(chunks) == 4  # the header, two batches, the rest
    assert "".join(map(str, chunks)).encode() == (
        DATA / "export_golden_admin.csv").read_bytes()


def test_rows_read_in_many_small_parts_are_the_same(golden: list[int],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Six reads of 7 rows from the database give the same file."""
    monkeypatch.setattr(export_rows, "FETCH", 7)
    assert _export("admin") == (DATA / "export_golden_admin.csv").read_bytes()
    assert _export("engagement_officer") == (
        DATA / "export_golden_engagement_officer.csv").read_bytes()


def test_finished_cells_are_kept_for_at_most_a_thousand_values() -> None:
    finished = export_rows._Finished(exports.safe_cell)
    assert finished["=1"] == "'=1" and finished[None] == "" and finished["=1"] == "'=1"
    for n in range(5000):
        assert finished[f"-{n}"] == f"'-{n}"
    assert len(finished) == 1000
