"""Every user-facing string is in the catalogues, translated into Bengali, and compiled."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "engage" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "N_": None, "pgettext": ((1, "c"), 2)}


def _source_msgids() -> set[str]:
    ids: set[str] = set()
    method_map = [("engage/**.py", "python"), ("surveys/**.py", "python"),
                  ("templates/**.html", "jinja2")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.do"}},
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return {i for i in ids if i}


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_every_string_has_a_bengali_translation() -> None:
    catalogue = _catalogue("bn")
    missing = []
    for msgid in sorted(_source_msgids()):
        message = catalogue.get(msgid)
        text = message.string if message is not None else ""
        if isinstance(text, tuple):
            text = text[0]
        if not text or (message is not None and message.fuzzy):
            missing.append(msgid)
    assert not missing, f"{len(missing)} lack Bengali (make translations): {missing[:10]}"


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\(\w+\)s")
    for message in _catalogue("bn"):
        if message.id and message.string:
            source = message.id if isinstance(message.id, str) else message.id[0]
            target = message.string if isinstance(message.string, str) else message.string[0]
            assert sorted(pattern.findall(source)) == sorted(pattern.findall(target)), source


def _key(text: object) -> object:
    # Plural messages (ngettext) are tuples in a .po catalogue and lists in a .mo one.
    return tuple(text) if isinstance(text, (list, tuple)) else text


def test_compiled_catalogues_are_up_to_date() -> None:
    for lang in ("en", "bn"):
        po = _catalogue(lang)
        with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
            mo = read_mo(f)
        # A plural message with no translation yet ("", "") is compiled as its English forms.
        untranslated = {_key(m.id) for m in po
                        if m.id and isinstance(m.string, tuple) and not any(m.string)}
        expected = {_key(m.id): _key(m.string) for m in po
                    if m.id and m.string and not m.fuzzy and _key(m.id) not in untranslated}
        compiled = {_key(m.id): _key(m.string) for m in mo
                    if m.id and _key(m.id) not in untranslated}
        assert compiled == expected, f"{lang}: run `make translations` to recompile"
