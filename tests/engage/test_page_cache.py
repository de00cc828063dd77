"""The gzip stream a cached page is sent as: valid, and exactly the page with its values."""

from __future__ import annotations

import gzip

import pytest

from engage.blueprints.caching import NONCE_SENTINEL as NONCE
from engage.blueprints.caching import TOKEN_SENTINEL as TOKEN
from engage.blueprints.caching import _gzip, _make


@pytest.mark.parametrize("html", [
    "plain page, no sentinel",
    "",
    f"{TOKEN}{NONCE}",  # adjacent sentinels, empty static parts
    f"<head>{NONCE}</head><form>{TOKEN}</form><script {NONCE}>" + "x" * 5000,
    "é৳" * 40000 + TOKEN,  # multi-byte text, static part over 64 KB
])
@pytest.mark.parametrize("token", [b"short-token", b"t" * 70000])  # a value over one stored block
def test_spliced_stream_is_the_page_with_its_values(html: str, token: bytes) -> None:
    page = _make(html)
    body = _gzip(page, {TOKEN: token, NONCE: b"n0nce"})
    expected = html.replace(TOKEN, token.decode()).replace(NONCE, "n0nce").encode()
    assert gzip.decompress(body) == expected
