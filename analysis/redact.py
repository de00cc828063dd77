"""Redaction of personal details in free text before anything else reads it.

Finds e-mail addresses, UK phone numbers, postcodes, street addresses and names that follow
a cue ("my name is", "I'm Jane", "this is ... speaking", "Mrs ...", "আমার নাম ...") and replaces
each with a typed placeholder such as ``[EMAIL]``. Digits of any script (Bengali ০-৯, full-width,
Arabic-Indic), full-width letters and zero-width characters are folded before matching; spans
always point into the original text. Rule based, so it is fast, offline and explainable; the
web app uses the same function to suggest edits when moderating Ask the Mayor questions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

EMAIL = "EMAIL"
PHONE = "PHONE"
POSTCODE = "POSTCODE"
ADDRESS = "ADDRESS"
NAME = "NAME"
KINDS: tuple[str, ...] = (EMAIL, PHONE, POSTCODE, ADDRESS, NAME)

# Higher wins when two findings overlap.
_PRIORITY = {EMAIL: 5, PHONE: 4, ADDRESS: 3, POSTCODE: 2, NAME: 1}

_TLD = r"(?:com|org|net|gov|ac|co|uk|nhs|io|info|me|edu|bd)"
_AT = r"(?:\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+|\.)"
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+%-]+\s?@\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"
    # Spelt out: "tom at example dot com", "jo (at) example.org", "jo[at]example[dot]co[dot]uk"
    r"|(?<![\w.+-])[a-z0-9._+-]+" + _AT + r"[a-z0-9-]+(?:" + _DOT + r"[a-z0-9-]+)*"
    + _DOT + _TLD + r"\b",
    re.IGNORECASE,
)

# +44 / 0044 / 0 followed by 9 or 10 more digits, spaces, dashes, dots or brackets between.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0[\s.\-]{0,2})\d(?:[\s.\-)]{0,3}\d){8,9}(?!\d)"
)

# A UK postcode: the outward code (A9, A99, AA9, AA99, A9A or AA9A) and the inward code. The
# grammar is surveys.postcode's (which validates what residents type; the two packages may not
# import each other): tests/analysis/test_postcode_grammar.py checks that they agree on every
# outward code, so a postcode the survey accepts is always one the redactor finds.
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:" + _OUTWARD + r"[ \t]{0,2}" + _INWARD
    + r"|GIR\s?0AA)(?![A-Za-z0-9])",
    re.IGNORECASE,
)

_STREET_TYPES = (
    "road|rd|street|st|lane|ln|avenue|ave|close|cl|way|drive|dr|court|ct|place|pl|gardens|gdns"
    "|terrace|terr|crescent|cres|grove|gr|square|sq|hill|walk|row|mews|rise|green|parade|estate"
    "|house|tower|towers|building|buildings|yard|wharf|gate|mansions|passage|path|quay|park"
    "|vale|view|wood|market|hall|court|heights|lodge|villas|cottages|approach|circus|broadway"
)
_ADDR_WORD = (
    r"(?!(?:the|a|an|on|in|at|of|my|our|your|to|for|and|or|is|are|was|by|near|with)\b)"
    r"[A-Za-z][A-Za-z'\-]*"
)
_ADDRESS_RE = re.compile(
    r"(?:\b(?:flat|apartment|apt|unit|room)\s+\d{1,4}[a-z]?,?\s+)?"
    r"\b\d{1,4}[a-z]?(?:\s?[-/]\s?\d{1,4}[a-z]?)?,?\s+"
    r"(?:" + _ADDR_WORD + r"\s+){1,3}(?:" + _STREET_TYPES + r")\b\.?"
    r"|\b(?:flat|apartment|apt|unit)\s+\d{1,4}[a-z]?\b,?(?:\s+"
    + _ADDR_WORD
    + r"){1,3}\s+"
    r"(?:house|court|tower|towers|building|mansions|lodge|point|heights|estate)\b"
    r"|(?<=\blive )(?:at|on|in)\s+(?:" + _ADDR_WORD + r"\s+){1,3}(?:"
    + _STREET_TYPES
    + r")\b",
    re.IGNORECASE,
)

# Words that end a name, even when the text is written in lower case.
_NOT_NAME = frozenset(
    [
        "a",
        "about",
        "am",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "called",
        "calling",
        "can",
        "could",
        "do",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "im",
        "in",
        "is",
        "it",
        "its",
        "just",
        "like",
        "live",
        "lives",
        "living",
        "me",
        "my",
        "name",
        "need",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "please",
        "regarding",
        "resident",
        "she",
        "so",
        "speaking",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "want",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "writing",
        "you",
        "your",
        "yes",
        "thanks",
        "thank",
        "hi",
        "hello",
        "dear",
        "mayor",
        "council",
        "sir",
        "madam",
    ]
)
_NAME_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\-]*")
_NAME_CUES = re.compile(
    r"\b(?:my\s+name\s+is|my\s+name's|name's|i\s+am\s+called|i'm\s+called|im\s+called"
    r"|i\s+am\s+named|call\s+me|my\s+names\s+is|my\s+names|signed|yours\s+sincerely,?"
    r"|kind\s+regards,?|best\s+regards,?|regards,|many\s+thanks,?|thanks,|from,)\s*:?\s*",
    re.IGNORECASE,
)
_THIS_IS_RE = re.compile(
    r"\b(?:this\s+is|it's|it\s+is)\s+((?:[A-Za-z][A-Za-z'\-]*\s+){1,3})(?:speaking|calling|here)\b",
    re.IGNORECASE,
)
# "I'm Jane Smith", "I am Jane", "Hi, this is Jane": only a capitalised word that is not one
# of these (or of _NOT_NAME) is taken as a name, so "I'm happy", "I am Bengali" stay.
_NOT_SELF = frozenset([
    "african", "asian", "bangladeshi", "bengali", "black", "british", "buddhist", "caribbean",
    "christian", "english", "european", "hindu", "indian", "irish", "jewish", "muslim",
    "pakistani", "polish", "sikh", "somali", "white", "londoner", "disabled", "deaf", "blind",
    "autistic", "retired", "unemployed", "pregnant", "sorry", "sure", "happy", "glad", "tired",
    "worried", "concerned", "angry", "disappointed", "afraid", "scared", "old", "young", "new",
    "very", "really", "also", "still", "just", "always", "never", "only", "from", "aged",
    "over", "under", "tower", "hamlets", "bow", "poplar", "stepney", "whitechapel", "london",
    "mile", "canary", "wharf", "shadwell", "wapping", "limehouse", "bethnal", "spitalfields",
    "lansbury", "island", "isle", "bromley", "mum", "dad", "mother", "father", "carer",
    "student", "nurse", "teacher", "parent", "tenant", "tenants", "volunteer", "member",
    "chair", "ok", "okay", "fine", "good", "bad", "great", "going", "ridiculous", "terrible",
    "awful", "unacceptable", "wrong", "right", "important", "urgent",
])
_SELF_CUE = re.compile(
    r"\b(?:[Ii]'m|[Ii]m|[Ii]\s+am|I\s+AM)\s+"
    r"|(?:^|[.!?,;:]\s*|\b(?:[Hh]i|[Hh]ello|[Hh]ey|[Gg]ood\s+(?:morning|afternoon|evening))"
    r"\b[\s,!]*)[Tt]his\s+is\s+"
)
# Bengali: "আমার নাম রহিমা বেগম" (my name is), "আমি রহিমা বলছি" (Rahima speaking),
# "জনাব করিম" (Mr Karim). The script has no capitals, so names end at a stop word.
_BN_WORD = re.compile(r"[\u0980-\u09FF]+")
_BN_STOP = frozenset([
    "এবং", "আর", "আমি", "আমার", "আমরা", "থাকি", "করি", "ও", "তবে", "কিন্তু", "বলছি", "হয়",
    "হল", "হলো", "হচ্ছে", "না", "নয়", "থেকে", "এখানে", "এই", "সেই", "যে", "কারণ", "জন্য",
    "সাথে", "বাস", "কাজ", "চাই", "আছে", "ছিল", "বলতে", "বলব", "বলবো", "দিতে",
    "জানাতে", "গোপন",
])
_BN_CUES = re.compile(
    r"আমার\s+নাম(?:\s+(?:হল|হলো|হচ্ছে))?\s*[:：]?\s*|(?:জনাব|মিসেস|মিস্টার|মিস|ডাঃ)\s+")
_BN_SPEAKING = re.compile(r"আমি\s+((?:[\u0980-\u09FF]+\s+){1,2})বলছি")

_HONORIFIC_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor)\.?\s+((?:[A-Z][A-Za-z'\-]+)(?:\s+[A-Z][A-Za-z'\-]+)?)"
)


@dataclass(frozen=True)
class Redaction:
    """One piece of personal data found: its kind and position in the original text."""

    kind: str
    start: int
    end: int
    original: str

    @property
    def placeholder(self) -> str:
        """The typed placeholder that replaces it, e.g. ``[EMAIL]``."""
        return f"[{self.kind}]"


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text plus the spans (in the original text) that were replaced."""

    text: str
    spans: tuple[Redaction, ...]

    @property
    def changed(self) -> bool:
        """True when anything was redacted."""
        return bool(self.spans)

    def kinds(self) -> list[str]:
        """Kinds of personal data found, in order of appearance."""
        return [s.kind for s in self.spans]


