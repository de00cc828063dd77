"""Codeframe services: codes and their history, CSV import, coding, bulk accept and undo,
double coding, agreement and resolutions; every change writes an audit row."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import (
    AuditEvent,
    Code,
    CodedText,
    CodeSuggestion,
    CodeVersion,
    Theme,
)
from engage.services.code.coding import CodingError, codes, double, frames, texts
from engage.services.code.coding.codes import ImportRejected
from engage.services.code.themes import edits
from tests.engage.coding_helpers import code_ids, codeframe, text_ids
from tests.engage.themes_helpers import analyst, demo_texts, finished_run
from tests.pages import make_user


def _audits(action: str) -> int:
    return int(db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action)) or 0)


def test_a_codeframe_holds_the_texts_of_its_sources(app: Flask) -> None:
    frame = codeframe()
    assert frame.text_count == len(text_ids(frame)) > 10
    assert frames.progress(frame) == {"texts": frame.text_count, "coded": 0, "second": 0}
    assert _audits("coding.codeframe_created") == 1
    with pytest.raises(CodingError) as err:
        frames.create_codeframe(analyst("a2@example.org"), "  ", ["survey:1:improve"])
    assert err.value.code == "title_missing"
    with pytest.raises(CodingError) as err:
        frames.create_codeframe(analyst("a3@example.org"), "T", ["nowhere:1"])
    assert err.value.code == "unknown_source"


def test_codes_are_versioned_and_audited(app: Flask) -> None:
    frame = codeframe()
    user = analyst("second@example.org")
    ids = code_ids(frame)
    roads = db.session.get(Code, ids["Roads"])
    codes.edit_code(roads, user, "Roads and pavements", "Potholes, kerbs", None)
    assert roads.version == 2
    versions = codes.history(roads)
    assert [(v.version, v.change, v.name) for v in versions] == [
        (2, "edited", "Roads and pavements"), (1, "created", "Roads")]
    assert _audits("coding.code_edited") == 1 and _audits("coding.code_created") == 3
    with pytest.raises(CodingError) as err:
        codes.add_code(frame, user, "roads and PAVEMENTS")
    assert err.value.code == "name_taken"
    with pytest.raises(CodingError) as err:  # two levels only
        codes.add_code(frame, user, "Lighting", parent_id=ids["Safety"])
    assert err.value.code == "parent_nested"
    parks = db.session.get(Code, ids["Parks"])
    with pytest.raises(CodingError) as err:
        codes.set_retired(parks, user, True)
    assert err.value.code == "has_children"
    codes.set_retired(roads, user, True)
    assert [r.code.name for r in codes.tree(frame)] == ["Parks", "Safety"]
    assert [(r.number, r.depth) for r in codes.tree(frame)] == [(1, 0), (2, 1)]
    codes.set_retired(roads, user, False)
    assert roads.active and roads.version == 4
    assert db.session.scalar(select(func.count()).select_from(CodeVersion)) == 6


def test_csv_import_is_all_or_nothing_with_row_messages(app: Flask) -> None:
    frame = codeframe()
    user = analyst("second@example.org")
    bad = (b"name,definition,parent\nHousing,Repairs,\n,No name,\nRepairs,Mould,Nowhere\n"
           b"Mould,,Repairs\nParks,dup,\n")
    with pytest.raises(ImportRejected) as err:
        codes.import_codes(frame, user, bad)
    assert [(p.row, p.code) for p in err.value.problems] == [
        (3, "name_missing"), (4, "parent_unknown"), (5, "parent_nested"), (6, "name_taken")]
    assert db.session.scalar(select(func.count()).select_from(Code)) == 3
    for data, code in ((b"title\nx\n", "csv_no_name_column"), (b"name\n", "csv_empty"),
                       (b"\xff\xfe\x00name", "csv_encoding")):
        with pytest.raises(CodingError) as err2:
            codes.import_codes(frame, user, data)
        assert err2.value.code == code
    good = "\ufeffName,Definition,Parent\nRepairs,Mould; leaks,Housing\nHousing,Homes,\n"
    added = codes.import_codes(frame, user, good.encode())
    assert [c.name for c in added] == ["Housing", "Repairs"]
    names = [(r.code.name, r.depth) for r in codes.tree(frame)]
    assert ("Repairs", 1) in names and names.index(("Housing", 0)) + 1 == names.index(
        ("Repairs", 1))
    assert _audits("coding.codes_imported") == 1


def test_coding_a_text_and_clearing_it(app: Flask) -> None:
    frame = codeframe()
    user = analyst("second@example.org")
    ids = code_ids(frame)
    first, second_text = text_ids(frame)[:2]
    texts.code_text(frame, first, user, [ids["Parks"], ids["Safety"]])
    coding = texts.coding_of(frame, first)
    assert coding is not None and coding.codes == {ids["Parks"], ids["Safety"]}
    texts.code_text(frame, first, user, [ids["Roads"]])  # recoding replaces
    assert texts.codings(frame) == {first: {ids["Roads"]}}
    texts.code_text(frame, second_text, user, [], no_answer=True)
    assert texts.codings(frame)[second_text] == {"none"}
    for bad, code in (([], "select_code"), ([999_999], "code_unknown")):
        with pytest.raises(CodingError) as err:
            texts.code_text(frame, first, user, bad)
        assert err.value.code == code
    with pytest.raises(CodingError) as err:
        texts.code_text(frame, first, user, [ids["Parks"]], no_answer=True)
    assert err.value.code == "codes_and_none"
    assert texts.clear_text(frame, first, user) is True
    assert texts.coding_of(frame, first) is None
    assert _audits("coding.text_coded") == 3 and _audits("coding.text_cleared") == 1
    assert texts.neighbours(frame, first) == (None, second_text)
    assert first in texts.queue(frame) and second_text not in texts.queue(frame)


def test_bulk_accept_by_code_and_threshold_is_undone_as_one(app: Flask) -> None:
    frame = codeframe()
    user = analyst("second@example.org")
    ids = code_ids(frame)
    all_texts = text_ids(frame)
    db.session.add_all([CodeSuggestion(codeframe_id=frame.id, text_id=t, code_id=ids["Roads"],
                                       confidence=0.95 if i < 5 else 0.4)
                        for i, t in enumerate(all_texts)])
    db.session.commit()
    texts.code_text(frame, all_texts[0], user, [ids["Parks"]])  # coded already: left alone
    assert texts.count_accept(frame, db.session.get(Code, ids["Roads"]), 0.9) == 4
    assert texts.queue(frame)[0] == all_texts[5]  # least sure first
    batch = texts.bulk_accept(frame, db.session.get(Code, ids["Roads"]), 0.9, user)
    assert batch.text_count == 4
    assert texts.codings(frame)[all_texts[1]] == {ids["Roads"]}
    texts.code_text(frame, all_texts[2], user, [ids["Roads"], ids["Parks"]])  # reviewed since
    assert texts.undo_batch(batch, user) == 3
    coded = texts.codings(frame)
    assert set(coded) == {all_texts[0], all_texts[2]}
    with pytest.raises(CodingError):
        texts.undo_batch(batch, user)
    with pytest.raises(CodingError) as err:
        texts.bulk_accept(frame, db.session.get(Code, ids["Roads"]), 0.99, user)
    assert err.value.code == "nothing_to_accept"
    assert _audits("coding.suggestions_accepted") == 1 and _audits("coding.batch_undone") == 1


def test_double_coding_agreement_and_resolution(app: Flask) -> None:
    frame = codeframe()
    first_coder = analyst("second@example.org")
    second_coder = make_user("third@example.org", role="analyst")
    ids = code_ids(frame)
    sample = double.draw_sample(frame, first_coder, 25, seed=3)
    again = sorted(double.draw_sample(frame, first_coder, 25, seed=3).text_ids)
    assert again == sorted(sample.text_ids)
    assert len(sample.text_ids) == round(frame.text_count * 0.25)
    picked = list(sample.text_ids)[:4]
    for t in picked:
        texts.code_text(frame, t, first_coder, [ids["Parks"]])
    with pytest.raises(CodingError) as err:
        texts.code_text(frame, picked[0], first_coder, [ids["Parks"]], stage="second")
    assert err.value.code == "same_coder"
    outside = next(t for t in text_ids(frame) if t not in sample.text_ids)
    with pytest.raises(CodingError) as err:
        texts.code_text(frame, outside, second_coder, [ids["Parks"]], stage="second")
    assert err.value.code == "not_sampled"
    assert double.next_second(frame, first_coder) not in picked
    for t in picked[:3]:
        texts.code_text(frame, t, second_coder, [ids["Parks"]], stage="second")
    texts.code_text(frame, picked[3], second_coder, [ids["Roads"]], stage="second")
    result = double.agreement(frame)
    assert result.compared == 4 and result.disagreements == [picked[3]]
    by_name = {(c.name if c else "none"): a for c, a in result.per_code}
    assert by_name["Parks"].agreed == 3 and by_name["Roads"].agreed == 3
    assert by_name["Safety"].kappa is None  # never used: undefined, not 1
    assert result.overall.units == 4 * 4 and result.overall.agreed == 14
    double.resolve(frame, picked[3], second_coder, [ids["Roads"]], False, "Mentions potholes")
    assert texts.codings(frame)[picked[3]] == {ids["Roads"]}
    after = double.agreement(frame)  # figures are of the independent codings
    assert after.disagreements == [picked[3]] and after.overall.agreed == 14
    res = double.resolution(frame, picked[3])
    assert res is not None and res.note == "Mentions potholes" and res.first_codes == [
        ids["Parks"]]
    assert _audits("coding.sample_drawn") == 2 and _audits("coding.disagreement_resolved") == 1


def test_a_codeframe_from_an_approved_theme_run(app: Flask) -> None:
    demo_texts(120)
    user = analyst()
    run = finished_run(user)
    with pytest.raises(CodingError) as err:
        frames.create_from_run(user, run, "From themes")
    assert err.value.code == "no_approved_themes"
    themes = list(db.session.scalars(select(Theme).where(Theme.run_id == run.id)
                                     .order_by(Theme.id)))[:2]
    for theme in themes:
        edits.set_approved(theme, user, True)
    assert frames.runs_with_approved_themes(user) == [run]
    frame = frames.create_from_run(user, run, "From themes")
    assert frame.text_count == run.text_count and frame.from_run_id == run.id
    assert sorted(code_ids(frame)) == sorted(t.label for t in themes)
    assert db.session.scalar(select(func.count()).select_from(CodedText)) == 0
