"""A resident's response: started, saved page by page, resumed, submitted once (R1-R3)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, insert, select, update

import surveys
from engage.extensions import db
from engage.models import FreeTextAnswer, Response
from engage.models._types import utcnow
from engage.services.collect import admission
from engage.services.collect.published_surveys import PublishedSurvey
from engage.services.platform.references import new_reference, with_new_references
from engage.services.platform.transactions import changed_rows, in_transaction
from surveys.errors import NotFound

RESUME_DAYS = 14


class ResponseGone(NotFound):
    """The response does not exist, has expired, or belongs to another survey."""


class NotComplete(ValueError):
    """Submit was asked for before every question on the path was answered."""

    def __init__(self, page_id: str | None) -> None:
        super().__init__(page_id)
        self.page_id = page_id


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def start_response(published: PublishedSurvey, language: str, channel: str = "online",
                   resume_days: int = RESUME_DAYS, invitation: str | None = None) -> int:
    """Create an empty in-progress response and return its id. Online, an invitation-only
    survey needs a live invitation link (`invitation`; admission.InvitationRequired)."""
    admission.admit(published, invitation, channel)

    def work() -> int:
        now = utcnow()
        response = Response(survey_id=published.survey_id,
                            survey_version_id=published.version_id, channel=channel,
                            language=language, answers={}, started_at=now, updated_at=now,
                            expires_at=_expiry(now, resume_days))
        db.session.add(response)
        db.session.flush()
        return int(response.id)

    return in_transaction(work)


@dataclass(frozen=True)
class ResponseState:
    """What the runner needs to know about a response on each page."""

    id: int
    status: str
    answers: dict[str, Any]
    draft: dict[str, Any] | None = None

    def draft_for(self, page_id: str) -> dict[str, Any] | None:
        """What was typed on this page and not saved as answers, if anything."""
        draft = self.draft
        if isinstance(draft, dict) and draft.get("page") == page_id \
                and isinstance(draft.get("form"), dict):
            return draft
        return None


@cache
def _load_statement() -> Select[Any]:
    table = Response.__table__
    return select(table.c.survey_id, table.c.status, table.c.answers, table.c.draft,
                  table.c.expires_at, table.c.channel).where(table.c.id == bindparam("id"))


def load_response(response_id: int | None, published: PublishedSurvey,
                  invitation: str | None = None) -> ResponseState:
    """The response, if it belongs to this survey and is still live (one light query); for an
    invitation-only survey, only with a live invitation link (admission.InvitationRequired).

    Every page of a survey starts with this read, so it is one prepared statement on a pooled
    connection of its own, outside the ORM session (which the page then never opens).
    """
    if response_id is None:
        raise ResponseGone("no response")
    with db.engine.connect() as conn:
        row = conn.execute(_load_statement(), {"id": response_id}).first()
    if row is None or row.survey_id != published.survey_id:
        raise ResponseGone("no such response")
    if row.status == "in_progress" and row.expires_at and row.expires_at < utcnow():
        raise ResponseGone("expired")
    admission.admit(published, invitation, row.channel)
    return ResponseState(id=response_id, status=row.status, answers=dict(row.answers or {}),
                         draft=row.draft if isinstance(row.draft, dict) else None)


@cache
def _save_statements() -> tuple[Select[Any], Any]:
    table = Response.__table__
    read = select(table.c.status, table.c.answers, table.c.draft).where(
        table.c.id == bindparam("rid")).with_for_update()
    write = update(table).where(table.c.id == bindparam("rid"),
                                table.c.status == "in_progress").values(
        {name: bindparam(f"new_{name}", type_=table.c[name].type)
         for name in ("answers", "draft", "current_page", "language", "updated_at",
                      "expires_at")})
    return read, write


def save_page(response_id: int, page_id: str, answers: Mapping[str, Any], language: str,
              resume_days: int = RESUME_DAYS) -> None:
    """Merge one page's validated answers into the response in its own short transaction.

    The page's draft is done with; a draft of another page is kept, but its errors are no
    longer shown (the resident moved on: they see them again only if they send it again).
    The statements are built once (building them cost more than running them on SQLite).
    """
    read, write = _save_statements()

    def work() -> None:
        row = db.session.execute(read, {"rid": response_id}).first()
        if row is None or row.status != "in_progress":
            raise ResponseGone("not in progress")
        merged = dict(row.answers or {})
        merged.update(answers)
        draft = row.draft if isinstance(row.draft, dict) else None
        if draft is not None:
            draft = None if draft.get("page") == page_id else {**draft, "checked": False}
        now = utcnow()
        db.session.execute(write, {"rid": response_id, "new_answers": merged,
                                   "new_draft": draft,
                                   "new_current_page": page_id, "new_language": language,
                                   "new_updated_at": now,
                                   "new_expires_at": _expiry(now, resume_days)})

    in_transaction(work)


def draft_form(form: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The question fields of a page's form data, as typed (the form's other fields dropped)."""
    return {name: [str(v) for v in values] for name, values in form.items()
            if name.startswith("q-")}


