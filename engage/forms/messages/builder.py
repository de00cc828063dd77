"""Messages of the survey builder, and the engine's problems with a draft in words for its
builder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from surveys import types as t

# The survey builder. "%(item)s" is how a section, page or question is named to its builder
# (engage.forms.builder.item_label), filled in by engage.forms.fill.
LANGUAGE_NAMES = {"en": "English", "bn": "বাংলা"}  # each language in its own words
TYPE_LABELS = {
    t.SINGLE_CHOICE: _l("One answer from a list"),
    t.MULTIPLE_CHOICE: _l("Several answers from a list"),
    t.AGREEMENT: _l("Agree or disagree scale"),
    t.RATING: _l("Rating from 0 to 10"),
    t.NUMBER: _l("Number"),
    t.DATE: _l("Date"),
    t.SHORT_TEXT: _l("Short text"),
    t.LONG_TEXT: _l("Long text"),
    t.RANKING: _l("Put options in order"),
    t.GRID: _l("Grid of statements"),
    t.WARD_POSTCODE: _l("Ward or postcode"),
    t.EMAIL: _l("Email address (not in anonymous surveys)"),
    t.UK_ADDRESS: _l("UK postal address (not in anonymous surveys)"),
}
OPERATOR_LABELS = {
    t.EQUALS: _l("is"),
    t.NOT_EQUALS: _l("is not"),
    t.GREATER_THAN: _l("is more than"),
    t.LESS_THAN: _l("is less than"),
    t.GREATER_OR_EQUAL: _l("is at least"),
    t.LESS_OR_EQUAL: _l("is at most"),
    t.ANY_IN: _l("includes"),
    t.ALL_IN: _l("includes all of"),
    t.ANSWERED: _l("has been answered"),
}
LAWFUL_BASIS_LABELS = {
    "public_task": _l("Public task (UK GDPR Article 6(1)(e))"),
    "consent": _l("Consent (UK GDPR Article 6(1)(a))"),
    "legitimate_interests": _l("Legitimate interests (UK GDPR Article 6(1)(f))"),
    "legal_obligation": _l("Legal obligation (UK GDPR Article 6(1)(c))"),
}
DEMOGRAPHIC_LABELS = {
    "age": _l("Age"),
    "sex": _l("Sex"),
    "gender-identity": _l("Gender identity"),
    "ethnicity": _l("Ethnic group"),
    "religion": _l("Religion"),
    "disability": _l("Disability"),
    "carer": _l("Unpaid carer"),
}
ENTER_TITLE = _l("Enter the title in the main language")
ENTER_QUESTION_TEXT = _l("Enter the question in the main language")
ENTER_SLUG = _l("Enter a web address for the survey")
SLUG_FORMAT = _l("Web address must only include lower case letters, numbers and hyphens, "
                 "like residents-2027")
SURVEY_SLUG_TAKEN = _l("A survey with that web address already exists")
SELECT_TYPE = _l("Select the type of question")
SELECT_LANGUAGE = _l("Select at least one language")
WHOLE_NUMBER = _l("Enter a whole number")
NUMBER_FORMAT = _l("Enter a number")
DATE_FORMAT = _l("Enter a date in the format 2027-03-31")
MIN_BELOW_MAX = _l("The lowest value must be less than the highest value")
OPTION_TEXT = _l("Enter the option in the main language")
STATEMENT_TEXT = _l("Enter the statement in the main language")
SELECT_QUESTION = _l("Select a question")
SELECT_OPERATOR = _l("Select how to compare the answer")
OPERATOR_NOT_FOR_TYPE = _l("Select a comparison that works for this question")
ENTER_VALUE = _l("Select or enter a value to compare with")
VALUE_NUMBER = _l("Enter a number to compare with")
VALUE_OPTION = _l("Select one of the question's options to compare with")
ADD_CONDITION = _l("Add at least one condition")
SELECT_TARGET = _l("Select where to go")
SELECT_LAWFUL_BASIS = _l("Select the lawful basis")
ENTER_PRIVACY = _l("Enter the privacy notice")
RETENTION = _l("Enter how many days to keep responses, a whole number from 1 to 3650")
SELECT_ANONYMOUS = _l("Select whether the survey is anonymous")
SELECT_RESPONDENTS = _l("Select who can respond")
DATES_ORDER = _l("The closing date must be after the opening date")
SELECT_DEFINITION_FILE = _l("Select a JSON file")
FILE_TOO_LARGE = _l("The file must be smaller than 256 KB")
FILE_PROBLEMS = _l("The file is not a valid survey definition: fix the problems listed")
DRAFT_EXISTS = _l("That survey already has a draft: publish or discard it before importing")
# The engine's problems with a draft, in words for its builder (engage.forms.builder).
PROBLEM_ADD_OPTIONS = _l("Add at least 2 options to “%(item)s”")
PROBLEM_ADD_STATEMENT = _l("Add at least 1 statement to “%(item)s”")
PROBLEM_EMPTY_SECTION = _l("Add a question to the section “%(item)s”")
PROBLEM_MISSING_TEXT = _l("Enter the text in the main language for “%(item)s”")
PROBLEM_MISSING_TRANSLATION = _l("Add the %(language)s translation for “%(item)s”")
PROBLEM_TOO_MANY_QUESTIONS = _l("The page with “%(item)s” has too many questions: move some to "
                                "another page or allow more questions on a page")
PROBLEM_PAGE_TITLE = _l("Enter a heading for the page with “%(item)s”, because it has several "
                        "questions")
PROBLEM_RANGE = _l("The lowest value allowed for “%(item)s” must be less than the highest")
PROBLEM_DUPLICATE_ID = _l("“%(item)s” has an id that is used more than once: delete or rename "
                          "one")
PROBLEM_PERSONAL_QUESTION = _l(
    "“%(item)s” asks for an email address or a postal address, which an anonymous survey "
    "cannot ask: remove the question, or in settings make the survey not anonymous")
PROBLEM_OTHER_OPTION = _l("Fix the “Other” option of “%(item)s”: only one option, on a question "
                          "with one or several answers from a list, and not the only answer")
PROBLEM_RULE = _l("Fix the skip or routing rule of “%(item)s”: %(detail)s")
PROBLEM_OTHER = _l("Fix “%(item)s”: %(detail)s")
