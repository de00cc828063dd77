"""References: format, alphabet, tidying what residents type, and the one writer that tries
again with fresh references when one is taken."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.extensions import db
from engage.models import FreeTextAnswer, Response
from engage.services.collect import paper, responses
from engage.services.collect.published_surveys import (
    PublishedSurvey,
    publish_definition,
    published_survey,
)
from engage.services.platform import references
from engage.services.platform.references import (
    ALPHABET,
    PATTERN,
    NoFreeReference,
    new_reference,
    normalise_reference,
    with_new_references,
)
from tests.engage.contacts_helpers import DEFINITION, SLUG
from tests.pages import make_user


def test_new_references_match_the_format() -> None:
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    for ref in refs:
        assert PATTERN.match(ref)
        assert not set(ref.replace("-", "")) & set("01OIL")


@pytest.mark.parametrize("typed, expected", [
    ("K7M3-9QPX", "K7M3-9QPX"),
    ("k7m3 9qpx", "K7M3-9QPX"),
    (" k7m39qpx ", "K7M3-9QPX"),
    ("K7M3–9QPX", "K7M3-9QPX"),
    ("K7M3-9QP", None),
    ("K7M0-9QPX", None),
    ("", None),
    ("<script>", None),
])
def test_normalise_reference(typed: str, expected: str | None) -> None:
    assert normalise_reference(typed) == expected


def test_alphabet_has_no_lookalikes() -> None:
    assert len(ALPHABET) == 31


# ---------------------------------------------------------------- the one retrying writer
# (issue 20): survey receipts, paper sheets, imports and Ask the Mayor all store references
# through references.with_new_references.

def _answered(survey: PublishedSurvey) -> int:
    rid = responses.start_response(survey, "en")
    responses.save_page(rid, "use", {"use": "yes"}, "en")
    return rid


@pytest.fixture
def survey(app: Flask) -> PublishedSurvey:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="We keep it")
    return published_survey(SLUG)


def test_with_new_references_runs_the_write_again_after_a_clash(app: Flask) -> None:
    calls: list[int] = []

    def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return "done"

    assert with_new_references(write) == "done" and len(calls) == 3
    calls.clear()
    with pytest.raises(NoFreeReference):
        with_new_references(write, tries=2)
    assert len(calls) == 2

    def refuse(exc: IntegrityError) -> None:
        raise LookupError("not a reference's constraint") from exc

    calls.clear()
    with pytest.raises(LookupError):
        with_new_references(write, clash=refuse)
    assert len(calls) == 1


def test_a_submit_that_draws_a_taken_reference_gets_a_fresh_one(
        survey: PublishedSurvey, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = responses.submit(_answered(survey), survey)
    given = iter([taken, "ABCD-EFGH"])
    monkeypatch.setattr(responses, "new_reference", lambda: next(given))
    assert responses.submit(_answered(survey), survey) == "ABCD-EFGH"


def test_a_submit_that_never_finds_a_free_reference_saves_nothing(
        survey: PublishedSurvey, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = responses.submit(_answered(survey), survey)
    monkeypatch.setattr(responses, "new_reference", lambda: taken)
    rid = _answered(survey)
    with pytest.raises(NoFreeReference):
        responses.submit(rid, survey)
    row = db.session.get(Response, rid)
    assert row is not None and row.status == "in_progress" and row.reference is None
    assert db.session.scalar(select(func.count()).select_from(FreeTextAnswer).where(
        FreeTextAnswer.response_id == rid)) == 0


def test_a_paper_sheet_retries_a_clash_but_not_a_racing_keyer(
        survey: PublishedSurvey, monkeypatch: pytest.MonkeyPatch) -> None:
    me = make_user("officer@example.org", role="engagement_officer")
    answers = {"use": "no"}
    taken = paper.record_paper(survey, answers, language="en", batch="B", sheet_number="1",
                               keyed_by=me)
    given = iter([taken, "ABCD-EFGH"])
    monkeypatch.setattr(paper, "new_reference", lambda: next(given))
    assert paper.record_paper(survey, answers, language="en", batch="B", sheet_number="2",
                              keyed_by=me) == "ABCD-EFGH"
    # A keyer who got in between the check and the insert: the clash is the sheet's.
    checks = iter([False])
    real = paper.sheet_taken
    monkeypatch.setattr(paper, "sheet_taken", lambda *a: next(checks, None) or real(*a))
    monkeypatch.setattr(paper, "new_reference", references.new_reference)
    with pytest.raises(paper.DuplicateSheet):
        paper.record_paper(survey, answers, language="en", batch="B", sheet_number="1",
                           keyed_by=me)
