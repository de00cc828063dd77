"""The builder turns "Other, please specify" on for an option of single and multiple choice."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.engage.test_builder_routes import (
    BASE,
    _add_question,
    _create,
    _definition,
    _officer,
    _post,
)
from tests.pages import check_page


@pytest.mark.parametrize("qtype", ["single-choice", "multiple-choice"])
def test_builder_marks_an_option_as_other(app: Flask, client: FlaskClient, qtype: str) -> None:
    _officer(client)
    _create(client)
    qid = _add_question(client, qtype, "Which parks do you visit?")
    path = f"{BASE}/draft/questions/{qid}"
    response = _post(client, path, {
        "title-en": "Which parks do you visit?", "title-bn": "প্রশ্ন", "required": "yes",
        "option-count": "3", "option-0-en": "Victoria Park", "option-1-en": "Mile End Park",
        "option-2-en": "Other", "option-2-bn": "অন্য", "option-2-other": "yes",
        "action": "save"})
    assert response.status_code == 303, response.data[:800]
    question = _definition()["sections"][0]["pages"][0]["questions"][0]
    assert [o.get("other", False) for o in question["options"]] == [False, False, True]
    soup = check_page(client.get(path))
    assert soup.select_one("#option-2-other").has_attr("checked")
    assert not soup.select_one("#option-0-other").has_attr("checked")
    # The preview shows the write-in box inside the Other option.
    page_id = _definition()["sections"][0]["pages"][0]["id"]
    preview = check_page(client.get(f"{BASE}/draft/preview/en/{page_id}"))
    assert preview.find("input", attrs={"name": f"q-{qid}-other"}) is not None


def test_no_other_flag_on_ranking(app: Flask, client: FlaskClient) -> None:
    _officer(client)
    _create(client)
    qid = _add_question(client, "ranking", "Rank these")
    soup = check_page(client.get(f"{BASE}/draft/questions/{qid}"))
    _post(client, f"{BASE}/draft/questions/{qid}", {
        "title-en": "Rank these", "option-count": "2", "option-0-en": "A", "option-1-en": "B",
        "option-1-other": "yes", "action": "save"})
    assert soup.select_one("#option-0-other") is None
    assert all("other" not in o for o in
               _definition()["sections"][0]["pages"][0]["questions"][0]["options"])
