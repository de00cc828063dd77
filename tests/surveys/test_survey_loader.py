"""Loading: the schema, every kind of problem with its location, the object model."""

from __future__ import annotations

import dataclasses
import json

import pytest

import surveys
from surveys import load_survey


def test_demo_survey_loads_without_problems_or_missing_translations(demo_definition) -> None:  # type: ignore[no-untyped-def]
    result = load_survey(demo_definition)
    assert result.problems == ()
    assert result.warnings == ()
    assert result.ok


def test_demo_survey_uses_every_question_type_and_the_demographics_block(demo_survey) -> None:  # type: ignore[no-untyped-def]
    types = {q.type for q in demo_survey.questions}
    # Email and address questions are personal data, refused in an anonymous survey such as
    # the demo (tests/surveys/test_personal_types.py covers them).
    personal = {surveys.types.EMAIL, surveys.types.UK_ADDRESS}
    assert types == set(surveys.types.QUESTION_TYPES) - personal
    assert demo_survey.id == "residents-2026"
    assert demo_survey.languages == ("en", "bn")
    for name in surveys.DEMOGRAPHIC_NAMES:
        q = demo_survey.demographic_question(name)
        assert q is not None and not q.required
        assert "prefer-not-to-say" in q.option_ids
    routed = [p for p in demo_survey.pages if p.routes]
    skipped = [p for p in demo_survey.pages if p.when] + [s for s in demo_survey.sections if s.when]
    assert len(routed) + len(skipped) >= 2


def test_model_lookups(demo_survey) -> None:  # type: ignore[no-untyped-def]
    assert demo_survey.page("home").questions[0].id == "ward"
    assert demo_survey.question("years-lived").type == "number"
    assert demo_survey.page_of("children").id == "home"
    assert demo_survey.section("services").pages[0].id == "services-used"
    with pytest.raises(KeyError):
        demo_survey.page("nope")
    with pytest.raises(KeyError):
        demo_survey.section("nope")
    with pytest.raises(dataclasses.FrozenInstanceError):
        demo_survey.id = "x"


def test_ethnicity_has_census_groups_with_bangladeshi(demo_survey) -> None:  # type: ignore[no-untyped-def]
    q = demo_survey.demographic_question("ethnicity")
    assert q is not None
    assert len(q.options) == 20  # 19 Census 2021 categories and "prefer not to say"
    bangladeshi = q.option("bangladeshi")
    assert bangladeshi is not None and bangladeshi.text["bn"] == "বাংলাদেশি"
    assert bangladeshi.group is not None and bangladeshi.group["en"] == "Asian or Asian British"


def test_translation_fallback(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", make.question("q", "short-text")), languages=("en", "bn")
    )
    definition["title"] = {"en": "Survey", "bn": "জরিপ"}
    result = load_survey(definition)
    assert result.ok
    s = result.survey
    assert s.text(s.title, "bn") == "জরিপ"
    assert s.text(s.question("q").title, "bn") == "Question q?"  # falls back to English
    assert s.text(s.question("q").title, "fr") == "Question q?"
    assert {w.path for w in result.warnings} >= {
        "sections[0].pages[0].questions[0].title.bn",
        "sections[0].title.bn",
    }
    assert all(w.kind == "missing-translation" for w in result.warnings)


def test_error_messages_use_the_residents_language(make, validate) -> None:  # type: ignore[no-untyped-def]
    q = make.question("q", "short-text", name={"en": "your name", "bn": "আপনার নাম"})
    s = make.load(make.definition(make.page("p", q), languages=("en", "bn")))
    error = validate(s, {}, language="bn").errors[0]
    assert error.message == "Enter %(name)s" and error.params == {"name": "আপনার নাম"}
    assert error.render(lambda msgid: "লিখুন: %(name)s") == "লিখুন: আপনার নাম"


def test_not_an_object() -> None:
    for data in (None, [], "x", 3):
        result = load_survey(data)
        assert result.survey is None and result.problems[0].kind == "schema"


