"""Validation and coercion of each question type, with GOV.UK messages."""

from __future__ import annotations

import pytest

from surveys import answer_messages as m


def errors(result):  # type: ignore[no-untyped-def]
    return [(e.field, e.text) for e in result.errors]


class TestSingleChoice:
    def test_valid_choice(self, make, validate):
        s = make.one(
            make.question("often", "single-choice", options=make.options("weekly", "never"))
        )
        r = validate(s, {"q-often": "weekly"})
        assert r.ok and r.answers == {"often": "weekly"}

    def test_missing_uses_short_name(self, make, validate):
        q = make.question(
            "often",
            "single-choice",
            options=make.options("weekly", "never"),
            name={"en": "how often you use the library"},
        )
        r = validate(make.one(q), {})
        assert errors(r) == [("q-often", "Select how often you use the library")]
        assert r.errors[0].message == m.SELECT_NAMED

    def test_missing_without_name(self, make, validate):
        s = make.one(make.question("often", "single-choice", options=make.options("a", "b")))
        assert errors(validate(s, {"q-often": ""})) == [("q-often", "Select an answer")]

    def test_unknown_option(self, make, validate):
        s = make.one(make.question("often", "single-choice", options=make.options("a", "b")))
        assert errors(validate(s, {"q-often": "zzz"})) == [("q-often", m.CHOICE_INVALID)]

    def test_optional_blank_is_none(self, make, validate):
        s = make.one(
            make.question("often", "single-choice", options=make.options("a", "b"), required=False)
        )
        r = validate(s, {})
        assert r.ok and r.answers == {"often": None}


class TestMultipleChoice:
    def q(self, make, **extra):
        return make.one(
            make.question(
                "used",
                "multiple-choice",
                options=make.options("library", "park", "none", exclusive="none"),
                name={"en": "which services you have used"},
                **extra,
            )
        )

    def test_values_in_option_order(self, make, validate):
        r = validate(self.q(make), {"q-used": ["park", "library", "park"]})
        assert r.answers == {"used": ["library", "park"]}

    def test_exclusive_alone_is_fine(self, make, validate):
        assert validate(self.q(make), {"q-used": ["none"]}).answers == {"used": ["none"]}

    def test_exclusive_with_others(self, make, validate):
        r = validate(self.q(make), {"q-used": ["none", "park"]})
        assert errors(r) == [("q-used", "Select which services you have used, or select ‘None’")]
        assert r.answers == {"used": None}

    def test_required(self, make, validate):
        assert errors(validate(self.q(make), {})) == [
            ("q-used", "Select which services you have used")
        ]

    def test_max_choices(self, make, validate):
        r = validate(self.q(make, max_choices=1), {"q-used": ["park", "library"]})
        assert errors(r) == [("q-used", "Select 1 or fewer answers")]

    def test_unknown_option(self, make, validate):
        assert errors(validate(self.q(make), {"q-used": ["park", "casino"]})) == [
            ("q-used", m.CHOICE_INVALID)
        ]


class TestAgreement:
    def test_scale_and_dont_know(self, make, validate):
        s = make.one(make.question("agree", "agreement", dont_know=True))
        assert s.question("agree").option_ids == (
            "strongly-agree",
            "agree",
            "neither",
            "disagree",
            "strongly-disagree",
            "dont-know",
        )
        assert validate(s, {"q-agree": "dont-know"}).answers == {"agree": "dont-know"}

    def test_no_dont_know_by_default(self, make, validate):
        s = make.one(make.question("agree", "agreement"))
        assert len(s.question("agree").options) == 5
        assert not validate(s, {"q-agree": "dont-know"}).ok

    def test_bengali_labels_built_in(self, make):
        s = make.load(
            make.definition(
                make.page("p", make.question("agree", "agreement")), languages=("en", "bn")
            )
        )
        assert s.text(s.question("agree").options[0].text, "bn") == "সম্পূর্ণ একমত"


