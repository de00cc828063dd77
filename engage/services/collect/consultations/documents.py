"""Background documents: the type of an uploaded file is read from its content (never from the
name or the browser's word), and only PDF and office files are taken."""

from __future__ import annotations

import io
import zipfile

from surveys.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
"""The largest document staff may upload (10 MB)."""

PDF = "application/pdf"
OLE = "application/x-ole-storage"
TYPES: dict[str, str] = {
    "pdf": PDF,
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
_OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


class DocumentRefused(DomainError):
    """Not a document we take; ``code`` says why (too_big, empty, wrong_type)."""


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                for ext in ("odt", "ods", "odp"):
                    if declared == TYPES[ext]:
                        return ext
                return None
            if "[Content_Types].xml" not in names:
                return None
            for ext, folder in _OOXML_PARTS.items():
                if any(n.startswith(folder) for n in names):
                    return ext
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def detect(data: bytes, filename: str) -> tuple[str, str]:
    """(extension, content type) of a document from its bytes; DocumentRefused otherwise.

    Old binary office files (.doc, .xls, .ppt) share one container, so their kind is taken from
    the name's extension once the content is known to be that container."""
    if not data:
        raise DocumentRefused("empty")
    if len(data) > MAX_BYTES:
        raise DocumentRefused("too_big")
    if data.startswith(b"%PDF-"):
        return "pdf", PDF
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind is not None:
            return kind, TYPES[kind]
        raise DocumentRefused("wrong_type")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext in ("doc", "xls", "ppt"):
            return ext, TYPES[ext]
    raise DocumentRefused("wrong_type")


def safe_filename(title: str, ext: str) -> str:
    """A download name from the document's title: letters, digits and dashes only."""
    stem = "".join(c if c.isascii() and c.isalnum() else "-" for c in title.lower())
    stem = "-".join(part for part in stem.split("-") if part)[:80] or "document"
    return f"{stem}.{ext}"
