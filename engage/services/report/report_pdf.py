"""The insight report as a PDF: WeasyPrint (BSD-3-Clause, on Pango) turns the report's HTML into
a tagged PDF (PDF/UA-1: headings, tables and the language for screen readers), with the survey's
title in each page's header and page numbers in its footer.

WeasyPrint is imported inside the functions: a web worker loads it the first time someone asks
for a PDF, never at start."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

CSS_FILE = (
    Path(__file__).resolve().parent.parent.parent / "static" / "css" / "insight-report-pdf.css"
)
MIME = "application/pdf"
# Bengali script (U+0980–U+09FF): text in it needs a font that has its glyphs.
_BENGALI = re.compile("[\u0980-\u09ff]")
# Scripts this module checks a font for, with the fontconfig language that covers them.
_SCRIPTS = {"bn": _BENGALI}
_PLACES = ("\x01", "\x02")  # stand for the page number and count in the translated label


def needs_font(text: str) -> set[str]:
    """The languages whose script appears in the text and that no installed font covers."""
    return {language for language, script in _SCRIPTS.items()
            if script.search(text) and not has_font_for(language)}


@lru_cache(maxsize=8)
def has_font_for(language: str) -> bool:
    """Whether fontconfig (which Pango, so WeasyPrint, uses) knows a font for the language."""
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return False
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return False
    lib.FcNameParse.restype = ctypes.c_void_p
    lib.FcNameParse.argtypes = [ctypes.c_char_p]
    lib.FcObjectSetCreate.restype = ctypes.c_void_p
    lib.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.FcFontList.restype = ctypes.POINTER(ctypes.c_int)  # FcFontSet starts with nfont
    lib.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.FcFontSetDestroy.argtypes = [ctypes.c_void_p]
    lib.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    pattern = lib.FcNameParse(f":lang={language}".encode())
    objects = lib.FcObjectSetCreate()
    lib.FcObjectSetAdd(objects, b"family")
    found = lib.FcFontList(None, pattern, objects)
    count = found[0] if found else 0
    if found:
        lib.FcFontSetDestroy(found)
    lib.FcObjectSetDestroy(objects)
    lib.FcPatternDestroy(pattern)
    return count > 0


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_label_css(label: str, language: str) -> str:
    """CSS `content` for "Page 3 of 12" from its translation, made with `PAGE_PLACES` standing
    for the numbers (Bengali pages count in Bengali digits)."""
    style = ", bengali" if language == "bn" else ""
    parts = []
    for piece in re.split("([\x01\x02])", label):
        if piece == _PLACES[0]:
            parts.append(f"counter(page{style})")
        elif piece == _PLACES[1]:
            parts.append(f"counter(pages{style})")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


PAGE_PLACES = {"number": _PLACES[0], "total": _PLACES[1]}


def titled_svg(svg: str, alternative: str) -> Markup:
    """An inline SVG chart with its text alternative as its <title>, which the PDF's Figure tag
    takes as its alternate text (the page gives it with aria-label instead)."""
    # the chart is our own SVG (services/report/charts.py); the alternative is escaped
    return Markup(svg.replace(">", f"><title>{escape(alternative)}</title>", 1))  # noqa: S704


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The report is self-contained (inline SVG charts, one stylesheet given here): fetch
    nothing, so no text in it can make the server request a URL."""
    raise ValueError(f"the PDF fetches nothing: {url[:80]}")


class Unavailable(RuntimeError):
    """WeasyPrint cannot load here (its system libraries, Pango and fontconfig, are missing)."""


def render_pdf(html: str, page_label: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of the report's HTML, with the report's print style sheet and
    `page_label` (from `page_label_css`) in each page's footer; Unavailable without Pango."""
    try:
        from weasyprint import CSS, HTML
    except OSError as error:  # WeasyPrint loads Pango with ctypes-like cffi calls at import
        raise Unavailable(str(error)) from error

    footer = CSS(string=f"@page {{ @bottom-right {{ content: {page_label}; }} }}")
    document = HTML(string=html, url_fetcher=_no_fetch)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(CSS_FILE)), footer],
                                    pdf_variant="pdf/ua-1"))
