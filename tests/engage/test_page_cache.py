"""A cached page's parts: filled with a request's values, exactly the page with those values."""

from __future__ import annotations

import pytest

from engage.blueprints.caching import NONCE_SENTINEL as NONCE
from engage.blueprints.caching import TOKEN_SENTINEL as TOKEN
from engage.blueprints.caching import _fill, _make


@pytest.mark.parametrize("html", [
    "plain page, no sentinel",
    "",
    f"{TOKEN}{NONCE}",  # adjacent sentinels, empty static parts
    f"<head>{NONCE}</head><form>{TOKEN}</form><script {NONCE}>" + "x" * 5000,
    "é৳" * 40000 + TOKEN,  # multi-byte text
])
def test_filled_page_is_the_page_with_its_values(html: str) -> None:
    filled = _fill(_make(html), {TOKEN: "a-token", NONCE: "n0nce"})
    assert filled == html.replace(TOKEN, "a-token").replace(NONCE, "n0nce")