def save_draft(response_id: int, page_id: str, form: Mapping[str, list[str]],
               checked: bool) -> None:
    """Keep what was typed on a page without saving it as answers (errors, language switch).

    `checked`: the resident asked for the page to be checked (Continue), so its error messages
    are shown with it. One draft per response: a newer one replaces it. The form is at most the
    request body cap (MAX_CONTENT_LENGTH), and it lives in the database, not the cookie.
    """
    draft = {"page": page_id, "form": draft_form(form), "checked": checked}

    def work() -> None:
        now = utcnow()
        changed = changed_rows(update(Response).where(
            Response.id == response_id, Response.status == "in_progress",
        ).values(draft=draft, updated_at=now, expires_at=_expiry(now, RESUME_DAYS)))
        if not changed:
            raise ResponseGone("not in progress")

    in_transaction(work)


def issue_resume_token(response_id: int) -> str:
    """A new resume token (192 bits) for the response; any earlier one stops working."""
    token = secrets.token_urlsafe(24)

    def work() -> None:
        db.session.execute(update(Response).where(
            Response.id == response_id, Response.status == "in_progress",
        ).values(resume_token_hash=_hash(token)))

    in_transaction(work)
    return token


def email_resume_link(to: str, link: str, survey_title: str, days: int) -> bool:
    """Send the resume link by email (SMTP, or the log-only backend); the address is not kept."""
    from engage.mail import send_mail

    body = (f"You saved your answers to {survey_title}.\n\n"
            f"To carry on, open this link within {days} days of your last save:\n{link}\n\n"
            "Anyone with the link can see your answers, so do not share it.\n")
    return send_mail(to, "Your saved survey answers", body)


def resume(token: str, published: PublishedSurvey,
           invitation: str | None = None, sealed: str = "") -> ResponseState:
    """The in-progress response a resume token belongs to (invitation: as load_response; a
    browser without one may bring the invitation the link was issued with, sealed for this
    response: admission.seal)."""
    if not token or len(token) > 64:
        raise ResponseGone("bad token")
    found = db.session.scalar(select(Response.id).where(
        Response.resume_token_hash == _hash(token)))
    if not invitation and sealed and found is not None:
        invitation = admission.unseal(sealed, found)
    state = load_response(found, published, invitation)
    if state.status != "in_progress":
        raise ResponseGone("not resumable")
    return state


def submit(response_id: int, published: PublishedSurvey,
           also: Callable[[str], None] | None = None, invitation: str | None = None) -> str:
    """Submit once: prune off-path answers, store free text, give a reference. Idempotent.

    `also(reference)` runs in the same transaction (staff channels audit the submit with it).
    Online, an invitation-only survey uses up the `invitation` link in the same transaction
    (admission.InvitationRequired when it is not live): one response per invitation.
    """
    definition = published.definition
    table = Response.__table__

    def work() -> str:
        row = db.session.execute(
            select(table.c.survey_id, table.c.survey_version_id, table.c.status,
                   table.c.reference, table.c.answers, table.c.language, table.c.channel)
            .where(table.c.id == response_id).with_for_update()
        ).first()
        if row is None or row.survey_id != published.survey_id:
            raise ResponseGone("no such response")
        if row.status == "submitted":
            return str(row.reference)
        limited = admission.limited(published, row.channel)
        if limited:
            admission.admit(published, invitation, row.channel)
        final = surveys.prune(definition, row.answers or {})
        if not surveys.is_complete(definition, final):
            raise NotComplete(surveys.first_unanswered_page(definition, final))
        now = utcnow()
        reference = new_reference()
        changed = changed_rows(
            update(table)
            .where(table.c.id == response_id, table.c.status == "in_progress")
            .values(status="submitted", reference=reference, submitted_at=now,
                    answers=final, draft=None, resume_token_hash=None,
                    expires_at=None, updated_at=now))
        if changed == 0:  # another request submitted it first
            again = db.session.execute(select(table.c.reference).where(
                table.c.id == response_id)).scalar()
            if not again:  # and then removed (the purge): as if it had never been
                raise ResponseGone("no such response")
            return str(again)
        if limited:
            admission.use_up(published, invitation)  # rolls the submit back if used
        texts = [{"response_id": response_id, "survey_id": row.survey_id,
                  "survey_version_id": row.survey_version_id, "question_id": question_id,
                  "text": text, "language": row.language, "channel": row.channel,
                  "submitted_at": now}
                 for question_id, text in surveys.free_text_answers(definition, final)]
        if texts:
            db.session.execute(insert(FreeTextAnswer.__table__), texts)
        if also is not None:
            also(reference)
        return reference

    # A clash is a reference collision (1 in 10^12) or a racing submit: the next try returns
    # the reference the other request stored.
    return with_new_references(lambda: in_transaction(work))


def purge_expired(now: datetime | None = None) -> int:
    """Delete partial responses whose resume period has ended; return how many."""
    now = now or utcnow()

    def work() -> int:
        return changed_rows(delete(Response).where(
            Response.status == "in_progress", Response.expires_at < now))

    return in_transaction(work)
