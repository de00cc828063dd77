"""Numbers, dates and times on every page, in the GOV.UK style and the reader's language.

One way for each (issue 17): templates use the filters `number`, `percent`, `date`, `time` and
`datetime` (registered by `init_app`), Python code calls the functions below. English follows the
GOV.UK style guide ("6 December 2026", "8pm", "11:59pm", "midnight", "midday"); Bengali uses Babel's
CLDR data for month names and day periods, written in Bengali digits (CLDR's default numbering
system for `bn` is `beng`; the digits themselves come from `surveys.numerals`, the one table the
survey engine uses too). Every number interpolated into a translated message is written the same
way: `LocalisedDomain` formats the int and float variables of gettext and ngettext, in Python code
and in templates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Flask
from flask_babel import Babel, Domain, get_locale, get_translations, gettext, to_user_timezone
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from surveys.numerals import localise_digits


def language() -> str:
    """The language of this page ("en", "bn")."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def digits(text: object) -> str:
    """Any text with 0 to 9 written in the page's digits (for text already formatted)."""
    return localise_digits(str(text), language())


def format_number(value: float | None) -> str:
    """A count or quantity: "1,234" in English, "১,২৩৪" in Bengali; "" for None."""
    if value is None:
        return ""
    locale = get_locale() or "en"
    return digits(babel_numbers.format_decimal(value, locale=locale))


def format_percent(value: float | None) -> str:
    """A percentage to one decimal place: "53.2%" in English, "৫৩.২%" in Bengali; "" for None."""
    if value is None:
        return ""
    return digits(f"{value:.1f}%")


def _local(value: dt.datetime) -> dt.datetime:
    """A stored time (UTC; naive ones are taken as UTC) in the council's time zone."""
    return to_user_timezone(value)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date as "6 December 2026" (a stored time is first put in the council's time zone)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    locale = get_locale() or "en"
    return digits(babel_dates.format_date(value, "d MMMM y", locale=locale))


def _english_time(value: dt.time) -> str:
    if value.minute == 0 and value.hour == 0:
        return "midnight"
    if value.minute == 0 and value.hour == 12:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_time(value: dt.time | dt.datetime | None) -> str:
    """A time as GOV.UK writes it ("8pm", "11:59pm", "midnight"); in Bengali with the day period."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    if language() == "en":
        return _english_time(value)
    locale = get_locale() or "en"
    return digits(babel_dates.format_time(value, "B h:mm", locale=locale))


def format_datetime(value: dt.datetime | None) -> str:
    """A moment as "6 December 2026 at 8pm", in the council's time zone."""
    if value is None:
        return ""
    return gettext("%(date)s at %(time)s", date=format_date(value), time=format_time(value))


def closing_time(closes_at: dt.datetime) -> str:
    """When a survey closes, as entered: "11:59pm on 31 March 2027", not "1 April 2027, 00:00".

    A closing day is stored as the start of the next day (the first moment it is closed);
    people set and read the last minute it is open.
    """
    last = closes_at - dt.timedelta(minutes=1)
    return gettext("%(time)s on %(date)s", time=format_time(last), date=format_date(last))


# Numbers inside translated messages

_SLOT = re.compile(r"%\((\w+)\)([^a-zA-Z%(]*)([a-zA-Z])")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def localise_variables(template: str, variables: Mapping[str, Any],
                       counts: frozenset[str] = frozenset()) -> tuple[str, dict[str, Any]]:
    """The template and variables with each number written in the page's digits.

    In Bengali each int or float shown by a plain `%(name)s`, `%(name)d` or `%(name)i` becomes
    text in Bengali digits (and its slot `%(name)s`), so "%(num)d questions" reads "১২টি প্রশ্ন";
    a slot with a width or precision is left alone. The variables named in `counts` (`num`, by
    Babel's convention always a count, in gettext as in ngettext) are written as `format_number`
    writes them, with thousands separators in every language ("2,277 texts", "২,২৭৭টি"); other
    numbers keep the English text (a year is not "২,০২৬"), and English leaves them as they are.
    """
    values = dict(variables)
    english = language() == "en"
    if (english and not counts) or not any(_is_number(v) for v in values.values()):
        return template, values
    slots = _SLOT.findall(template)
    plain = {name for name, flags, kind in slots if not flags and kind in "sdi"}
    other = {name for name, flags, kind in slots if flags or kind not in "sdi"}
    numbers = {key for key, value in values.items()
               if _is_number(value) and key in plain and key not in other
               and (key in counts or not english)}
    for key in numbers:
        values[key] = format_number(values[key]) if key in counts else digits(values[key])
    template = _SLOT.sub(
        lambda m: f"%({m.group(1)})s" if m.group(1) in numbers else m.group(0), template)
    return template, values


_COUNT = frozenset({"num"})


class LocalisedDomain(Domain):
    """Flask-Babel's message domain, writing the numbers in messages in the page's digits."""

    def gettext(self, string: str, **variables: Any) -> str:
        text = self.get_translations().ugettext(string)
        if not variables:
            return str(text)
        text, values = localise_variables(text, variables, _COUNT)
        return str(text % values)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = self.get_translations().ungettext(singular, plural, num)
        text, values = localise_variables(text, variables, _COUNT)
        return str(text % values)

    def pgettext(self, context: str, string: str, **variables: Any) -> str:
        text = self.get_translations().upgettext(context, string)
        if not variables:
            return str(text)
        text, values = localise_variables(text, variables, _COUNT)
        return str(text % values)

    def npgettext(self, context: str, singular: str, plural: str, num: int,
                  **variables: Any) -> str:
        variables.setdefault("num", num)
        text = self.get_translations().unpgettext(context, singular, plural, num)
        text, values = localise_variables(text, variables, _COUNT)
        return str(text % values)


class EngageBabel(Babel):
    """Flask-Babel whose message domain is `LocalisedDomain`."""

    @cached_property
    def domain_instance(self) -> Domain:
        return LocalisedDomain(domain=self.domain)


def _template_call(lookup: Callable[..., str]) -> Callable[..., str]:
    """A template's `_()`/`gettext()`: like Jinja's new-style gettext, numbers localised."""

    @pass_context
    def call(context: Context, *args: Any, **variables: Any) -> str:
        text = str(context.call(lookup, *args))
        plural = len(args) >= 3 and isinstance(args[-1], int)  # ngettext, npgettext
        if plural and "num" not in variables:
            variables["num"] = args[-1]  # the count is also %(num)s
        text, values = localise_variables(text, variables, _COUNT)
        if context.eval_ctx.autoescape:
            return Markup(text) % values  # noqa: S704 - a translated message, variables escaped
        return str(text % values)

    return call


def init_app(app: Flask) -> None:
    """Register the filters and the template gettext functions."""
    app.jinja_env.filters.update(
        number=format_number,
        percent=format_percent,
        digits=digits,
        date=format_date,
        time=format_time,
        datetime=format_datetime,
    )
    # Flask-Babel's own filters take any Babel pattern; the pages use the ones above only.
    for name in ("datetimeformat", "dateformat", "timeformat", "numberformat",
                 "decimalformat", "percentformat"):
        app.jinja_env.filters.pop(name, None)
    app.jinja_env.globals.update(
        gettext=_template_call(lambda s: get_translations().ugettext(s)),
        ngettext=_template_call(lambda s, p, n: get_translations().ungettext(s, p, n)),
        pgettext=_template_call(lambda c, s: get_translations().upgettext(c, s)),
        npgettext=_template_call(lambda c, s, p, n: get_translations().unpgettext(c, s, p, n)),
        closing_time=closing_time,
    )
