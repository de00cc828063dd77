"""A codeframe's codes: add, edit, retire and restore (each a new version, audited), list them
as a two-level tree, and import codes from a CSV file (all or nothing)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import Code, Codeframe, CodeVersion, User
from engage.models._types import utcnow
from engage.services.code.coding import CodingError, check_open
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

MAX_NAME = 120
MAX_DEFINITION = 2000
MAX_IMPORT_BYTES = 200_000
MAX_IMPORT_ROWS = 500


@dataclass(frozen=True)
class CodeRow:
    """A code as listed: its number (what the key to press is), depth and the code."""

    number: int
    depth: int
    code: Code


def active_codes(frame: Codeframe) -> list[Code]:
    """The codeframe's codes in use, parents first then their children, by position."""
    return [row.code for row in tree(frame)]


def tree(frame: Codeframe, include_retired: bool = False) -> list[CodeRow]:
    """The codes as a two-level list: each top-level code followed by its children, numbered."""
    query = select(Code).where(Code.codeframe_id == frame.id)
    if not include_retired:
        query = query.where(Code.active.is_(True))
    codes = list(db.session.scalars(query.order_by(Code.position, Code.id)))
    ids = {c.id for c in codes}
    children: dict[int, list[Code]] = {}
    for c in codes:
        if c.parent_id is not None and c.parent_id in ids:
            children.setdefault(c.parent_id, []).append(c)
    rows: list[CodeRow] = []
    for c in codes:
        if c.parent_id is None or c.parent_id not in ids:
            rows.append(CodeRow(len(rows) + 1, 0, c))
            rows += [CodeRow(len(rows) + 1 + i, 1, k) for i, k in enumerate(children.get(c.id, []))]
    return rows


