#!/usr/bin/env python3
"""Redaction recall and precision on the labelled corpus (tests/analysis/redaction_corpus.py).

Usage: python bench/redaction_quality.py
Prints the whole corpus's figures, then those of its texts in Bengali script or with digits of
another script, and every missed item and false positive.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.evaluate import RedactionScore, redaction_score  # noqa: E402
from analysis.redact import find_personal_data  # noqa: E402
from tests.analysis.redaction_corpus import CORPUS  # noqa: E402

NOT_ASCII = re.compile(r"[\u0980-\u09ff\u0660-\u0669\uff01-\uff5e\u200b-\u200d]")


def line(name: str, score: RedactionScore) -> str:
    """One row of figures."""
    return (f"{name}: {score.texts} texts, {score.items} items; recall {score.recall:.1%} "
            f"({score.found}/{score.items}), precision {score.precision:.1%} "
            f"({score.predicted - score.false_positives}/{score.predicted})")


def main() -> None:
    """Print the figures and what was missed or wrongly found."""
    print(line("whole corpus", redaction_score(CORPUS)))
    other = [entry for entry in CORPUS if NOT_ASCII.search(entry[0])]
    print(line("Bengali script, other digits, zero-width", redaction_score(other)))
    score = redaction_score(CORPUS)
    for kind, text in score.missed:
        print(f"missed {kind}: {text!r}")
    for text, gold in CORPUS:
        spans = [(text.index(sub), text.index(sub) + len(sub)) for _kind, sub in gold]
        for found in find_personal_data(text):
            if not any(found.start < end and found.end > start for start, end in spans):
                print(f"false positive {found.kind} {found.original!r}: {text!r}")


if __name__ == "__main__":
    main()
