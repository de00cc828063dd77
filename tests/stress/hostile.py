"""Hostile input corpora and the checks that prove they stayed inert."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup, NavigableString

MARK = "xssmark"
FLAG = "__engage_xss"  # a browser test asserts window[FLAG] is never set
SET = f"window.{FLAG}=1"

XSS: list[str] = [
    f"<script>{SET}</script>{MARK}",
    f"<ScRiPt >{SET}</sCrIpT>{MARK}",
    f"<img src=x onerror=\"{SET}\" alt={MARK}>",
    f"\"><img src=x onerror={SET}>{MARK}",
    f"'><svg/onload={SET}>{MARK}",
    f"<svg><script>{SET}</script></svg>{MARK}",
    f"<a href=\"javascript:{SET}\">{MARK}</a>",
    f"javascript:{SET}//{MARK}",
    f"</textarea><script>{SET}</script>{MARK}",
    f"</title><script>{SET}</script>{MARK}",
    f"<iframe srcdoc=\"<script>parent.{FLAG}=1</script>\"></iframe>{MARK}",
    f"<details open ontoggle={SET}>{MARK}</details>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={SET}>{MARK}",
    f"&lt;script&gt;{SET}&lt;/script&gt;{MARK}",
    f"%3Cscript%3E{SET}%3C%2Fscript%3E{MARK}",
    f"\\u003cscript\\u003e{SET}\\u003c/script\\u003e{MARK}",
    f"\uff1cscript\uff1e{SET}\uff1c/script\uff1e{MARK}",
    f"<scr\u0000ipt>{SET}</scr\u0000ipt>{MARK}",
    f"{{{{ config.SECRET_KEY }}}}{{% raw %}}{MARK}",
    f"<style>@import 'http://evil.example/{MARK}.css';</style>",
    f"<base href=\"http://evil.example/\">{MARK}",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{SET}\">{MARK}",
]
FORMULAS: list[str] = [
    f"=HYPERLINK(\"http://evil.example\",\"{MARK}\")",
    f"+cmd|' /C calc'!A0 {MARK}",
    f"-2+3+cmd|' /C calc'!A0 {MARK}",
    f"@SUM(1+1)*cmd|' /C calc'!A0 {MARK}",
    f"\t=1+1 {MARK}",
    f"\r=1+1 {MARK}",
]
CORPUS = XSS + FORMULAS

SQLI: list[str] = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "1; DROP TABLE responses; --",
    "\" OR \"\"=\"",
    "1 UNION SELECT email, password_hash FROM users --",
    "') UNION SELECT name FROM sqlite_master --",
    "1' AND (SELECT pg_sleep(2)) IS NULL --",
    "id; SELECT * FROM audit_events",
    "created_at DESC, (SELECT 1/0)",
    "%27%20OR%201%3D1--",
    "\\' OR 1=1 #",
    "9" * 40,
    "-1",
    "\x00",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3?\.|psycopg|OperationalError|ProgrammingError|"
                        r"Traceback|unrecognized token|SQLSTATE|no such column", re.I)
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta",
                  "link", "img", "details", "frame", "frameset", "body"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc",
                  "content"}
SAFE_ATTRIBUTES = {"value", "title", "aria-label", "alt-text"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


def assert_inert(html: str, where: str, secret: str = "") -> None:
    """No markup, handler or script URL from the corpus came to life in this page."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not name.lower().startswith("on"), f"{where}: handler {name}={text[:60]}"
            if name.lower() in URL_ATTRIBUTES:
                assert not re.match(r"\s*(javascript|vbscript|data:text/html)", text, re.I), \
                    f"{where}: {name}={text[:60]}"
                assert MARK not in text or (name.lower() == "href" and "?" in text), \
                    f"{where}: {name} holds hostile text: {text[:80]}"
        attributes = " ".join(str(v) for k, v in tag.attrs.items() if k not in SAFE_ATTRIBUTES)
        assert FLAG not in attributes and "evil.example" not in attributes, \
            f"{where}: <{tag.name}> carries hostile attributes: {str(tag)[:120]}"
        if tag.name in DANGEROUS_TAGS:
            own = " ".join(str(c) for c in tag.contents if isinstance(c, NavigableString))
            assert MARK not in own and FLAG not in own, \
                f"{where}: <{tag.name}> from hostile input: {str(tag)[:120]}"
    if secret:
        assert secret not in html, f"{where}: the secret key leaked"


def assert_no_formula_cells(body: str, where: str) -> list[list[str]]:
    """Every CSV cell is safe to open in a spreadsheet; return the rows."""
    rows = list(csv.reader(io.StringIO(body)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"{where}: formula cell {cell[:40]!r}"
    return rows


def query_names(html: str) -> set[str]:
    """Parameter names a page itself uses: GET form fields and link query strings."""
    soup = BeautifulSoup(html, "html.parser")
    names: set[str] = set()
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() == "get":
            names |= {str(el["name"]) for el in form.find_all(["input", "select", "textarea"])
                      if el.get("name")}
    for link in soup.find_all("a", href=True):
        names |= {k for k, _ in parse_qsl(urlsplit(str(link["href"])).query)}
    return names
