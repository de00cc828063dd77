"""Whole-page cache for pages anyone may see, so their render cost is paid once.

A cached page holds sentinels in place of the per-request CSRF token and CSP nonce; they are
swapped in on every request, so no token or nonce is ever shared between requests.

Compressing a page cost about as much as the rest of a cached request, so the parts of a page
between the sentinels are also kept gzip-compressed (raw deflate blocks, each ending on a byte
boundary with no back-references across parts). A browser that accepts gzip is sent those
blocks with this request's token and nonce spliced in between as uncompressed ("stored")
deflate blocks: a valid gzip stream (RFC 1951, RFC 1952) for the cost of a CRC, and the same
HTML as before, token and nonce included.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from threading import Lock

from flask import Response, render_template, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from werkzeug.http import parse_accept_header

from engage.security import csp_nonce

MAX_ENTRIES = 1024
TOKEN_SENTINEL = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
NONCE_SENTINEL = "\x00csp-nonce\x00"
_SPLIT = re.compile("(" + re.escape(TOKEN_SENTINEL) + "|" + re.escape(NONCE_SENTINEL) + ")")
# gzip member header: deflate, no flags, no time stamp, maximum compression, unknown OS.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a final fixed-Huffman block holding only end-of-block


@dataclass(frozen=True)
class _Page:
    sentinels: tuple[str, ...]  # the sentinels, in order: one between each two static parts
    raw: tuple[bytes, ...]  # the static parts as UTF-8
    deflated: tuple[bytes, ...]  # each static part alone, deflated, flushed to a byte boundary


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


def _stored(data: bytes) -> bytes:
    """Data as non-final stored deflate blocks (the stream is on a byte boundary here)."""
    out = []
    for i in range(0, len(data), 65535):
        chunk = data[i:i + 65535]
        out.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(out)


def _make(html: str) -> _Page:
    parts = tuple(_SPLIT.split(html))
    raw = tuple(p.encode("utf-8") for p in parts[::2])
    return _Page(sentinels=parts[1::2], raw=raw, deflated=tuple(_deflate(r) for r in raw))


_PAGES: OrderedDict[tuple[object, ...], _Page] = OrderedDict()
_LOCK = Lock()


def clear() -> None:
    """Forget every cached page (the keys hold database ids: a new database reuses them)."""
    with _LOCK:
        _PAGES.clear()
        _VALUES.clear()


# Parts of pages and bodies that are expensive to build and change only with their key (an
# indicator's chart and table, per language and updates; the plan's open data per version).
MAX_VALUES = 4096
_VALUES: OrderedDict[tuple[object, ...], object] = OrderedDict()


def cached_value(key: tuple[object, ...], make: Callable[[], object]) -> object:
    """The value for a key, made once (the key must stand for everything the value depends on)."""
    with _LOCK:
        if key in _VALUES:
            _VALUES.move_to_end(key)
            return _VALUES[key]
    value = make()
    with _LOCK:
        _VALUES[key] = value
        while len(_VALUES) > MAX_VALUES:
            _VALUES.popitem(last=False)
    return value


def _gzip(page: _Page, values: dict[str, bytes]) -> bytes:
    """The page as one gzip member, the sentinels replaced by `values`."""
    chunks = [_GZIP_HEADER]
    crc = size = 0
    for i, deflated in enumerate(page.deflated):
        raw = page.raw[i]
        chunks.append(deflated)
        crc = zlib.crc32(raw, crc)
        size += len(raw)
        if i < len(page.sentinels):
            value = values[page.sentinels[i]]
            chunks.append(_stored(value))
            crc = zlib.crc32(value, crc)
            size += len(value)
    chunks.append(_FINAL_EMPTY_BLOCK)
    chunks.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
    return b"".join(chunks)


def _accepts_gzip() -> bool:
    return _gzip_accepted(request.headers.get("Accept-Encoding", ""))


@lru_cache(maxsize=256)
def _gzip_accepted(header: str) -> bool:
    # A browser sends the same header on every page: parse each header once.
    return "gzip" in header and parse_accept_header(header)["gzip"] > 0


def cached_page(key: tuple[object, ...], template: str,
                make_context: Callable[[], Mapping[str, object]] | None = None,
                **context: object) -> str | Response:
    """Render a page once per key, template, language and URL; fill in token and nonce.

    `make_context`, when given, builds (more of) the template's context, only when the page
    has to be rendered: the key must then stand for everything it depends on.
    """
    def full() -> dict[str, object]:
        return {**context, **(make_context() if make_context is not None else {})}

    if session.get("_flashes"):  # a pending message must be shown and consumed: no cache
        return render_template(template, **full())
    full_key = (template, str(get_locale()), request.full_path, *key)
    with _LOCK:
        page = _PAGES.get(full_key)
        if page is not None:
            _PAGES.move_to_end(full_key)
    if page is None:
        page = _make(render_template(template, csrf_token=lambda: TOKEN_SENTINEL,
                                     csp_nonce=lambda: NONCE_SENTINEL, **full()))
        with _LOCK:
            _PAGES[full_key] = page
            while len(_PAGES) > MAX_ENTRIES:
                _PAGES.popitem(last=False)
    values: dict[str, str] = {}
    for sentinel in page.sentinels:
        if sentinel not in values:
            values[sentinel] = generate_csrf() if sentinel == TOKEN_SENTINEL else csp_nonce()
    if _accepts_gzip():
        body = _gzip(page, {k: v.encode("utf-8") for k, v in values.items()})
        response = Response(body, mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
        return response
    pieces = []  # no gzip (rare): the page's text is kept only as UTF-8, to save memory
    for i, raw in enumerate(page.raw):
        pieces.append(raw.decode("utf-8"))
        if i < len(page.sentinels):
            pieces.append(values[page.sentinels[i]])
    return "".join(pieces)
