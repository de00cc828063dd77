"""Non-answers: texts with no substantive content ("N/A", "nothing", "don't know", "-", "😀").

A non-answer is counted, never themed. The rule, in English and Bengali:

- a text with no letters in any script (empty, punctuation, digits, emoji alone, only
  redaction placeholders such as ``[PHONE]``) is a non-answer;
- so is a short text (at most ``MAX_WORDS`` words) made only of non-answer words: "N/A", "na",
  "none", "nothing", "nil", "no", "yes", "no comment", "not sure", "don't know", "no idea",
  "nothing to add", "nothing else", "as above", with fillers such as "thanks" or "really";
  in Bengali "প্রযোজ্য নয়", "কিছু না", "কিছুই নেই", "মন্তব্য নেই", "জানি না", "নিশ্চিত নই", "হ্যাঁ", "না".

A single other word makes the text substantive: "Nothing to improve", "Nothing, all good",
"No more parking fines" and "not safe at night" are real answers and are themed ("nothing to
improve" is a common satisfaction theme in survey data). A bare "Nothing" or "No" does not say
what about, and the engine does not see the question, so it is a non-answer; the analyst sees
how many there were.
"""

from __future__ import annotations

import unicodedata

from analysis.preprocess import tokenize


def _split(words: str) -> list[str]:
    """The words of a space-separated list."""
    return words.split()


#: Longest non-answer, in words ("no i do not know thank you" has 7).
MAX_WORDS = 8

#: Words a non-answer is made of (lower case, after contractions are split: "don't" -> "do not",
#: "N/A" -> "not applicable", "idk" -> "don't know").
NON_ANSWER_WORDS = frozenset(
    unicodedata.normalize("NFKC", w)
    for w in [
        # English
        *_split(
            "n a na nah not applicable none nothing nil nada nope no yes yeah yep ok okay "
            "comment comments sure unsure know do dont idea opinion opinions answer pass skip "
            "same above as see else say add to at all thanks thank you thx cheers really sorry "
            "i i'm im have is there this question nothing's x xx xxx"
        ),
        # Bengali: not applicable, nothing, none / there is not, no, yes, I, know, comment,
        # any, of saying, sure, am not, known, thank you, answer, this, question
        "প্রযোজ্য",
        "নয়",
        "নহে",
        "কিছু",
        "কিছুই",
        "নেই",
        "না",
        "হ্যাঁ",
        "হাঁ",
        "আমি",
        "জানি",
        "জানা",
        "মন্তব্য",
        "কোনো",
        "কোন",
        "বলার",
        "নিশ্চিত",
        "নই",
        "ধন্যবাদ",
        "উত্তর",
        "এই",
        "প্রশ্ন",
    ]
)


def is_non_answer(text: str) -> bool:
    """True when ``text`` has no substantive content (see the module docstring for the rule)."""
    if not any(unicodedata.category(c).startswith("L") for c in text):
        return True
    words = tokenize(text)
    if not words:  # letters only inside placeholders such as [NAME]
        return True
    if len(words) > MAX_WORDS:
        return False
    return all(w in NON_ANSWER_WORDS for w in words)