class TestRating:
    @pytest.mark.parametrize("raw,value", [("0", 0), ("10", 10), (" 7 ", 7)])
    def test_valid(self, make, validate, raw, value):
        s = make.one(make.question("r", "rating"))
        assert validate(s, {"q-r": raw}).answers == {"r": value}

    @pytest.mark.parametrize("raw", ["11", "-1", "5.5", "seven", "²", "১১"])
    def test_out_of_range(self, make, validate, raw):
        s = make.one(make.question("r", "rating"))
        assert errors(validate(s, {"q-r": raw})) == [("q-r", "Enter a number between 0 and 10")]


class TestNumber:
    def s(self, make, **extra):
        return make.one(make.question("n", "number", **extra))

    def test_integer(self, make, validate):
        assert validate(self.s(make), {"q-n": "1,234"}).answers == {"n": 1234}

    def test_whole_number_needed(self, make, validate):
        assert errors(validate(self.s(make), {"q-n": "1.5"})) == [
            ("q-n", "Enter a whole number, like 12")
        ]

    def test_decimal(self, make, validate):
        r = validate(self.s(make, decimal=True), {"q-n": "1.25"})
        assert r.answers == {"n": 1.25}

    def test_decimal_places(self, make, validate):
        r = validate(self.s(make, decimal=True, decimal_places=1), {"q-n": "1.25"})
        assert errors(r) == [("q-n", "Enter a number with no more than 1 decimal places")]

    @pytest.mark.parametrize("raw", ["abc", "1e5", "nan", "inf", "--1", "1.2.3"])
    def test_not_a_number(self, make, validate, raw):
        assert errors(validate(self.s(make), {"q-n": raw})) == [("q-n", "Enter a number, like 12")]

    def test_between(self, make, validate):
        r = validate(self.s(make, min=0, max=10), {"q-n": "11"})
        assert errors(r) == [("q-n", "Enter a number between 0 and 10")]

    def test_min_only(self, make, validate):
        assert errors(validate(self.s(make, min=5), {"q-n": "4"})) == [
            ("q-n", "Enter a number that is 5 or more")
        ]

    def test_max_only(self, make, validate):
        assert errors(validate(self.s(make, max=5), {"q-n": "6"})) == [
            ("q-n", "Enter a number that is 5 or less")
        ]

    def test_required_named(self, make, validate):
        r = validate(self.s(make, name={"en": "how many children live with you"}), {})
        assert errors(r) == [("q-n", "Enter how many children live with you")]


class TestDate:
    def s(self, make, **extra):
        return make.one(make.question("d", "date", **extra))

    def form(self, day="", month="", year=""):
        return {"q-d-day": day, "q-d-month": month, "q-d-year": year}

    def test_valid(self, make, validate):
        assert validate(self.s(make), self.form("7", "3", "2026")).answers == {"d": "2026-03-07"}

    def test_month_name(self, make, validate):
        assert validate(self.s(make), self.form("7", "Mar", "2026")).answers == {"d": "2026-03-07"}

    def test_not_real(self, make, validate):
        assert errors(validate(self.s(make), self.form("31", "2", "2026"))) == [
            ("q-d-day", "Enter a real date")
        ]

    @pytest.mark.parametrize(
        "form,field,text",
        [
            (("7", "3", ""), "q-d-year", "Date must include a year"),
            (("", "3", "2026"), "q-d-day", "Date must include a day"),
            (("7", "", "2026"), "q-d-month", "Date must include a month"),
            (("", "", "2026"), "q-d-day", "Date must include a day and month"),
            (("7", "", ""), "q-d-month", "Date must include a month and year"),
            (("", "3", ""), "q-d-day", "Date must include a day and year"),
            (("7", "3", "26"), "q-d-year", "Year must include 4 numbers"),
            (("x", "3", "2026"), "q-d-day", "Enter a real date"),
            (("7", "13", "2026"), "q-d-day", "Enter a real date"),
            (("7", "foo", "2026"), "q-d-month", "Enter a real date"),
        ],
    )
    def test_errors(self, make, validate, form, field, text):
        assert errors(validate(self.s(make), self.form(*form))) == [(field, text)]

    def test_min_max(self, make, validate):
        s = self.s(make, min="2024-01-01", max="2026-12-31")
        assert errors(validate(s, self.form("31", "12", "2023"))) == [
            ("q-d-day", "Date must be the same as or after 1 January 2024")
        ]
        assert errors(validate(s, self.form("1", "1", "2027"))) == [
            ("q-d-day", "Date must be the same as or before 31 December 2026")
        ]

    def test_min_in_bengali(self, make, validate):
        s = make.load(
            make.definition(
                make.page("p", make.question("d", "date", min="2024-01-01")), languages=("en", "bn")
            )
        )
        r = validate(s, self.form("1", "1", "2020"), language="bn")
        assert r.errors[0].params["min"] == "১ জানুয়ারি ২০২৪"

    def test_required_links_to_day(self, make, validate):
        assert errors(validate(self.s(make), self.form())) == [("q-d-day", "Enter an answer")]


