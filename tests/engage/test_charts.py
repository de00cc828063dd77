"""The insight charts measure Bengali labels with a font that has Bengali glyphs."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager

from engage.services.report import charts

HAS_BENGALI_FONT = any(font.name == "Lohit Bengali" for font in font_manager.fontManager.ttflist)


@pytest.mark.skipif(not HAS_BENGALI_FONT, reason="make pdf-deps installs the Bengali font")
def test_bengali_labels_are_measured_with_the_bengali_font() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = charts.share_bars(["পরিষ্কার রাস্তা", "Clean streets"], [40.0, 60.0],
                                key="bengali-font-test")
    assert "পরিষ্কার রাস্তা" in svg  # text stays text
    assert "Lohit Bengali" in svg
    assert not [w for w in caught if "missing from font" in str(w.message)]
