"""Tokenising, stop words, negation, stemming and surface forms."""

from __future__ import annotations

from analysis.preprocess import (
    STOP_WORDS,
    SurfaceForms,
    collocations,
    content_tokens,
    features,
    normalise,
    stem,
    tokenize,
)


def test_survey_words_are_not_stop_words() -> None:
    for word in ("no", "not", "nothing", "none", "never", "more", "less", "enough"):
        assert word not in STOP_WORDS
    assert {"the", "and", "of"} <= STOP_WORDS
    assert features("Nothing") == ["noth"]
    assert features("No") == ["no"]
    assert features("None") == ["none"]


def test_negation_is_kept_in_bigrams() -> None:
    feats = features("I don't feel safe at night")
    assert "not" in feats and "not feel" in feats and "feel safe" in feats
    assert "not" in features("I can't park")


def test_shorthand() -> None:
    assert "not applicable" in normalise("N/A")
    assert features("n/a") == features("N/A") == ["not", "applic", "not applic"]
    assert "know" in " ".join(tokenize("idk"))


def test_stemming_for_matching_surface_for_labels() -> None:
    assert stem("parking") == stem("parked") == "park"
    forms = SurfaceForms().update(["Parking is bad", "parking again", "we parked here"])
    assert forms.word("park") == "parking"
    assert forms.phrase("park permit") == "parking permit"
    assert forms.word("unknownstem") == "unknownstem"


def test_non_latin_scripts_are_kept_whole() -> None:
    tokens = tokenize("রাস্তায় আবর্জনা পরিষ্কার করা হয় না")
    assert tokens == ["রাস্তায়", "আবর্জনা", "পরিষ্কার", "করা", "হয়", "না"]
    assert stem("আবর্জনা") == "আবর্জনা"
    assert tokenize("مرحبا بالعالم") == ["مرحبا", "بالعالم"]
    assert "नमस्ते" in tokenize("नमस्ते दुनिया")


def test_punctuation_numbers_placeholders() -> None:
    assert content_tokens("!!! ... ???") == []
    assert content_tokens("ring [PHONE] about 12 bins") == ["ring", "bins"]
    assert tokenize("Café’s") == ["café's"]


def test_collocations_find_phrases() -> None:
    docs = [
        ["street", "light", "broken"],
        ["street", "light", "dark"],
        ["street", "light", "out"],
        ["bin", "full"],
    ] * 3
    assert "street light" in collocations(docs, min_count=3)


def test_collocations_degenerate_counts() -> None:
    # Found by Hypothesis: NLTK's likelihood ratio raised "math domain error" here.
    assert collocations([["0000a00", "0000a00", "0000a00"]], min_count=1) == []


def test_content_words_from_the_scikit_learn_list_are_kept() -> None:
    assert "top" in content_tokens("How do I top up my card?")
    assert "bill" in content_tokens("My council tax bill went up")
    assert "fire" in content_tokens("The fire door is broken")
    assert "call" in content_tokens("Nobody returned my call")
    assert "top bill" not in features("the top")  # function words still go
    assert features("the of and") == []
