"""Every user-facing message template of the engine, in GOV.UK wording.

Each template is wrapped in the no-op marker N_ so that Babel's extractor finds it
(`pybabel extract -k N_ ...`). An error carries the English template (the msgid) and its
parameters; the web layer translates the template with gettext, then interpolates
`template % params`. Parameters are already in the resident's language.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for translation without translating it."""
    return message


# answer needed
SELECT_NAMED = N_("Select %(name)s")
SELECT_ANSWER = N_("Select an answer")
ENTER_NAMED = N_("Enter %(name)s")
ENTER_ANSWER = N_("Enter an answer")

# choices
CHOICE_INVALID = N_("Select an answer from the list")
EXCLUSIVE_NAMED = N_("Select %(name)s, or select ‘%(none)s’")
EXCLUSIVE = N_("Select an answer, or select ‘%(none)s’")
TOO_MANY_CHOICES = N_("Select %(max)s or fewer answers")

# numbers and ratings
NUMBER_INVALID = N_("Enter a number, like 12")
NUMBER_WHOLE = N_("Enter a whole number, like 12")
NUMBER_DECIMAL_PLACES = N_("Enter a number with no more than %(places)s decimal places")
NUMBER_BETWEEN = N_("Enter a number between %(min)s and %(max)s")
NUMBER_MIN = N_("Enter a number that is %(min)s or more")
NUMBER_MAX = N_("Enter a number that is %(max)s or less")

# dates
DATE_REAL = N_("Enter a real date")
DATE_NEEDS_DAY = N_("Date must include a day")
DATE_NEEDS_MONTH = N_("Date must include a month")
DATE_NEEDS_YEAR = N_("Date must include a year")
DATE_NEEDS_DAY_MONTH = N_("Date must include a day and month")
DATE_NEEDS_DAY_YEAR = N_("Date must include a day and year")
DATE_NEEDS_MONTH_YEAR = N_("Date must include a month and year")
DATE_YEAR_DIGITS = N_("Year must include 4 numbers")
DATE_MIN = N_("Date must be the same as or after %(min)s")
DATE_MAX = N_("Date must be the same as or before %(max)s")

# text
TEXT_TOO_LONG = N_("Your answer must be %(max)s characters or fewer")
TOO_MANY_WORDS = N_("Your answer must be %(max)s words or fewer")

# ranking
RANK_EACH = N_("Give each option a rank")
RANK_TOP = N_("Rank your top %(count)s choices")
RANK_TOO_MANY = N_("Rank no more than %(count)s choices")
RANK_INVALID = N_("Choose a rank between 1 and %(max)s")
RANK_DUPLICATE = N_("Use each rank only once")
RANK_GAP = N_("Use the ranks in order, starting from 1")

# grid
GRID_STATEMENT = N_("Select an answer for ‘%(statement)s’")

# ward and postcode
WARD_OR_POSTCODE = N_("Select your ward or enter your postcode")
WARD_INVALID = N_("Select your ward from the list")
POSTCODE_MISSING = N_("Enter your postcode")
POSTCODE_INVALID = N_("Enter a full UK postcode, like E1 6AN")

# email and address (GOV.UK patterns)
EMAIL_MISSING = N_("Enter an email address")
EMAIL_INVALID = N_("Enter an email address in the correct format, like name@example.com")
EMAIL_TOO_LONG = N_("Email address must be 254 characters or fewer")
ADDRESS_MISSING = N_("Enter an address")
ADDRESS_LINE1 = N_("Enter address line 1, typically the building and street")
ADDRESS_TOWN = N_("Enter town or city")
ADDRESS_POSTCODE = N_("Enter postcode")
ADDRESS_TOO_LONG = N_("Each line of the address must be 100 characters or fewer")

ALL_MESSAGES = tuple(
    value for key, value in sorted(globals().items()) if key.isupper() and isinstance(value, str)
)
"""Every template, for tests and for checking translation catalogues."""
