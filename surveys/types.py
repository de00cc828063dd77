"""Names of question types, routing operators and answer value types."""

from __future__ import annotations

from typing import Final

SINGLE_CHOICE: Final = "single-choice"
MULTIPLE_CHOICE: Final = "multiple-choice"
AGREEMENT: Final = "agreement"
RATING: Final = "rating"
NUMBER: Final = "number"
DATE: Final = "date"
SHORT_TEXT: Final = "short-text"
LONG_TEXT: Final = "long-text"
RANKING: Final = "ranking"
GRID: Final = "grid"
WARD_POSTCODE: Final = "ward-postcode"
EMAIL: Final = "email"
UK_ADDRESS: Final = "uk-address"

QUESTION_TYPES: Final = (
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    AGREEMENT,
    RATING,
    NUMBER,
    DATE,
    SHORT_TEXT,
    LONG_TEXT,
    RANKING,
    GRID,
    WARD_POSTCODE,
    EMAIL,
    UK_ADDRESS,
)
CHOICE_TYPES: Final = frozenset({SINGLE_CHOICE, AGREEMENT})
"""Types whose answer is one option id."""
LIST_TYPES: Final = frozenset({MULTIPLE_CHOICE, RANKING})
"""Types whose answer is a list of option ids."""
NUMERIC_TYPES: Final = frozenset({NUMBER, RATING})
TEXT_TYPES: Final = frozenset({SHORT_TEXT, LONG_TEXT})
PERSONAL_TYPES: Final = frozenset({EMAIL, UK_ADDRESS})
"""Types that ask who someone is or where they live: never in an anonymous survey, always
hidden in exports for roles that see redacted text."""

# operators of the condition tree
AND: Final = "and"
OR: Final = "or"
NOT: Final = "not"
EQUALS: Final = "equals"
NOT_EQUALS: Final = "not-equals"
GREATER_THAN: Final = "greater-than"
LESS_THAN: Final = "less-than"
GREATER_OR_EQUAL: Final = "greater-or-equal"
LESS_OR_EQUAL: Final = "less-or-equal"
IN: Final = "in"
ANY_IN: Final = "any-in"
ALL_IN: Final = "all-in"
COUNT: Final = "count"
ANSWERED: Final = "answered"

LOGICAL_OPERATORS: Final = frozenset({AND, OR, NOT})
COMPARISONS: Final = frozenset(
    {EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN, GREATER_OR_EQUAL, LESS_OR_EQUAL}
)
ORDERING: Final = frozenset({GREATER_THAN, LESS_THAN, GREATER_OR_EQUAL, LESS_OR_EQUAL})
OPERATORS: Final = frozenset(
    LOGICAL_OPERATORS | COMPARISONS | {IN, ANY_IN, ALL_IN, COUNT, ANSWERED}
)

Answer = None | str | int | float | list[str] | dict[str, str]
"""A coerced, JSON-serialisable answer to one question (None: seen but left blank)."""