def _clean(name: str, definition: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise CodingError("name_missing")
    if len(name) > MAX_NAME:
        raise CodingError("name_long")
    definition = (definition or "").strip()
    if len(definition) > MAX_DEFINITION:
        raise CodingError("definition_long")
    return name, definition


def _check_name(frame: Codeframe, name: str, exclude: int | None = None) -> None:
    query = select(Code.id).where(Code.codeframe_id == frame.id, Code.active.is_(True),
                                  func.lower(Code.name) == name.lower())
    if exclude is not None:
        query = query.where(Code.id != exclude)
    if db.session.scalar(query) is not None:
        raise CodingError("name_taken")


def _check_parent(frame: Codeframe, parent_id: int | None, code: Code | None = None) -> None:
    if parent_id is None:
        return
    parent = db.session.get(Code, parent_id)
    if parent is None or parent.codeframe_id != frame.id or not parent.active:
        raise CodingError("parent_unknown")
    if parent.parent_id is not None:
        raise CodingError("parent_nested")  # two levels only
    if code is not None:
        if parent.id == code.id:
            raise CodingError("parent_self")
        has_children = db.session.scalar(select(Code.id).where(
            Code.parent_id == code.id, Code.active.is_(True)).limit(1))
        if has_children is not None:
            raise CodingError("parent_nested")


def _version(code: Code, change: str, user: User) -> None:
    db.session.add(CodeVersion(code_id=code.id, version=code.version, change=change,
                               name=code.name, definition=code.definition,
                               parent_id=code.parent_id, active=code.active,
                               changed_by_id=user.id))
    audit.record(f"coding.code_{change}", actor=user, object_type="code", object_id=code.id,
                 detail={"codeframe_id": code.codeframe_id, "version": code.version,
                         "name": code.name})


def _new_code(frame: Codeframe, user: User, name: str, definition: str,
              parent_id: int | None) -> Code:
    position = db.session.scalar(select(func.coalesce(func.max(Code.position), -1) + 1)
                                 .where(Code.codeframe_id == frame.id))
    code = Code(codeframe_id=frame.id, name=name, definition=definition, parent_id=parent_id,
                position=int(position or 0))
    db.session.add(code)
    db.session.flush()
    _version(code, "created", user)
    return code


def add_code(frame: Codeframe, user: User, name: str, definition: str = "",
             parent_id: int | None = None) -> Code:
    """Add a code (a sub-code when it has a parent)."""
    check_open(frame)
    name, definition = _clean(name, definition)

    def work() -> Code:
        _check_name(frame, name)
        _check_parent(frame, parent_id)
        return _new_code(frame, user, name, definition, parent_id)

    return in_transaction(work)


def edit_code(code: Code, user: User, name: str, definition: str,
              parent_id: int | None) -> Code:
    """Change a code's name, definition or parent: a new version, the old one kept."""
    check_open(db.session.get(Codeframe, code.codeframe_id))
    name, definition = _clean(name, definition)
    frame = db.session.get(Codeframe, code.codeframe_id)
    assert frame is not None
    if not code.active:
        raise CodingError("retired")

    def work() -> Code:
        _check_name(frame, name, exclude=code.id)
        _check_parent(frame, parent_id, code)
        if (name, definition, parent_id) == (code.name, code.definition, code.parent_id):
            return code
        code.name, code.definition, code.parent_id = name, definition, parent_id
        code.version += 1
        code.updated_at = utcnow()
        _version(code, "edited", user)
        return code

    return in_transaction(work)


def set_retired(code: Code, user: User, retired: bool) -> Code:
    """Retire a code (no longer offered; its codings stay) or bring it back."""
    check_open(db.session.get(Codeframe, code.codeframe_id))
    frame = db.session.get(Codeframe, code.codeframe_id)
    assert frame is not None

    def work() -> Code:
        if retired == (not code.active):
            return code
        if retired:
            if db.session.scalar(select(Code.id).where(
                    Code.parent_id == code.id, Code.active.is_(True)).limit(1)) is not None:
                raise CodingError("has_children")
        else:
            _check_name(frame, code.name, exclude=code.id)
        code.active = not retired
        code.version += 1
        code.updated_at = utcnow()
        _version(code, "retired" if retired else "restored", user)
        return code

    return in_transaction(work)


def history(code: Code) -> list[CodeVersion]:
    """Every version of a code, newest first."""
    return list(db.session.scalars(select(CodeVersion).where(CodeVersion.code_id == code.id)
                                   .order_by(CodeVersion.version.desc())))


# ---------------------------------------------------------------- CSV import


@dataclass(frozen=True)
class ImportProblem:
    """A row of the file (1 is the header) and what is wrong with it."""

    row: int
    code: str


def _read_csv(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_IMPORT_BYTES:
        raise CodingError("csv_too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodingError("csv_encoding") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if "name" not in headers:
        raise CodingError("csv_no_name_column")
    rows = []
    for raw in reader:
        rows.append({(k or "").strip().lower(): (v or "") if isinstance(v, str) else ""
                     for k, v in raw.items()})
        if len(rows) > MAX_IMPORT_ROWS:
            raise CodingError("csv_too_many_rows")
    if not rows:
        raise CodingError("csv_empty")
    return rows


def check_import(frame: Codeframe, data: bytes) -> tuple[list[tuple[str, str, str]],
                                                          list[ImportProblem]]:
    """The codes a CSV file would add as (name, definition, parent name), and its problems."""
    rows = _read_csv(data)
    existing = {c.name.lower(): c for c in active_codes(frame)}
    problems: list[ImportProblem] = []
    parsed: list[tuple[int, str, str, str]] = []
    names: set[str] = set()
    for number, row in enumerate(rows, start=2):
        try:
            name, definition = _clean(row.get("name", ""), row.get("definition", ""))
        except CodingError as exc:
            problems.append(ImportProblem(number, exc.code))
            continue
        parent = " ".join(row.get("parent", "").split())
        if name.lower() in existing or name.lower() in names:
            problems.append(ImportProblem(number, "name_taken"))
        names.add(name.lower())
        parsed.append((number, name, definition, parent))
    top_level = {n.lower() for _r, n, _d, p in parsed if not p}
    for number, name, _d, parent in parsed:
        if not parent:
            continue
        known = existing.get(parent.lower())
        if parent.lower() == name.lower():
            problems.append(ImportProblem(number, "parent_self"))
        elif known is None and parent.lower() not in names:
            problems.append(ImportProblem(number, "parent_unknown"))
        elif (known is not None and known.parent_id is not None) or (
                known is None and parent.lower() not in top_level):
            problems.append(ImportProblem(number, "parent_nested"))
    return [(n, d, p) for _r, n, d, p in parsed], sorted(problems, key=lambda p: p.row)


def import_codes(frame: Codeframe, user: User, data: bytes) -> list[Code]:
    """Add every code of a CSV file (columns name, definition, parent), or none if any is wrong.

    Raises CodingError("csv_rows") with the problems in ``problems`` when rows are wrong.
    """
    check_open(frame)
    parsed, problems = check_import(frame, data)
    if problems:
        raise ImportRejected(problems)

    def work() -> list[Code]:
        made: dict[str, Code] = {c.name.lower(): c for c in active_codes(frame)}
        added: list[Code] = []
        for name, definition, parent in sorted(parsed, key=lambda r: bool(r[2])):
            parent_id = made[parent.lower()].id if parent else None
            code = _new_code(frame, user, name, definition, parent_id)
            made[name.lower()] = code
            added.append(code)
        audit.record("coding.codes_imported", actor=user, object_type="codeframe",
                     object_id=frame.id, detail={"codes": len(added)})
        return added

    return in_transaction(work)


class ImportRejected(CodingError):
    """A CSV file with wrong rows: nothing was saved."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("csv_rows")
        self.problems = problems
