"""Themes an officer can act on (issue 16): non-answers, readable labels without names,
descriptions that copy no resident, people counted, sentiment "not scored", CSV encodings."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from analysis import ThemeModel
from analysis.cli import main
from analysis.nonanswers import is_non_answer

NON_ANSWERS = ["N/A", "n/a", "NA", "nothing", "None.", "no comment", "No comments, thanks",
               "don't know", "idk", "Not sure", "-", "?", "...", "😀", "❤️", "👍🏽", "",
               "প্রযোজ্য নয়", "কিছু না", "জানি না", "কোনো মন্তব্য নেই", "[PHONE]"]
REAL = ["Nothing to improve", "Nothing, all good", "not safe at night", "No more parking fines",
        "bins", "আবর্জনা", "রাস্তায় আবর্জনা জমে আছে"]


@pytest.mark.parametrize("text", NON_ANSWERS)
def test_non_answers_are_recognised(text: str) -> None:
    assert is_non_answer(text)


@pytest.mark.parametrize("text", REAL)
def test_real_short_answers_are_not_non_answers(text: str) -> None:
    assert not is_non_answer(text)


CARE = ["Nurse Mathew was lovely and the care was good",
        "Good care on the ward, thanks to Mathew",
        "The care was good and Mathew explained everything",
        "Good care from the nurses at night"]
BINS = ["The bins are overflowing on our street", "Bins not collected for two weeks",
        "Overflowing bins and rubbish on the street"]
PETITIONS = ["Stop the badger cull now", "Stop the badger cull in Devon",
             "Stop the badger cull, it is cruel"]


def _fit(texts: list[str], k: int, **kw: object) -> ThemeModel:
    return ThemeModel(n_themes=k, random_state=0).fit(texts, **kw)  # type: ignore[arg-type]


def test_mixed_corpus_labels_counts_and_sentiment() -> None:
    bengali = ["রাস্তায় আবর্জনা জমে আছে", "আবর্জনা সংগ্রহ হয় না"]
    texts = CARE * 4 + BINS * 4 + PETITIONS * 4 + bengali * 5 + ["N/A"] * 100 + ["❤️"] * 5
    respondents = [str(i // 2) for i in range(len(texts))]
    result = _fit(texts, 4, respondents=respondents).result_
    labels = [t.label for t in result.themes]
    assert not any("applicable" in lab.lower() for lab in labels), labels
    # 100 x "N/A" and the emoji are counted, never themed.
    assert result.non_answers == 105
    assert all(a.theme_id is None and a.non_answer for a in result.assignments[-105:])
    for theme in result.themes:
        words = theme.label.lower().split()
        assert 2 <= len(words) <= 5, theme.label
        assert "mathew" not in theme.label.lower() and "mathew" not in theme.description.lower()
        assert words[0] != "stop", theme.label  # petitions named by topic, not verb
        assert all(unicodedata.category(c)[0] != "C" for c in theme.label)
        assert theme.respondents is not None and theme.respondents <= theme.size
    care = result.assignments[0].theme_id
    assert care is not None and result.theme(care).respondents == 8  # 16 comments, 8 people
    badger = result.theme(result.assignments[len(CARE) * 4 + len(BINS) * 4].theme_id or "")
    assert badger.label == "Badger cull"
    # Bengali answers about rubbish join the English bins theme (one theme space), and are not
    # scored by the English lexicon: None, not 0.0, and the theme's scored count leaves them out.
    bn = result.assignments[len(texts) - 115]
    bins = result.assignments[len(CARE) * 4].theme_id
    assert bn.sentiment is None and bn.theme_id is not None and bn.theme_id == bins
    shared = result.theme(bn.theme_id)
    members = [a for a in result.assignments if a.theme_id == bn.theme_id]
    assert shared.sentiment_scored == sum(a.sentiment is not None for a in members)
    assert shared.sentiment_scored < len(members)
    assert result.assignments[0].sentiment is not None
    data = json.loads(result.to_json())
    assert data["non_answers"] == 105 and data["texts"][-1]["non_answer"] is True


def test_theme_of_unscored_texts_has_no_mean_sentiment() -> None:
    # Co-occurrence vectors keep each language apart: the Bengali theme has nothing scored.
    bengali = ["রাস্তায় আবর্জনা জমে আছে", "আবর্জনা সংগ্রহ হয় না"]
    result = ThemeModel(n_themes=2, embedding="cooccurrence", random_state=0).fit(
        BINS * 4 + bengali * 5
    ).result_
    bn = result.assignments[-1]
    assert bn.sentiment is None and bn.theme_id is not None
    assert result.theme(bn.theme_id).mean_sentiment is None
    assert result.params["vectors"] == "cooccurrence"


def test_descriptions_copy_no_resident() -> None:
    texts = CARE * 4 + BINS * 4 + PETITIONS * 4
    result = _fit(texts, 3).result_
    for theme in result.themes:
        assert theme.description.startswith("Comments about ")
        assert not any(t.lower().rstrip(".") in theme.description.lower() for t in texts)


def test_cli_reads_windows_1252_and_counts_people(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rows = ["text,who"] + [f"Caf\u00e9 prices \u20ac{i} too high in the park caf\u00e9,{i % 5}"
                           for i in range(12)] + [f"Bins overflowing on the street {i},{i % 4}"
                                                  for i in range(12)]
    path = tmp_path / "latin.csv"
    path.write_bytes("\r\n".join(rows).encode("cp1252"))
    out = tmp_path / "out.json"
    assert main(["themes", str(path), "--n-themes", "2", "--respondent-column", "who",
                 "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "read as Windows-1252" in captured.err and "people" in captured.out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(t["respondents"] for t in data["themes"]) == [4, 5]
    assert any("café" in q["text"] for t in data["themes"] for q in t["quotes"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_cli_reads_utf8_and_utf16(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("text\nরাস্তায় আবর্জনা\nbins full\n".encode(encoding))
    from analysis.cli import read_csv

    assert read_csv(str(path), ["text"])["text"] == ["রাস্তায় আবর্জনা", "bins full"]


def test_cli_names_the_encoding_problem_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"text\nfine\nbad \x81 byte\n")
    with pytest.raises(SystemExit) as exc:
        main(["themes", str(path), "--out", str(tmp_path / "o.json")])
    message = str(exc.value)
    assert "\n" not in message and "line 3" in message and "0x81" in message