def _names_after(text: str, pos: int) -> tuple[int, int] | None:
    """Span of a name of one to three words starting at ``pos``, or None."""
    tokens: list[tuple[int, int]] = []
    i = pos
    while len(tokens) < 3:
        m = _NAME_TOKEN.match(text, i)
        if m is None:
            break
        word = m.group(0)
        if word.lower().strip("'-") in _NOT_NAME:
            break
        if tokens and not word[0].isupper() and text[tokens[0][0]].isupper():
            break
        tokens.append((m.start(), m.end()))
        gap = re.match(r"[ \t]+", text[m.end() :])
        if gap is None:
            break
        i = m.end() + gap.end()
    if not tokens:
        return None
    return tokens[0][0], tokens[-1][1]


def _bengali_name_after(text: str, pos: int) -> tuple[int, int] | None:
    """Span of one or two Bengali words starting at ``pos`` (a Latin name as in English)."""
    tokens: list[tuple[int, int]] = []
    i = pos
    while len(tokens) < 2:
        m = _BN_WORD.match(text, i)
        if m is None or m.group(0) in _BN_STOP:
            break
        tokens.append((m.start(), m.end()))
        gap = re.match(r"[ \t]+", text[m.end():])
        if gap is None:
            break
        i = m.end() + gap.end()
    if not tokens:
        return _names_after(text, pos)
    return tokens[0][0], tokens[-1][1]


