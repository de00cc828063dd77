"""Same input, parameters and random_state give byte-identical JSON."""

from __future__ import annotations

from analysis import ThemeModel
from tests.analysis.conftest import BENGALI, themed_corpus


def _texts() -> list[str]:
    texts, _ = themed_corpus(copies=3)
    return texts + BENGALI + ["Nothing", "No", "N/A", ""] * 3


def test_byte_identical_json_fixed_k() -> None:
    a = ThemeModel(n_themes=4, random_state=3).fit(_texts()).result_.to_json()
    b = ThemeModel(n_themes=4, random_state=3).fit(_texts()).result_.to_json()
    assert a == b


def test_byte_identical_json_auto() -> None:
    a = ThemeModel(random_state=11).fit(_texts()).result_.to_json()
    b = ThemeModel(random_state=11).fit(_texts()).result_.to_json()
    assert a.encode() == b.encode()


def test_seed_is_a_parameter() -> None:
    model = ThemeModel(n_themes=4, random_state=5).fit(_texts())
    assert model.result_.params["random_state"] == 5
