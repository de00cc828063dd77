"""Assigning new texts to an existing set of themes, from the model and from saved JSON."""

from __future__ import annotations

import pickle

from analysis import ThemeModel, ThemeResult, assign
from tests.analysis.conftest import themed_corpus

NEW = [
    "Bins overflowing again, rubbish everywhere",
    "Residents parking permits cost too much",
    "Not safe at night, more police patrols please",
    "Nothing",
    "",
    "xyzzy qwerty",
]


def _fitted() -> ThemeModel:
    texts, _ = themed_corpus(copies=2)
    return ThemeModel(n_themes=3, random_state=0).fit(texts)


def _theme_of(result: ThemeResult, text: str) -> str | None:
    return assign([text], result)[0].theme_id


def test_new_texts_go_to_matching_themes() -> None:
    model = _fitted()
    result = model.result_
    before = result.to_json()
    out = model.assign(NEW, ids=["a", "b", "c", "d", "e", "f"])
    assert [a.id for a in out] == ["a", "b", "c", "d", "e", "f"]
    assert out[0].theme_id == _theme_of(
        result, "The bins are not collected often enough and rubbish piles up"
    )
    assert out[1].theme_id == _theme_of(
        result, "Parking permits are too expensive for residents"
    )
    assert out[2].theme_id == _theme_of(
        result, "More police patrols on the estate at night please"
    )
    assert len({out[0].theme_id, out[1].theme_id, out[2].theme_id}) == 3
    assert out[4].theme_id is None and out[5].theme_id is None
    assert out[2].sentiment != 0.0
    # The themes themselves do not change.
    assert result.to_json() == before


def test_assign_from_json_matches_model() -> None:
    model = _fitted()
    reloaded = ThemeResult.from_json(model.result_.to_json())
    assert [t.label for t in reloaded.themes] == [t.label for t in model.result_.themes]
    direct = model.assign(NEW)
    again = assign(NEW, reloaded)
    assert [a.theme_id for a in direct] == [a.theme_id for a in again]
    for x, y in zip(direct, again, strict=False):
        assert [m.theme_id for m in x.memberships] == [
            m.theme_id for m in y.memberships
        ]
        for mx, my in zip(x.memberships, y.memberships, strict=False):
            assert abs(mx.score - my.score) < 1e-4


def test_fit_time_scores_match_reassignment() -> None:
    texts, _ = themed_corpus(copies=2)
    model = ThemeModel(n_themes=3, random_state=0).fit(texts)
    again = assign(texts, ThemeResult.from_json(model.result_.to_json()))
    agree = sum(
        a.theme_id == b.theme_id for a, b in zip(model.result_.assignments, again, strict=False)
    )
    assert agree / len(texts) >= 0.9


def test_edited_labels_survive_and_model_pickles() -> None:
    model = _fitted()
    data = model.result_.to_dict()
    data["themes"][0]["label"] = "Waste and recycling (approved)"
    edited = ThemeResult.from_dict(data)
    assert edited.themes[0].label == "Waste and recycling (approved)"
    restored = pickle.loads(pickle.dumps(model))
    assert list(restored.predict(NEW)) == list(model.predict(NEW))
    assert model.predict(["", "xyzzy"]).tolist() == [-1, -1]


def test_assign_redacts() -> None:
    model = _fitted()
    out = assign(["call 07700 900123 about the bins"], model.result_)
    assert out[0].theme_id is not None