def test_json_syntax_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text("{", "utf-8")
    assert [p.kind for p in surveys.load_survey_file(path).problems] == ["json"]


def test_schema_problems_are_all_reported_with_locations(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", make.question("Bad Id", "single-choice", options=make.options("a"))),
        make.page("q", make.question("n", "number", min="zero", colour="red")),
    )
    problems = load_survey(definition).problems
    paths = {p.path for p in problems}
    assert all(p.kind == "schema" for p in problems)
    assert "sections[0].pages[0].questions[0].id" in paths
    assert "sections[0].pages[0].questions[0].options" in paths
    assert "sections[0].pages[1].questions[0].min" in paths
    assert any("colour" in p.message for p in problems)


def test_deep_nesting_is_a_problem_not_a_crash(make) -> None:  # type: ignore[no-untyped-def]
    cond: dict = {"op": "answered", "question": "a"}
    for _ in range(500):
        cond = {"op": "not", "condition": cond}
    definition = make.definition(
        make.page("p", make.question("a", "short-text")),
        make.page("q", make.question("b", "short-text"), when=cond),
    )
    assert load_survey(definition).problems[0].kind == "schema"


def test_load_survey_or_raise(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(surveys.SurveyError) as info:
        surveys.load_survey_or_raise({"id": "x"})
    assert info.value.problems


def test_schema_ships_in_the_package() -> None:
    schema = surveys.survey_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    json.dumps(schema)


# ---- every kind of problem of meaning, each with its location ----


def problems(definition):  # type: ignore[no-untyped-def]
    return [(p.kind, p.path) for p in load_survey(definition).problems]


def q_single(qid: str, *opts: str, **extra):  # type: ignore[no-untyped-def]
    return {
        "id": qid,
        "type": "single-choice",
        "title": {"en": qid},
        "options": [{"id": o, "text": {"en": o}} for o in (opts or ("yes", "no"))],
        **extra,
    }


def test_duplicate_ids_everywhere(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", q_single("a", "x", "x")),
        make.page("p", q_single("a")),
        make.page(
            "g",
            {
                "id": "g",
                "type": "grid",
                "title": {"en": "g"},
                "scale": "agreement",
                "statements": [{"id": "s", "text": {"en": "s"}}, {"id": "s", "text": {"en": "s"}}],
            },
        ),
        extra_sections=(
            {"id": "main", "title": {"en": "m"}, "pages": [make.page("z", q_single("z"))]},
        ),
    )
    found = problems(definition)
    assert ("duplicate-id", "sections[0].pages[0].questions[0].options[1].id") in found
    assert ("duplicate-id", "sections[0].pages[1].id") in found
    assert ("duplicate-id", "sections[0].pages[1].questions[0].id") in found
    assert ("duplicate-id", "sections[0].pages[2].questions[0].statements[1].id") in found
    assert ("duplicate-id", "sections[1].id") in found


def test_duplicate_field_names(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", make.question("when", "date")),
        make.page("q", make.question("when-day", "short-text")),
    )
    assert ("duplicate-field", "sections[0].pages[1].questions[0]") in problems(definition)


def test_texts_in_main_language_and_listed_languages(make) -> None:  # type: ignore[no-untyped-def]
    q = q_single("a")
    q["options"][1]["text"] = {"bn": "না"}
    q["hint"] = {"en": "  "}
    q["title"] = {"en": "A", "fr": "A"}
    definition = make.definition(make.page("p", q), languages=("en", "bn"))
    found = problems(definition)
    assert ("missing-text", "sections[0].pages[0].questions[0].options[1].text.en") in found
    assert ("missing-text", "sections[0].pages[0].questions[0].hint.en") in found
    assert ("unknown-language", "sections[0].pages[0].questions[0].title.fr") in found


def test_main_language_must_be_listed(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(make.page("p", q_single("a")))
    definition["languages"] = ["bn"]
    found = problems(definition)
    assert ("language-not-listed", "language") in found
    assert ("unknown-language", "title.en") in found


def test_unknown_demographic(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", q_single("a")),
        extra_sections=(
            {"type": "demographics", "id": "about-you", "include": ["age", "shoe-size"]},
        ),
    )
    assert problems(definition) == [("unknown-demographic", "sections[1].include[1]")]


def test_too_many_questions_for_the_layout(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", q_single("a"), q_single("b")), layout="one-question"
    )
    assert problems(definition) == [("too-many-questions", "sections[0].pages[0].questions")]


def test_ranges(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", make.question("n", "number", min=5, max=1)),
        make.page("d", make.question("d", "date", min="2026-02-30", max="2020-01-01")),
        make.page("e", make.question("e", "date", min="2026-01-01", max="2020-01-01")),
        make.page("r", make.question("r", "ranking", options=make.options("a", "b"), top=3)),
        make.page(
            "m",
            make.question("m", "multiple-choice", options=make.options("a", "b"), max_choices=3),
        ),
    )
    found = problems(definition)
    assert ("invalid-range", "sections[0].pages[0].questions[0].min") in found
    assert ("invalid-date", "sections[0].pages[1].questions[0].min") in found
    assert ("invalid-range", "sections[0].pages[2].questions[0].min") in found
    assert ("invalid-range", "sections[0].pages[3].questions[0].top") in found
    assert ("invalid-range", "sections[0].pages[4].questions[0].max_choices") in found


def test_exclusive_options(make) -> None:  # type: ignore[no-untyped-def]
    two = make.question("m", "multiple-choice", options=make.options("a", "b", "c"))
    two["options"][1]["exclusive"] = two["options"][2]["exclusive"] = True
    single = q_single("s")
    single["options"][0]["exclusive"] = True
    found = problems(make.definition(make.page("p", two), make.page("q", single)))
    assert ("exclusive-option", "sections[0].pages[0].questions[0].options[2]") in found
    assert ("exclusive-option", "sections[0].pages[1].questions[0].options[0]") in found


def test_route_targets(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("a", q_single("a")),
        make.page(
            "b",
            q_single("b"),
            routing=[
                {"go_to": {"page": "nowhere"}},
                {"go_to": {"page": "a"}},
                {"go_to": {"page": "b"}},
                {"go_to": {"section": "nowhere"}},
                {"go_to": {"section": "main"}},
            ],
        ),
    )
    assert problems(definition) == [
        ("unknown-target", "sections[0].pages[1].routing[0].go_to.page"),
        ("backward-target", "sections[0].pages[1].routing[1].go_to.page"),
        ("backward-target", "sections[0].pages[1].routing[2].go_to.page"),
        ("unknown-target", "sections[0].pages[1].routing[3].go_to.section"),
        ("backward-target", "sections[0].pages[1].routing[4].go_to.section"),
    ]


def test_condition_questions_exist_and_come_earlier(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("a", q_single("a"), when={"op": "equals", "question": "a", "value": "yes"}),
        make.page(
            "b",
            q_single("b"),
            when={"op": "answered", "question": "ghost"},
            routing=[
                {"when": {"op": "equals", "question": "b", "value": "yes"}, "go_to": {"page": "c"}}
            ],
        ),
        make.page("c", q_single("c", when={"op": "equals", "question": "d", "value": "yes"})),
        make.page("d", q_single("d")),
    )
    assert problems(definition) == [
        ("forward-reference", "sections[0].pages[0].when.question"),
        ("unknown-question", "sections[0].pages[1].when.question"),
        ("forward-reference", "sections[0].pages[2].questions[0].when.question"),
    ]


def test_operators_must_suit_the_question_type(make) -> None:  # type: ignore[no-untyped-def]
    def when(cond):  # type: ignore[no-untyped-def]
        return make.page(
            f"x{abs(hash(json.dumps(cond))) % 10**8}",
            make.question(f"x{abs(hash(json.dumps(cond))) % 10**8}", "short-text"),
            when=cond,
        )

    first = make.page(
        "first",
        q_single("c", "yes", "no"),
        make.question("n", "number"),
        make.question("m", "multiple-choice", options=make.options("a", "b")),
        make.question(
            "g", "grid", scale="agreement", statements=[{"id": "s", "text": {"en": "s"}}]
        ),
        make.question("t", "short-text"),
    )
    cases = [
        ({"op": "greater-than", "question": "c", "value": 1}, "operator-not-allowed", "op"),
        ({"op": "equals", "question": "m", "value": "a"}, "operator-not-allowed", "op"),
        ({"op": "any-in", "question": "c", "value": ["yes"]}, "operator-not-allowed", "op"),
        (
            {"op": "count", "question": "t", "compare": "equals", "value": 1},
            "operator-not-allowed",
            "op",
        ),
        ({"op": "equals", "question": "c", "value": "maybe"}, "unknown-option", "value"),
        ({"op": "any-in", "question": "m", "value": ["a", "z"]}, "unknown-option", "value"),
        ({"op": "equals", "question": "c", "value": 3}, "operand-type", "value"),
        ({"op": "equals", "question": "n", "value": "3"}, "operand-type", "value"),
        ({"op": "in", "question": "c", "value": "yes"}, "operand-type", "value"),
        ({"op": "equals", "question": "t", "value": 3}, "operand-type", "value"),
        (
            {"op": "count", "question": "m", "compare": "equals", "value": -1},
            "operand-type",
            "value",
        ),
        ({"op": "count", "question": "m", "value": 1}, "schema", "compare"),
        ({"op": "equals", "question": "g", "value": "agree"}, "unknown-statement", "statement"),
        (
            {"op": "equals", "question": "g", "statement": "s", "value": "nope"},
            "unknown-option",
            "value",
        ),
        (
            {"op": "equals", "question": "c", "statement": "s", "value": "yes"},
            "operand-type",
            "statement",
        ),
    ]
    for cond, kind, key in cases:
        found = load_survey(make.definition(first, when(cond))).problems
        assert [p.kind for p in found] == [kind], (cond, found)
        if kind != "schema":
            assert found[0].path == f"sections[0].pages[1].when.{key}", (cond, found)
        assert found[0].page == (None if kind == "schema" else found[0].page)


def test_nested_condition_locations(make) -> None:  # type: ignore[no-untyped-def]
    cond = {
        "op": "and",
        "conditions": [
            {"op": "answered", "question": "a"},
            {"op": "not", "condition": {"op": "equals", "question": "a", "value": "maybe"}},
        ],
    }
    definition = make.definition(
        make.page("a", q_single("a")), make.page("b", q_single("b"), when=cond)
    )
    assert problems(definition) == [
        ("unknown-option", "sections[0].pages[1].when.conditions[1].condition.value")
    ]


def test_every_problem_is_reported_not_just_the_first(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("a", q_single("a"), routing=[{"go_to": {"page": "ghost"}}]),
        make.page("b", q_single("b"), when={"op": "equals", "question": "a", "value": "x"}),
        make.page("c", make.question("n", "number", min=3, max=1), q_single("b")),
    )
    definition["title"] = {"bn": "x"}
    kinds = {p.kind for p in load_survey(definition).problems}
    assert {
        "duplicate-id",
        "unknown-target",
        "unknown-option",
        "invalid-range",
        "missing-text",
        "unknown-language",
    } <= kinds


def test_problem_records_ids(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(make.page("p", make.question("n", "number", min=3, max=1)))
    problem = load_survey(definition).problems[0]
    assert (problem.section, problem.page, problem.question) == ("main", "p", "n")
    assert str(problem).startswith("sections[0].pages[0].questions[0].min: ")


def test_custom_ward_list(make) -> None:  # type: ignore[no-untyped-def]
    wards = surveys.parse_wards({"wards": [{"id": "north", "name": {"en": "North"}}]})
    definition = make.definition(make.page("p", make.question("w", "ward-postcode")))
    s = load_survey(definition, wards=wards).survey
    assert s is not None and s.question("w").option_ids == ("north",)
    for bad in (
        {},
        {"wards": []},
        {"wards": [{"id": "postcode", "name": {"en": "x"}}]},
        {"wards": [{"id": "a", "name": {"en": "a"}}, {"id": "a", "name": {"en": "b"}}]},
        {"wards": ["x"]},
        {"wards": [{"id": "a", "name": "A"}]},
    ):
        with pytest.raises(ValueError):
            surveys.parse_wards(bad)


def test_demographics_one_page_per_question_by_default(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", q_single("a")),
        layout="one-question",
        extra_sections=({"type": "demographics", "id": "you", "include": ["sex", "age"]},),
    )
    s = make.load(definition)
    assert [p.id for p in s.section("you").pages] == ["you-age", "you-sex"]
    assert s.question("you-age").demographic == "age"
    assert s.section("you").demographics
    # English only: the Bengali text of the block is left out
    assert set(s.question("you-sex").title) == {"en"}


def test_demographics_grouped_and_skippable(make) -> None:  # type: ignore[no-untyped-def]
    definition = make.definition(
        make.page("p", q_single("a")),
        extra_sections=(
            {
                "type": "demographics",
                "id": "you",
                "include": list(surveys.DEMOGRAPHIC_NAMES),
                "when": {"op": "equals", "question": "a", "value": "yes"},
            },
        ),
    )
    s = make.load(definition)
    asked = [[q for q in p.questions if q.write_in_for is None] for p in s.section("you").pages]
    assert [len(questions) for questions in asked] == [3, 2, 2]
    # The Census write-in boxes ride with the ethnic group question, on its page.
    write_ins = [q for q in s.section("you").pages[1].questions if q.write_in_for]
    assert [q.write_in_for for q in write_ins] == [
        ("you-ethnicity", o) for o in ("other-asian", "other-black", "other-mixed",
                                       "other-white", "other-ethnic-group")]
    assert all(q.type == "short-text" and not q.required for q in write_ins)
    # Answers given before the boxes existed still complete the page.
    seen = {"a": "yes", **{q.id: None for p in s.section("you").pages for q in p.questions
                           if q.write_in_for is None}}
    assert surveys.is_complete(s, seen)
    assert surveys.path(s, {"a": "no"}) == ["p"]
    assert len(surveys.path(s, {"a": "yes"})) == 4


def test_invalid_option_is_not_also_reported_as_unexpected_options(make) -> None:  # type: ignore[no-untyped-def]
    q = q_single("a")
    del q["options"][0]["text"]
    q["max_words"] = 3
    found = load_survey(make.definition(make.page("p", q))).problems
    assert [(p.path, p.message) for p in found] == [
        (
            "sections[0].pages[0].questions[0]",
            "unexpected properties for this question type: max_words",
        ),
        ("sections[0].pages[0].questions[0].options[0]", "'text' is a required property"),
    ]


def test_model_is_hashable_and_compares_by_value(demo_definition) -> None:  # type: ignore[no-untyped-def]
    one = load_survey(demo_definition).survey
    two = load_survey(demo_definition).survey
    assert one == two and hash(one) == hash(two)
    assert {one: "cached"}[two] == "cached"  # usable as a cache key
    assert len(set(one.questions)) == len(one.questions)
    assert one.question("ward") == two.question("ward")
    with pytest.raises(TypeError):
        one.title["en"] = "changed"  # type: ignore[index]


def test_a_page_of_several_questions_needs_a_title(make) -> None:  # type: ignore[no-untyped-def]
    page = make.page("p", q_single("a"), q_single("b"))
    del page["title"]
    assert problems(make.definition(page)) == [("page-title-needed", "sections[0].pages[0].title")]


def test_grouped_demographics_pages_have_titles(demo_survey) -> None:  # type: ignore[no-untyped-def]
    pages = demo_survey.section("about-you").pages
    assert [demo_survey.text(p.title, "bn") for p in pages] == [
        "আপনার সম্পর্কে",
        "আপনার পটভূমি",
        "স্বাস্থ্য ও দেখাশোনা",
    ]