class TestText:
    def test_short_text_trimmed_and_limited(self, make, validate):
        s = make.one(make.question("t", "short-text", max_length=5))
        assert validate(s, {"q-t": "  ab   c "}).answers == {"t": "ab c"}
        assert errors(validate(s, {"q-t": "abcdef"})) == [
            ("q-t", "Your answer must be 5 characters or fewer")
        ]

    def test_long_text_word_limit(self, make, validate):
        s = make.one(make.question("t", "long-text", max_words=150))
        assert validate(s, {"q-t": " word " * 150}).ok
        assert errors(validate(s, {"q-t": "word " * 151})) == [
            ("q-t", "Your answer must be 150 words or fewer")
        ]

    def test_long_text_keeps_lines_drops_control_characters(self, make, validate):
        s = make.one(make.question("t", "long-text"))
        assert validate(s, {"q-t": "line one\r\nline\x00 two"}).answers == {
            "t": "line one\nline two"
        }

    def test_long_text_character_limit(self, make, validate):
        s = make.one(make.question("t", "long-text", max_length=10))
        assert errors(validate(s, {"q-t": "x" * 11})) == [
            ("q-t", "Your answer must be 10 characters or fewer")
        ]

    def test_required_text(self, make, validate):
        s = make.one(make.question("t", "long-text", name={"en": "what would improve your area"}))
        assert errors(validate(s, {"q-t": "   "})) == [
            ("q-t", "Enter what would improve your area")
        ]


class TestRanking:
    def s(self, make, **extra):
        return make.one(
            make.question("rank", "ranking", options=make.options("a", "b", "c", "d"), **extra)
        )

    def test_all_ranked(self, make, validate):
        r = validate(
            self.s(make), {"q-rank-a": "2", "q-rank-b": "1", "q-rank-c": "4", "q-rank-d": "3"}
        )
        assert r.answers == {"rank": ["b", "a", "d", "c"]}

    def test_all_needed(self, make, validate):
        r = validate(self.s(make), {"q-rank-a": "1", "q-rank-b": "2"})
        assert errors(r) == [("q-rank-c", "Give each option a rank")]

    def test_none_ranked(self, make, validate):
        assert errors(validate(self.s(make), {})) == [("q-rank-a", "Give each option a rank")]

    def test_duplicate(self, make, validate):
        r = validate(self.s(make), {"q-rank-a": "1", "q-rank-b": "1"})
        assert errors(r) == [("q-rank-b", "Use each rank only once")]

    @pytest.mark.parametrize("value", ["0", "5", "x", "1.0"])
    def test_invalid_rank(self, make, validate, value):
        assert errors(validate(self.s(make), {"q-rank-a": value})) == [
            ("q-rank-a", "Choose a rank between 1 and 4")
        ]

    def test_top_n(self, make, validate):
        s = self.s(make, top=2)
        assert validate(s, {"q-rank-c": "1", "q-rank-a": "2"}).answers == {"rank": ["c", "a"]}
        assert errors(validate(s, {"q-rank-c": "1"})) == [("q-rank-a", "Rank your top 2 choices")]
        assert errors(validate(s, {"q-rank-a": "1", "q-rank-b": "2", "q-rank-c": "3"})) == [
            ("q-rank-c", "Rank no more than 2 choices")
        ]

    def test_gap(self, make, validate):
        r = validate(self.s(make, top=2), {"q-rank-a": "1", "q-rank-b": "3"})
        assert errors(r) == [("q-rank-b", "Use the ranks in order, starting from 1")]

    def test_optional_partial(self, make, validate):
        s = self.s(make, required=False)
        assert validate(s, {}).answers == {"rank": None}
        assert validate(s, {"q-rank-d": "1"}).answers == {"rank": ["d"]}


