"""Fill empty Bengali entries in the catalogue from JSON files of {English msgid: Bengali}.

Usage: python scripts/translations_fill.py FILE.json [FILE.json ...]
Run `make translations` before (to add new msgids) and after (to compile). Entries that already
have a translation are left alone unless --overwrite is given. Prints the msgids still missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "engage/translations/bn/LC_MESSAGES/messages.po"


def main(argv: list[str]) -> int:
    overwrite = "--overwrite" in argv
    files = [a for a in argv if a != "--overwrite"]
    supplied: dict[str, str] = {}
    for name in files:
        supplied.update(json.loads(Path(name).read_text(encoding="utf-8")))
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="bn")
    filled = 0
    missing = []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        if message.string and not overwrite and not message.fuzzy:
            continue
        if message.id in supplied:
            message.string = supplied[message.id]
            message.flags.discard("fuzzy")
            filled += 1
        elif not message.string:
            missing.append(message.id)
    with PO.open("wb") as f:
        write_po(f, catalogue, width=100, sort_output=True, omit_header=False)
    print(f"filled {filled}; still missing {len(missing)}")
    for msgid in missing:
        print("  missing:", json.dumps(msgid, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
