"""Contact lists for survey invitations (issue 19): upload, single-use links, responded and
opted-out flags, erasure and retention.

- **Upload** is all or nothing: a CSV with a header row naming ``email`` and/or ``mobile``
  (``name``, ``ward`` and ``language`` optional: ``en`` or ``bn``, English when empty);
  every row is checked and every problem is reported by row
  (codes; the messages are in ``engage.forms.messages.CONTACT_PROBLEMS``); nothing is saved
  while any row is wrong. One audit row names the survey and the count, never an address.
- **Links**: each message carries a new random token; only its SHA-256 is kept
  (``contact_links``). Any link of a contact works until the contact has responded or opted
  out; responding uses it up (a guarded UPDATE sets the flag once).
- **Anonymity**: the contact records only *that* its person responded (a flag, no time), and
  a response never records a contact: for an anonymous survey nothing joins them.
- **Personal data**: the contacts page is an audited read; erasure by address removes a person
  from a survey's list (one audit row); ``purge_expired_contacts`` deletes a survey's list once
  its latest version's retention period has passed since the list was uploaded, or
  CONTACT_RETENTION_DAYS after the survey closed, whichever comes first.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from engage.extensions import db
from engage.models import ContactLink, Survey, SurveyContact, SurveyVersion, User
from engage.models._types import utcnow
from engage.models.contacts import CONTACT_LANGUAGES
from engage.services.platform import audit, keyset, paging
from engage.services.platform.accounts import normalise_email, token_hash
from engage.services.platform.transactions import changed_rows, in_transaction
from surveys import default_wards, localise
from surveys.errors import DomainError
from surveys.validation.personal import is_email

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_REPORTED = 50  # problems listed on the page; the rest are counted
NAME_LENGTH = 200
PAGE_SIZE = 50
COLUMNS = ("email", "mobile", "name", "ward", "language")
# What a language cell may say: a code, or the language's name in English or in itself.
LANGUAGE_NAMES = {"en": "en", "english": "en", "bn": "bn", "bengali": "bn", "bangla": "bn",
                  "বাংলা": "bn"}
_MOBILE = re.compile(r"^(?:\+44|0044|44|0)(7\d{9})$")


@dataclass(frozen=True)
class Problem:
    """One problem with an uploaded file: the row (1 is the header row; 0 the whole file)
    and a code."""

    row: int
    code: str


class UploadRefused(Exception):
    """Nothing was saved: every problem found, by row, and how many in all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class BadLink(DomainError):
    """An invitation link that does not work: ``unknown``, ``used`` or ``opted_out``."""


@dataclass
class NewContact:
    """One checked row, ready to save."""

    email: str = ""
    mobile: str = ""
    name: str = ""
    ward: str = ""
    language: str = "en"


def normalise_mobile(text: str) -> str | None:
    """A UK mobile number as +447…, or None if the text is not one."""
    compact = re.sub(r"[\s()\-.]", "", text or "")
    found = _MOBILE.match(compact)
    return "+44" + found.group(1) if found else None


def _ward_ids() -> dict[str, str]:
    """Ward id or English name (lower case) → ward id."""
    found: dict[str, str] = {}
    for ward in default_wards():
        found[ward.id.lower()] = ward.id
        found[localise(ward.text, "en", "en").strip().lower()] = ward.id
    return found