def _capitalised_name_after(text: str, pos: int) -> tuple[int, int] | None:
    """Span of one to three capitalised words that make a name, starting at ``pos``."""
    tokens: list[tuple[int, int]] = []
    i = pos
    while len(tokens) < 3:
        m = _NAME_TOKEN.match(text, i)
        if m is None:
            break
        word = m.group(0)
        plain = word.lower().strip("'-")
        if not word[0].isupper() or plain in _NOT_NAME or plain in _NOT_SELF:
            break
        if word.isupper() and len(word) > 1 and not text[max(0, pos - 6):pos].isupper():
            break  # "I'm OK", "this is NOT": capitals for emphasis, not a name
        tokens.append((m.start(), m.end()))
        gap = re.match(r"[ \t]+", text[m.end():])
        if gap is None:
            break
        i = m.end() + gap.end()
    if not tokens:
        return None
    return tokens[0][0], tokens[-1][1]


# Every finding needs one of these; most answers have none, so they skip the costly patterns.
_TRIGGER = re.compile(
    r"[\d@]|[\[({]\s*at|\bat\s+[\w-]+\.|নাম|বলছি|জনাব|মিস|ডাঃ"
    r"|\b(?:dot|names?|name's|called|call me|speaking|calling|here|mr|mrs|ms|miss|mx|dr|cllr"
    r"|councillor|regards|sincerely|thanks,|signed|from,|live|gir|i'?m|i am|this is)(?!\w)",
    re.IGNORECASE,
)