class TestGrid:
    def s(self, make, **extra):
        q = make.question(
            "g",
            "grid",
            statements=[
                {"id": "safe", "text": {"en": "I feel safe"}},
                {"id": "clean", "text": {"en": "Streets are clean"}},
            ],
            **extra,
        )
        return make.one(q)

    def test_agreement_scale(self, make, validate):
        r = validate(
            self.s(make, scale="agreement"), {"q-g-safe": "agree", "q-g-clean": "disagree"}
        )
        assert r.answers == {"g": {"safe": "agree", "clean": "disagree"}}

    def test_each_statement_required_own_field(self, make, validate):
        r = validate(self.s(make, scale="agreement"), {"q-g-safe": "agree"})
        assert errors(r) == [("q-g-clean", "Select an answer for ‘Streets are clean’")]

    def test_own_options(self, make, validate):
        s = self.s(make, options=make.options("yes", "no"))
        assert validate(s, {"q-g-safe": "yes", "q-g-clean": "no"}).ok
        assert errors(validate(s, {"q-g-safe": "agree", "q-g-clean": "no"})) == [
            ("q-g-safe", m.CHOICE_INVALID)
        ]

    def test_optional(self, make, validate):
        s = self.s(make, required=False)
        assert validate(s, {}).answers == {"g": None}
        assert validate(s, {"q-g-clean": "agree"}).answers == {"g": {"clean": "agree"}}


