"""A codeframe's codes per text as CSV: one row per text, a column per code (1 when the team's
coding gives it), and "no substantive answer". Formula-safe cells, audited with its row count."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from engage.extensions import db
from engage.models import AnalysisText, Codeframe, CodeframeText, User
from engage.services.code.coding.codes import tree
from engage.services.code.coding.texts import codings
from engage.services.code.themes.views import shown_text
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from engage.services.report.exports import BOM, safe_cell


def codes_csv(frame: Codeframe, user: User, ip_address: str = "") -> tuple[str, int, str]:
    """(file name, number of texts, CSV text); texts redacted unless the user may see them."""
    rows = tree(frame, include_retired=True)
    coded = codings(frame)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["text_id", "source", "source_id", "language", "text", "coded",
              "no_substantive_answer", *[r.code.name for r in rows]]
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for text in db.session.scalars(
            select(AnalysisText).join(CodeframeText, CodeframeText.text_id == AnalysisText.id)
            .where(CodeframeText.codeframe_id == frame.id).order_by(CodeframeText.position)):
        given = coded.get(text.id)
        cells: list[object] = [text.id, text.source, text.source_id, text.language,
                               shown_text(text, user), 1 if given is not None else 0,
                               1 if given and "none" in given else 0,
                               *[1 if given and r.code.id in given else 0 for r in rows]]
        writer.writerow([safe_cell(c) for c in cells])
        count += 1

    def work() -> None:
        audit.record("coding.codes_exported", actor=user, object_type="codeframe",
                      object_id=frame.id, ip_address=ip_address, detail={"rows": count})

    in_transaction(work)
    return f"codeframe-{frame.id}-codes.csv", count, BOM + buffer.getvalue()