# Invisible characters people (or bots) put inside an address to dodge filters.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


@cache
def _fold_char(char: str) -> str:
    """One character as the patterns expect it: ASCII digits, half-width forms, plain spaces."""
    if char.isascii():
        return char
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    if "\uff01" <= char <= "\uff5e":  # full-width ASCII: ＠, Ａ-Ｚ, ａ-ｚ
        return chr(ord(char) - 0xFEE0)
    if char.isspace():
        return " "
    if char in "\u2018\u2019\u02bc":
        return "'"
    return char


def _fold(text: str) -> tuple[str, list[int] | None]:
    """Text folded for matching, one character for each kept character of ``text``, and where
    each folded character came from (None when nothing was dropped)."""
    if text.isascii():
        return text, None
    if not any(c in _INVISIBLE for c in text):
        return "".join(map(_fold_char, text)), None
    kept = [(i, c) for i, c in enumerate(text) if c not in _INVISIBLE]
    return "".join(_fold_char(c) for _i, c in kept), [i for i, _c in kept]


def find_personal_data(
    text: str, kinds: Iterable[str] | None = None
) -> list[Redaction]:
    """All non-overlapping findings in ``text``, sorted by position."""
    original = text
    text, where = _fold(original)
    if not _TRIGGER.search(text):
        return []
    wanted = set(KINDS if kinds is None else kinds)
    found: list[Redaction] = []

    def add(kind: str, start: int, end: int) -> None:
        if kind in wanted and end > start:
            if where is not None:  # back to positions in the original text
                start, end = where[start], where[end - 1] + 1
            found.append(Redaction(kind, start, end, original[start:end]))

    for m in _EMAIL_RE.finditer(text):
        add(EMAIL, m.start(), m.end())
    for m in _PHONE_RE.finditer(text):
        add(PHONE, m.start(), m.end())
    for m in _POSTCODE_RE.finditer(text):
        add(POSTCODE, m.start(), m.end())
    for m in _ADDRESS_RE.finditer(text):
        add(ADDRESS, m.start(), m.end())
    for m in _NAME_CUES.finditer(text):
        span = _names_after(text, m.end())
        if span is not None:
            add(NAME, *span)
    for m in _THIS_IS_RE.finditer(text):
        span = _names_after(text, m.start(1))
        if span is not None:
            add(NAME, *span)
    for m in _HONORIFIC_RE.finditer(text):
        add(NAME, m.start(1), m.end(1))
    for m in _SELF_CUE.finditer(text):
        span = _capitalised_name_after(text, m.end())
        if span is not None:
            add(NAME, *span)
    for m in _BN_CUES.finditer(text):
        span = _bengali_name_after(text, m.end())
        if span is not None:
            add(NAME, *span)
    for m in _BN_SPEAKING.finditer(text):
        add(NAME, m.start(1), m.start(1) + len(m.group(1).rstrip()))

    # Keep the best of overlapping findings: higher priority, then longer, then earlier.
    found.sort(key=lambda r: (-_PRIORITY[r.kind], -(r.end - r.start), r.start))
    kept: list[Redaction] = []
    for r in found:
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    kept.sort(key=lambda r: r.start)
    return kept


def redact(text: str, kinds: Iterable[str] | None = None) -> RedactionResult:
    """Replace personal data in ``text`` with typed placeholders such as ``[PHONE]``."""
    spans = find_personal_data(text, kinds)
    parts: list[str] = []
    last = 0
    for r in spans:
        parts.append(text[last : r.start])
        parts.append(r.placeholder)
        last = r.end
    parts.append(text[last:])
    return RedactionResult("".join(parts), tuple(spans))