class TestWardPostcode:
    def s(self, make, **extra):
        return make.one(make.question("w", "ward-postcode", **extra))

    def test_twenty_tower_hamlets_wards(self, make):
        wards = self.s(make).question("w").options
        assert len(wards) == 20
        names = {w.text["en"] for w in wards}
        assert {
            "Bow East",
            "Spitalfields & Banglatown",
            "St Katharine's & Wapping",
            "Whitechapel",
        } <= names
        import surveys

        assert all(w.text.get("bn") for w in surveys.default_wards())
        assert len({w.id for w in surveys.default_wards()}) == 20

    def test_ward(self, make, validate):
        assert validate(self.s(make), {"q-w": "bow-east"}).answers == {"w": {"ward": "bow-east"}}

    @pytest.mark.parametrize(
        "typed,expected",
        [
            ("e1 6an", "E1 6AN"),
            ("E16AN", "E1 6AN"),
            (" ec1a  1bb ", "EC1A 1BB"),
            ("W1A 0AX", "W1A 0AX"),
            ("m1 1ae", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("E14 5AB", "E14 5AB"),
        ],
    )
    def test_postcode_normalised(self, make, validate, typed, expected):
        r = validate(self.s(make), {"q-w": "postcode", "q-w-postcode": typed})
        assert r.answers == {"w": {"postcode": expected}}

    def test_postcode_without_choice(self, make, validate):
        assert validate(self.s(make), {"q-w-postcode": "e1 6an"}).answers == {
            "w": {"postcode": "E1 6AN"}
        }

    @pytest.mark.parametrize("typed", ["E1", "E1 6A", "12345", "QQ1 1AA", "E1 6AN X", "E1 6CN"])
    def test_bad_postcode(self, make, validate, typed):
        r = validate(self.s(make), {"q-w": "postcode", "q-w-postcode": typed})
        assert errors(r) == [("q-w-postcode", "Enter a full UK postcode, like E1 6AN")]

    def test_postcode_choice_but_empty(self, make, validate):
        assert errors(validate(self.s(make), {"q-w": "postcode"})) == [
            ("q-w-postcode", "Enter your postcode")
        ]

    def test_nothing(self, make, validate):
        assert errors(validate(self.s(make), {})) == [
            ("q-w", "Select your ward or enter your postcode")
        ]

    def test_unknown_ward(self, make, validate):
        assert errors(validate(self.s(make), {"q-w": "atlantis"})) == [
            ("q-w", "Select your ward from the list")
        ]

    def test_inline_wards_replace_the_list(self, make, validate):
        s = self.s(make, wards=[{"id": "north", "name": {"en": "North"}}])
        assert s.question("w").option_ids == ("north",)
        assert not validate(s, {"q-w": "bow-east"}).ok


def test_form_value_given_as_plain_string_is_one_value(make):
    import surveys

    s = make.one(make.question("t", "short-text"))
    r = surveys.validate_page(s, "p", {"q-t": "hello"})  # a str, not a list
    assert r.answers == {"t": "hello"}


class TestBlankAllowed:
    """enforce_required=False (keyed paper sheets): any question may be left blank."""

    @pytest.fixture
    def survey(self, make):  # type: ignore[no-untyped-def]
        import copy

        from tests.imports_data import DEFINITION  # every question type

        definition = copy.deepcopy(DEFINITION)
        for section in definition.get("sections", [definition]):
            for page in section["pages"]:
                for question in page["questions"]:
                    question["required"] = True
        return make.load(definition)

    def test_every_type_left_blank_is_not_answered(self, survey):  # type: ignore[no-untyped-def]
        import surveys

        required = [q for page in survey.pages for q in page.questions if q.required]
        assert {q.type for q in required} >= {"single-choice", "multiple-choice", "number",
                                              "date", "grid", "ranking", "long-text",
                                              "ward-postcode"}
        online = paper = 0
        for page in survey.pages:
            strict = surveys.validate_page(survey, page.id, {}, "en", {})
            loose = surveys.validate_page(survey, page.id, {}, "en", {}, enforce_required=False)
            online += len(strict.errors)
            paper += len(loose.errors)
            assert loose.ok and set(loose.answers.values()) == {None}
            assert loose.answers.keys() == strict.answers.keys()
        assert online >= len(required) and paper == 0

    def test_what_is_written_is_still_checked(self, survey):  # type: ignore[no-untyped-def]
        import surveys

        number = next(q for page in survey.pages for q in page.questions if q.type == "number")
        page = next(p for p in survey.pages if number in p.questions)
        result = surveys.validate_page(survey, page.id, {f"q-{number.id}": ["lots"]}, "en", {},
                                       enforce_required=False)
        assert [e.question_id for e in result.errors] == [number.id]

    def test_a_partly_ranked_or_partly_answered_grid_is_kept(self, make):  # type: ignore[no-untyped-def]
        import surveys

        s = make.one(make.question(
            "g", "grid", options=make.options("agree", "disagree"),
            statements=[{"id": "a", "text": make.text("A")}, {"id": "b", "text": make.text("B")}]))
        form = {"q-g-a": ["agree"]}
        assert not surveys.validate_page(s, "p", form, "en").ok
        loose = surveys.validate_page(s, "p", form, "en", enforce_required=False)
        assert loose.ok and loose.answers == {"g": {"a": "agree"}}
