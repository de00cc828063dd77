"""Read CSV and XLSX files as untrusted input: limits, encodings, formulas never evaluated.

Both readers stream: `read_table` gives the header and an iterator of rows (lists of strings,
padded or cut to the header's width), so a file of any length is read in flat memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from surveys.imports import import_messages as m

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an untrusted file is read before it is refused."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_columns: int = 200
    max_cells: int = 5_000_000
    max_cell_chars: int = 20_000
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: int = 200


@dataclass(frozen=True)
class FileProblem(Exception):
    """Why a whole file cannot be read: an English template (gettext msgid) and its values."""

    message: str
    params: dict[str, str | int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message in English, filled in."""
        return self.message % self.params if self.params else self.message


@dataclass
class Table:
    """A file's column names and its rows (read lazily; iterate `rows` once).

    Each row comes with its number as a spreadsheet shows it (the header is row 1); blank rows
    are skipped but counted, and cells beyond the named columns are ignored.
    """

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    format: str


def clean_cell(value: str, limit: int) -> str:
    """A cell as inert text: control characters removed, line ends unified, trimmed."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()[:limit]


def neutralise(value: str) -> str:
    """Text that a spreadsheet would never run as a formula (a leading apostrophe if needed)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def detect_format(filename: str, head: bytes) -> str:
    """'csv' or 'xlsx' from the name and the first bytes; raise FileProblem otherwise."""
    name = filename.lower()
    if head.startswith(b"PK\x03\x04"):
        if name.endswith(".xlsx"):
            return "xlsx"
        raise FileProblem(m.FILE_TYPE)
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise FileProblem(m.FILE_TYPE)


def _encoding(stream: IO[bytes]) -> str:
    """'utf-8-sig' if the whole stream decodes as UTF-8 (with or without BOM), else 'cp1252'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        stream.seek(0)
    return "utf-8-sig"


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _check_size(stream: IO[bytes], limits: Limits) -> None:
    size = _size(stream)
    if size == 0:
        raise FileProblem(m.FILE_EMPTY)
    if size > limits.max_bytes:
        raise FileProblem(m.FILE_TOO_BIG, {"max": limits.max_bytes // (1024 * 1024)})


def _fit(row: list[str], width: int) -> list[str]:
    return (row + [""] * width)[:width] if len(row) != width else row


def _headers(raw: list[str], limits: Limits) -> list[str]:
    headers = [clean_cell(h, 200) for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileProblem(m.FILE_NO_HEADER)
    if len(headers) > limits.max_columns:
        raise FileProblem(m.FILE_TOO_MANY_COLUMNS, {"max": limits.max_columns})
    seen: set[str] = set()
    for i, name in enumerate(headers):
        if not name:
            headers[i] = name = f"Column {i + 1}"
        if name.casefold() in seen:
            raise FileProblem(m.FILE_DUPLICATE_HEADER, {"name": name})
        seen.add(name.casefold())
    return headers


def _delimiter(sample: str) -> str:
    """The separator the header line uses most (outside quotes): , ; tab or |."""
    line = re.sub(r'"[^"]*"', "", sample.split("\n", 1)[0])
    counts = {d: line.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(stream: IO[bytes], limits: Limits = Limits()) -> Table:
    """Read a CSV file (UTF-8 with or without BOM, else Windows-1252; , ; tab or | separated)."""
    _check_size(stream, limits)
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    sample = text.read(8192)
    text.seek(0)
    reader = csv.reader(text, delimiter=_delimiter(sample))
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise FileProblem(m.FILE_BAD_ROW, {"row": 1}) from exc
    if first is None:
        raise FileProblem(m.FILE_NO_HEADER)
    headers = _headers(first, limits)
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        count = 0
        number = 1
        while True:
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem(m.FILE_BAD_ROW, {"row": number + 1}) from exc
            number += 1
            if not any(cell.strip() for cell in raw):
                continue
            count += 1
            if count > limits.max_rows:
                raise FileProblem(m.FILE_TOO_MANY_ROWS, {"max": limits.max_rows})
            if any(len(c) > limits.max_cell_chars for c in raw):
                raise FileProblem(m.FILE_CELL_TOO_LONG,
                                  {"row": number, "max": limits.max_cell_chars})
            yield number, _fit([clean_cell(c, limits.max_cell_chars) for c in raw], width)

    return Table(headers, rows(), "csv")


def _check_zip(stream: IO[bytes], limits: Limits) -> None:
    """Refuse zip bombs before openpyxl unpacks anything."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(m.FILE_UNREADABLE) from exc
    finally:
        stream.seek(0)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > 1000 or total > limits.max_unzipped_bytes or (
            total > 10 * 1024 * 1024 and total / packed > limits.max_zip_ratio):
        raise FileProblem(m.FILE_TOO_MANY_CELLS, {"max": limits.max_cells})


def cell_text(value: object) -> str:
    """A spreadsheet cell's value as text; formulas arrive as their text and are never run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_xlsx(stream: IO[bytes], limits: Limits = Limits()) -> Table:
    """Read the first sheet of an .xlsx file in read-only mode, with cell and size limits."""
    _check_size(stream, limits)
    _check_zip(stream, limits)
    from openpyxl import load_workbook  # only imports need it

    try:
        book = load_workbook(stream, read_only=True, data_only=False, keep_links=False)
        sheet = book.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        first = next(cells, None)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise FileProblem(m.FILE_UNREADABLE) from exc
    if first is None:
        book.close()
        raise FileProblem(m.FILE_NO_HEADER)
    headers = _headers([cell_text(v) for v in first[: limits.max_columns + 50]], limits)
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        count = 0
        seen_cells = len(first)
        try:
            for number, raw in enumerate(cells, start=2):
                seen_cells += len(raw)
                if seen_cells > limits.max_cells:
                    raise FileProblem(m.FILE_TOO_MANY_CELLS, {"max": limits.max_cells})
                values = [cell_text(v) for v in raw[:width]]
                if not any(v.strip() for v in values):
                    continue
                count += 1
                if count > limits.max_rows:
                    raise FileProblem(m.FILE_TOO_MANY_ROWS, {"max": limits.max_rows})
                if any(len(v) > limits.max_cell_chars for v in values):
                    raise FileProblem(m.FILE_CELL_TOO_LONG,
                                      {"row": number, "max": limits.max_cell_chars})
                yield number, _fit([clean_cell(v, limits.max_cell_chars) for v in values], width)
        except FileProblem:
            raise
        except Exception as exc:
            raise FileProblem(m.FILE_UNREADABLE) from exc
        finally:
            book.close()

    return Table(headers, rows(), "xlsx")


def read_table(stream: IO[bytes], filename: str, limits: Limits = Limits()) -> Table:
    """Read a CSV or XLSX file (chosen by name and content); raise FileProblem if it cannot."""
    head = stream.read(8)
    stream.seek(0)
    if not head:
        raise FileProblem(m.FILE_EMPTY)
    kind = detect_format(filename, head)
    return read_xlsx(stream, limits) if kind == "xlsx" else read_csv(stream, limits)
