"""Email address and UK address questions: validation with GOV.UK messages, display, the export
cell, and the check that refuses them in an anonymous survey."""

from __future__ import annotations

from typing import Any

import pytest

import surveys
from surveys import tabulate


def errors(result: surveys.PageResult) -> list[tuple[str, str]]:
    return [(e.field, e.text) for e in result.errors]


@pytest.fixture
def email(make: Any) -> surveys.Survey:
    return make.one(make.question("email", "email"))


@pytest.fixture
def address(make: Any) -> surveys.Survey:
    return make.one(make.question("home", "uk-address"))


@pytest.mark.parametrize("typed", ["name@example.com", " a.b+c@council.gov.uk ",
                                   "রহিম@example.com"])
def test_email_accepted(email: surveys.Survey, validate: Any, typed: str) -> None:
    r = validate(email, {"q-email": typed})
    assert r.ok and r.answers == {"email": typed.strip()}


@pytest.mark.parametrize("typed", ["name", "name@example", "name@@example.com", "a b@c.com",
                                   "name@example..com", "@example.com"])
def test_email_refused(email: surveys.Survey, validate: Any, typed: str) -> None:
    assert errors(validate(email, {"q-email": typed})) == [
        ("q-email", "Enter an email address in the correct format, like name@example.com")]


def test_email_missing_and_too_long(email: surveys.Survey, validate: Any) -> None:
    assert errors(validate(email, {})) == [("q-email", "Enter an email address")]
    long = "a" * 250 + "@x.com"
    assert errors(validate(email, {"q-email": long})) == [
        ("q-email", "Email address must be 254 characters or fewer")]


def test_address_accepted_and_postcode_normalised(address: surveys.Survey,
                                                   validate: Any) -> None:
    r = validate(address, {"q-home-line1": "1 Mile End Road", "q-home-line2": "",
                           "q-home-town": "London", "q-home-postcode": "e3 4qs"})
    assert r.ok and r.answers == {"home": {"line1": "1 Mile End Road", "town": "London",
                                           "postcode": "E3 4QS"}}
    answer = r.answers["home"]
    assert surveys.display_answer(address, "home", answer, "en") == \
        "1 Mile End Road\nLondon\nE3 4QS"
    assert surveys.to_form_data(address, "p", r.answers)["q-home-postcode"] == ["E3 4QS"]
    column = tabulate.columns(address)[0]
    assert tabulate.cell(address, column, r.answers) == "1 Mile End Road, London, E3 4QS"
    assert tabulate.row_maker(address, [column])(r.answers) == ["1 Mile End Road, London, E3 4QS"]


def test_address_errors_on_each_part(address: surveys.Survey, validate: Any) -> None:
    assert errors(validate(address, {})) == [("q-home-line1", "Enter an address")]
    r = validate(address, {"q-home-line2": "Flat 2", "q-home-postcode": "E1"})
    assert errors(r) == [
        ("q-home-line1", "Enter address line 1, typically the building and street"),
        ("q-home-town", "Enter town or city"),
        ("q-home-postcode", "Enter a full UK postcode, like E1 6AN")]
    r = validate(address, {"q-home-line1": "1 High St", "q-home-town": "London"})
    assert errors(r) == [("q-home-postcode", "Enter postcode")]
    r = validate(address, {"q-home-line1": "x" * 101, "q-home-town": "London",
                           "q-home-postcode": "E1 6AN"})
    assert errors(r) == [("q-home-line1",
                          "Each line of the address must be 100 characters or fewer")]


def test_bengali_digits_in_postcode_are_read(address: surveys.Survey, validate: Any) -> None:
    r = validate(address, {"q-home-line1": "১ High St", "q-home-town": "London",
                           "q-home-postcode": "E1 6AN"})
    assert r.ok


def test_personal_types_are_not_free_text(make: Any) -> None:
    s = make.load(make.definition(make.page("p", make.question("email", "email"),
                                            make.question("home", "uk-address"))))
    answers = {"email": "a@b.com", "home": {"line1": "1 High St", "town": "London",
                                            "postcode": "E1 6AN"}}
    assert surveys.free_text_answers(s, answers) == []


def test_check_anonymous_names_each_personal_question(make: Any) -> None:
    s = make.load(make.definition(make.page("p", make.question("email", "email"),
                                            make.question("home", "uk-address"),
                                            make.question("why", "long-text"))))
    problems = surveys.check_anonymous(s)
    assert [(p.kind, p.question) for p in problems] == [("personal-question", "email"),
                                                        ("personal-question", "home")]
    assert "cannot be anonymous" in problems[0].message
