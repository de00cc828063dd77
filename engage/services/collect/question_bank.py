"""The question bank: save a question or a block (a section, or the demographics block) of a
draft under a name, list what is saved, add an entry to any draft (its ids made unique there),
delete an entry. Every change is one transaction with one audit row."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.extensions import db
from engage.models import BankEntry, SurveyDraft, User
from engage.models.bank import MAX_NAME
from engage.services.collect import drafts
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction
from surveys import blocks
from surveys.errors import DomainError


class BankError(DomainError):
    """A bank action that cannot be done; `code` says why ("name_taken", "not_found")."""


@dataclass(frozen=True)
class Saved:
    """A new entry, and whether conditions on questions outside it were left out."""

    entry: BankEntry
    dropped_conditions: bool


def entries() -> list[BankEntry]:
    """Every entry, by name."""
    return list(db.session.scalars(select(BankEntry).order_by(func.lower(BankEntry.name),
                                                              BankEntry.id)))


def get_entry(entry_id: int) -> BankEntry | None:
    """The entry with this id, or None."""
    return db.session.get(BankEntry, entry_id)


def name_taken(name: str) -> bool:
    """Whether an entry already has this name (ignoring case and spaces around it)."""
    return db.session.scalar(select(func.count(BankEntry.id)).where(
        func.lower(BankEntry.name) == name.strip().lower())) != 0


def save(actor: User | None, draft: SurveyDraft, kind: str, item_id: str, name: str) -> Saved:
    """Save a question or block of a draft to the bank (DefinitionEditError if it is not there)."""
    content, dropped = blocks.extract(draft.definition, kind, item_id)
    name = name.strip()[:MAX_NAME]
    if name_taken(name):
        raise BankError("name_taken")

    def work() -> BankEntry:
        entry = BankEntry(name=name, kind=kind, content=content,
                          languages=blocks.texts_languages(content),
                          source_slug=draft.survey.slug, created_by=actor)
        db.session.add(entry)
        db.session.flush()
        audit.record("bank.save", actor=actor, object_type="bank_entry", object_id=entry.id,
                     detail={"name": name, "kind": kind, "slug": draft.survey.slug,
                             "item": item_id})
        return entry

    try:
        return Saved(in_transaction(work), dropped)
    except IntegrityError as exc:  # the same name saved at the same moment
        raise BankError("name_taken") from exc


def add_to_draft(actor: User | None, draft: SurveyDraft, entry: BankEntry,
                 section_id: str | None = None) -> str:
    """Add an entry to a draft (a question on a new page at the end of `section_id`; a block
    at the end); returns the id it has there. Audited as the draft's change."""
    added: list[str] = []

    def edit(definition: dict[str, object]) -> dict[str, object]:
        changed, new_id = blocks.insert(definition, entry.kind, entry.content,
                                        section_id=section_id)
        added.append(new_id)
        return changed

    drafts.change_definition(actor, draft, edit, "bank-add", entry=entry.id, name=entry.name)
    return added[0]


def delete(actor: User | None, entry: BankEntry) -> None:
    """Remove an entry from the bank (surveys it was added to keep their copy)."""

    def work() -> None:
        audit.record("bank.delete", actor=actor, object_type="bank_entry", object_id=entry.id,
                     detail={"name": entry.name, "kind": entry.kind})
        db.session.delete(entry)

    in_transaction(work)