def _read(data: bytes) -> list[list[str]] | Problem:
    if not data.strip():
        return Problem(0, "empty")
    if len(data) > MAX_BYTES:
        return Problem(0, "too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(0, "encoding")
    if "\x00" in text:
        return Problem(0, "encoding")
    try:
        return [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    except csv.Error:
        return Problem(0, "not_csv")


def _check_row(number: int, cells: dict[str, str], wards: dict[str, str],
               seen: set[str], problems: list[Problem]) -> NewContact | None:
    email = normalise_email(cells.get("email", ""))
    mobile_text = cells.get("mobile", "").strip()
    name = cells.get("name", "").strip()
    ward_text = cells.get("ward", "").strip()
    language = LANGUAGE_NAMES.get(cells.get("language", "").strip().lower() or "en", "")
    before = len(problems)
    if not email and not mobile_text:
        problems.append(Problem(number, "no_address"))
    if email and not is_email(email):
        problems.append(Problem(number, "email"))
    mobile = normalise_mobile(mobile_text) if mobile_text else ""
    if mobile is None:
        problems.append(Problem(number, "mobile"))
    if len(name) > NAME_LENGTH:
        problems.append(Problem(number, "name_long"))
    ward = wards.get(ward_text.lower(), "") if ward_text else ""
    if ward_text and not ward:
        problems.append(Problem(number, "ward"))
    if language not in CONTACT_LANGUAGES:
        problems.append(Problem(number, "language"))
    for key in (f"e:{email}" if email else "", f"m:{mobile}" if mobile else ""):
        if key and key in seen:
            problems.append(Problem(number, "duplicate"))
            break
    if len(problems) > before:
        return None
    seen.update(k for k in (f"e:{email}" if email else "", f"m:{mobile}" if mobile else "") if k)
    return NewContact(email=email, mobile=mobile or "", name=name, ward=ward,
                      language=language)


def check_file(survey_id: int, data: bytes) -> list[NewContact]:
    """Every row of an uploaded contact list checked; UploadRefused with every problem."""
    rows = _read(data)
    if isinstance(rows, Problem):
        raise UploadRefused([rows])
    if not rows:
        raise UploadRefused([Problem(0, "empty")])
    header = [h.strip().lower() for h in rows[0]]
    if "email" not in header and "mobile" not in header:
        raise UploadRefused([Problem(1, "no_columns")])
    if len(rows) - 1 > MAX_ROWS:
        raise UploadRefused([Problem(0, "too_many")])
    if len(rows) == 1:
        raise UploadRefused([Problem(0, "no_rows")])
    index = {name: header.index(name) for name in COLUMNS if name in header}
    seen: set[str] = set()
    for email, mobile in db.session.execute(select(SurveyContact.email, SurveyContact.mobile)
                                            .where(SurveyContact.survey_id == survey_id)):
        seen.update(k for k in (f"e:{email}" if email else "", f"m:{mobile}" if mobile else "")
                    if k)
    wards = _ward_ids()
    problems: list[Problem] = []
    found: list[NewContact] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[i] if i < len(row) else "" for name, i in index.items()}
        contact = _check_row(number, cells, wards, seen, problems)
        if contact is not None:
            found.append(contact)
    if problems:
        raise UploadRefused(problems)
    return found


def upload(survey_id: int, data: bytes, actor: User, ip_address: str = "") -> int:
    """Add a checked contact list to a survey, all or nothing; how many were added."""
    contacts = check_file(survey_id, data)

    def work() -> int:
        now = utcnow()
        db.session.execute(SurveyContact.__table__.insert(), [
            {"survey_id": survey_id, "email": c.email, "mobile": c.mobile, "name": c.name,
             "ward": c.ward, "language": c.language, "created_at": now, "delivery": "pending",
             "delivery_detail": "",
             "notify_id": "", "reminders": 0, "responded": False, "opted_out": False}
            for c in contacts])
        audit.record("contacts.upload", actor=actor, object_type="survey", object_id=survey_id,
                     ip_address=ip_address, detail={"contacts": len(contacts)})
        return len(contacts)

    return in_transaction(work)


@dataclass
class Counts:
    """A survey's contact list in numbers."""

    total: int = 0
    invited: int = 0
    responded: int = 0
    opted_out: int = 0
    unreachable: int = 0  # invited, bounced, neither responded nor opted out
    by_delivery: dict[str, int] = field(default_factory=dict)

    @property
    def waiting(self) -> int:
        """Invited, not responded, not opted out, not bounced: who a reminder goes to."""
        return max(0, self.invited - self.responded - self.opted_out - self.unreachable)


def counts(survey_id: int) -> Counts:
    """How many contacts a survey has, invited, responded, opted out, and by delivery state."""
    c = SurveyContact
    found = Counts()
    for delivery, invited, responded, opted_out, number in db.session.execute(
            select(c.delivery, c.invited_at.is_not(None), c.responded, c.opted_out, func.count())
            .where(c.survey_id == survey_id)
            .group_by(c.delivery, c.invited_at.is_not(None), c.responded, c.opted_out)):
        found.total += number
        found.invited += number if invited else 0
        found.responded += number if responded else 0
        found.opted_out += number if opted_out and not responded else 0
        found.unreachable += number if (invited and delivery == "bounced" and not responded
                                        and not opted_out) else 0
        found.by_delivery[delivery] = found.by_delivery.get(delivery, 0) + number
    return found


def page_of_contacts(survey_id: int, page: int, actor: User, ip_address: str = "",
                     after: int | None = None,
                     before: int | None = None) -> tuple[list[SurveyContact], paging.Window]:
    """One page of a survey's contacts (`page` moved into range) and which page it is; the
    read is audited (the list is personal data), in its own transaction.

    `after` / `before`: the id of the last / first contact of the page next to this one (the
    next and previous links give them): the page is found from there by key, not counted to
    (a contact erased meanwhile, or of another survey: counted to)."""
    total = db.session.scalar(select(func.count()).select_from(SurveyContact).where(
        SurveyContact.survey_id == survey_id)) or 0
    shown = paging.window(total, page, PAGE_SIZE)
    if shown.shown:
        def log() -> None:
            audit.record("contacts.view", actor=actor, object_type="survey",
                         object_id=survey_id, ip_address=ip_address,
                         detail={"page": shown.page, "rows": shown.shown})

        in_transaction(log)
    mark = after if after is not None else before
    if mark is not None:  # a contact of this survey still there, else the page is counted to
        mark = db.session.scalar(select(SurveyContact.id).where(
            SurveyContact.id == mark, SurveyContact.survey_id == survey_id))
    rows = keyset.page(select(SurveyContact).where(SurveyContact.survey_id == survey_id),
                       (SurveyContact.id,), shown, (mark,) if mark is not None else None,
                       before=after is None)
    return rows, shown


def new_link(contact_id: int) -> str:
    """A new random token for a contact (its hash added to the current transaction)."""
    raw = secrets.token_urlsafe(32)
    db.session.add(ContactLink(contact_id=contact_id, token_hash=token_hash(raw)))
    return raw


@dataclass(frozen=True)
class LinkTarget:
    """Where a working invitation link leads."""

    contact_id: int
    survey_id: int
    slug: str


def follow(raw: str) -> LinkTarget:
    """The contact and survey a link belongs to, or BadLink (nothing is changed)."""
    if not raw or len(raw) > 100:
        raise BadLink("unknown")
    row = db.session.execute(
        select(SurveyContact.id, SurveyContact.survey_id, SurveyContact.responded,
               SurveyContact.opted_out, Survey.slug)
        .join(ContactLink, ContactLink.contact_id == SurveyContact.id)
        .join(Survey, Survey.id == SurveyContact.survey_id)
        .where(ContactLink.token_hash == token_hash(raw))).first()
    if row is None:
        raise BadLink("unknown")
    contact_id, survey_id, responded, opted_out, slug = row
    if responded:
        raise BadLink("used")
    if opted_out:
        raise BadLink("opted_out")
    return LinkTarget(contact_id, survey_id, slug)


def mark_responded(raw: str, slug: str) -> bool:
    """Use up a link after its survey was submitted: set the contact's flag once (no time, no
    response); False if the link is unknown, for another survey, or already used."""
    def work() -> bool:
        contact_id = db.session.scalar(
            select(ContactLink.contact_id).join(SurveyContact).join(Survey)
            .where(ContactLink.token_hash == token_hash(raw), Survey.slug == slug))
        if contact_id is None:
            return False
        done = changed_rows(update(SurveyContact).where(
            SurveyContact.id == contact_id, SurveyContact.responded.is_(False))
            .values(responded=True))
        return bool(done)

    return in_transaction(work)


def opt_out(raw: str) -> bool:
    """Stop all further messages to the contact this link was sent to (no sign-in)."""
    def work() -> bool:
        contact_id = db.session.scalar(select(ContactLink.contact_id).where(
            ContactLink.token_hash == token_hash(raw)))
        if contact_id is None:
            raise BadLink("unknown")
        db.session.execute(update(SurveyContact).where(SurveyContact.id == contact_id)
                           .values(opted_out=True))
        return True

    return in_transaction(work)


def address_key(text: str) -> tuple[str, str] | None:
    """An email address or UK mobile number as (email, mobile) for lookup, or None."""
    text = text.strip()
    if "@" in text:
        email = normalise_email(text)
        return (email, "") if is_email(email) else None
    mobile = normalise_mobile(text)
    return ("", mobile) if mobile else None


def erase(survey_id: int, text: str, actor: User, ip_address: str = "") -> int:
    """Remove a person (by email address or mobile number) from a survey's list, with their
    links; one audit row (without the address). ValueError if the text is neither."""
    key = address_key(text)
    if key is None:
        raise ValueError("address")
    email, mobile = key

    def work() -> int:
        match = SurveyContact.email == email if email else SurveyContact.mobile == mobile
        ids = list(db.session.scalars(select(SurveyContact.id).where(
            SurveyContact.survey_id == survey_id, match)))
        if ids:
            db.session.execute(delete(ContactLink).where(ContactLink.contact_id.in_(ids)))
            db.session.execute(delete(SurveyContact).where(SurveyContact.id.in_(ids)))
        audit.record("contacts.erase", actor=actor, object_type="survey", object_id=survey_id,
                     ip_address=ip_address, detail={"contacts": len(ids)})
        return len(ids)

    return in_transaction(work)


def _expired_surveys(now: datetime) -> dict[int, datetime]:
    """Survey id → the upload time before which its contacts are past retention."""
    latest = select(SurveyVersion.survey_id, func.max(SurveyVersion.number).label("n")) \
        .group_by(SurveyVersion.survey_id).subquery()
    rows = db.session.execute(
        select(SurveyVersion.survey_id, SurveyVersion.retention_days, SurveyVersion.closes_at)
        .join(latest, (latest.c.survey_id == SurveyVersion.survey_id)
              & (latest.c.n == SurveyVersion.number)))
    after_close = timedelta(days=int(current_app.config.get("CONTACT_RETENTION_DAYS", 90)))
    cutoffs: dict[int, datetime] = {}
    for survey_id, days, closes_at in rows:
        if closes_at is not None and closes_at + after_close <= now:
            cutoffs[survey_id] = now + timedelta(days=1)  # every contact of the survey
        else:
            cutoffs[survey_id] = now - timedelta(days=int(days))
    return cutoffs


def purge_expired_contacts(now: datetime | None = None, batch: int = 1000) -> int:
    """Delete contacts past retention in short batches; one audit row if any went."""
    now = now or utcnow()
    removed = 0
    for survey_id, cutoff in _expired_surveys(now).items():
        while True:
            def work(survey_id: int = survey_id, cutoff: datetime = cutoff) -> int:
                ids = list(db.session.scalars(select(SurveyContact.id).where(
                    SurveyContact.survey_id == survey_id, SurveyContact.created_at < cutoff)
                    .limit(batch)))
                if ids:
                    db.session.execute(delete(ContactLink).where(
                        ContactLink.contact_id.in_(ids)))
                    db.session.execute(delete(SurveyContact).where(
                        SurveyContact.id.in_(ids)))
                return len(ids)

            done = in_transaction(work)
            removed += done
            if done < batch:
                break
    if removed:
        in_transaction(lambda: audit.record(
            "contacts.retention_purge", actor_label="system:retention",
            object_type="survey_contacts", object_id=removed,
            detail={"contacts": removed, "now": now.isoformat()}))
    return removed


def survey_by_slug(slug: str) -> Survey | None:
    """The survey with this slug (published or not)."""
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def latest_version(survey_id: int) -> SurveyVersion | None:
    """The survey's newest published version (its title, anonymity and dates)."""
    return db.session.scalar(select(SurveyVersion).where(SurveyVersion.survey_id == survey_id)
                             .order_by(SurveyVersion.number.desc()).limit(1))


def unanswered(survey_id: int, kind: str) -> list[int]:
    """Ids of the contacts an invitation (not yet invited) or a reminder (invited, not
    responded, and their address did not bounce) would go to now; never those who opted out."""
    c = SurveyContact
    sent = c.invited_at.is_(None) if kind == "invite" else c.invited_at.is_not(None)
    reachable = c.delivery != "bounced" if kind == "reminder" else c.id.is_not(None)
    return list(db.session.scalars(select(c.id).where(
        c.survey_id == survey_id, sent, reachable, c.responded.is_(False),
        c.opted_out.is_(False), or_(c.email != "", c.mobile != "")).order_by(c.id)))
