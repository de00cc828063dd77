"""A small survey with every question type, and CSV text to import into it (shared by tests)."""

from __future__ import annotations

from typing import Any


def _t(text: str) -> dict[str, str]:
    return {"en": text}


def _options(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": i, "text": _t(text)} for i, text in pairs]


SLUG = "import-test"

DEFINITION: dict[str, Any] = {
    "id": SLUG,
    "title": _t("Import test survey"),
    "language": "en",
    "languages": ["en"],
    "settings": {"layout": "grouped", "max_questions_per_page": 5},
    "sections": [{"id": "main", "title": _t("Main"), "pages": [
        {"id": "p1", "title": _t("About the library"), "questions": [
            {"id": "use", "type": "single-choice", "title": _t("Do you use the library?"),
             "name": _t("whether you use the library"),
             "options": _options(("yes", "Yes"), ("no", "No"))},
            {"id": "services", "type": "multiple-choice", "title": _t("Which services?"),
             "required": False,
             "options": _options(("books", "Books"), ("computers", "Computers"),
                                 ("events", "Events"))},
            {"id": "visits", "type": "number", "title": _t("Visits last year"),
             "min": 0, "max": 365, "required": False},
            {"id": "score", "type": "rating", "title": _t("Rating"), "required": False},
            {"id": "visited", "type": "date", "title": _t("Last visit"), "required": False,
             "min": "2020-01-01", "max": "2030-12-31"},
        ]},
        {"id": "p2", "title": _t("Your views"), "questions": [
            {"id": "agree", "type": "agreement", "title": _t("The library is clean"),
             "required": False},
            {"id": "improve", "type": "long-text", "title": _t("What would you improve?"),
             "required": False, "max_length": 500},
            {"id": "name", "type": "short-text", "title": _t("Group name"), "required": False},
            {"id": "rank", "type": "ranking", "title": _t("Rank these"), "required": False,
             "options": _options(("quiet", "Quiet"), ("staff", "Staff"))},
            {"id": "grid", "type": "grid", "title": _t("Rate parts"), "required": False,
             "statements": [{"id": "desk", "text": _t("Desk")}],
             "options": _options(("good", "Good"), ("bad", "Bad"))},
        ]},
        {"id": "p3", "questions": [
            {"id": "where", "type": "ward-postcode", "title": _t("Where do you live?"),
             "required": False},
        ]},
    ]}],
}

GOOD_CSV = (
    "Do you use the library?,Which services?,Visits last year,Rating,Last visit,"
    "The library is clean,What would you improve?,Group name,Rank these: Quiet,"
    "Rank these: Staff,Rate parts: Desk,Where do you live?\n"
    "Yes,Books; Computers,12,7,27/03/2026,Agree,More seats,=1+1,1,2,Good,Bow East\n"
    "no,,0,10,2026-01-02,strongly disagree,<script>alert(1)</script>,,,,bad,E1 6AN\n"
)

BAD_CSV = (
    "Do you use the library?,Visits last year,Last visit,Where do you live?\n"
    "Yes,12,27/03/2026,Bow East\n"
    "Perhaps,12,27/03/2026,Bow East\n"
    "Yes,lots,31/02/2026,Bow East\n"
    "Yes,400,someday,Nowhere\n"
)
