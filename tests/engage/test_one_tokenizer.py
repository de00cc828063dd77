"""One word tokeniser (issue 20): analysis.tokens, used by the analysis (analysis.preprocess)
and by the web platform where it compares words with what the analysis derived
(services/code/themes/forget.py). Ask the Mayor's search keeps its own splitting: its index terms
are
stored, and it splits at the Bengali danda and apostrophes on purpose."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from flask import Flask

from analysis import preprocess, tokens
from engage.services.code.themes import forget

ROOT = Path(__file__).resolve().parents[2]
# A hand-written word splitter: findall/split with \w, or [a-z]+ style word classes.
HAND_SPLIT = re.compile(r"""(findall|split|finditer)\(\s*r?["']\\w\+|compile\(\s*r?["']\\w\+""")


def test_analysis_and_engage_use_the_same_tokeniser() -> None:
    assert preprocess.tokenize is tokens.tokenize
    assert preprocess.normalise is tokens.normalise
    text = "Don't close the পার্কিং library, n/a"
    assert tokens.tokenize(text) == ["do", "not", "close", "the", "পার্কিং", "library",
                                     "not", "applicable"]


def test_no_other_word_splitter_outside_analysis() -> None:
    found = [str(path.relative_to(ROOT)) for package in ("engage", "surveys")
             for path in (ROOT / package).rglob("*.py")
             if HAND_SPLIT.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_an_erased_bengali_word_is_forgotten_in_what_was_derived(app: Flask) -> None:
    """With \\w+ a Bengali word fell apart at its vowel signs into pieces too short to count,
    so a key phrase or label holding it outlived the erased text."""
    erased = forget.Erased([("পার্কিং খুব ব্যয়বহুল", "পার্কিং খুব ব্যয়বহুল")])
    nothing_left = forget._Remaining([])
    assert forget.came_from("ব্যয়বহুল", erased, nothing_left)


def test_the_tokeniser_loads_no_nltk_or_scikit_learn() -> None:
    code = ("import sys, analysis.tokens; "
            "assert not {'nltk', 'sklearn'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
