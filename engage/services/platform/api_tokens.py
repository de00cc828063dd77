"""Read-only API tokens for partners' tools: created by admins, shown once, stored as SHA-256,
scoped to surveys, revocable; every creation, revocation and read is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from engage.extensions import db
from engage.models import ApiToken, Survey, User
from engage.models._types import utcnow
from engage.services.platform import audit, results_policy
from engage.services.platform.transactions import in_transaction
from surveys.errors import NotFound

PREFIX = "eng_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just created: its row id and the secret, which is never shown again."""

    id: int
    secret: str


def create_token(name: str, slugs: list[str], actor: User, ip_address: str = "") -> NewToken:
    """Create a token for the named surveys; NotFound when a survey is unknown."""
    secret = PREFIX + secrets.token_urlsafe(32)

    def work() -> int:
        found = list(db.session.scalars(select(Survey).where(Survey.slug.in_(slugs))))
        if not slugs or len(found) != len(set(slugs)):
            raise NotFound(slugs)
        token = ApiToken(name=name.strip()[:120], token_hash=_hash(secret),
                         prefix=secret[:12], created_by_id=actor.id, surveys=found)
        db.session.add(token)
        db.session.flush()
        audit.record("api_token.create", actor=actor, object_type="api_token",
                     object_id=token.id, ip_address=ip_address,
                     detail={"name": token.name, "surveys": sorted(slugs)})
        return int(token.id)

    return NewToken(in_transaction(work), secret)


def revoke_token(token_id: int, actor: User, ip_address: str = "") -> bool:
    """Revoke a token (False when there is no such active token)."""

    def work() -> bool:
        token = db.session.get(ApiToken, token_id)
        if token is None or token.revoked_at is not None:
            return False
        token.revoked_at = utcnow()
        audit.record("api_token.revoke", actor=actor, object_type="api_token",
                     object_id=token.id, ip_address=ip_address, detail={"name": token.name})
        return True

    return in_transaction(work)


def tokens() -> list[ApiToken]:
    """Every token, newest first."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token: ApiToken | None = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
    if token is None or token.revoked_at is not None:
        return None
    return token


def allows(token: ApiToken, slug: str) -> bool:
    """True when the token is scoped to the survey and the person it acts for (whoever created
    it) may still see the survey's results (results_policy)."""
    survey = next((s for s in token.surveys if s.slug == slug), None)
    if survey is None or token.created_by_id is None:
        return False
    return results_policy.may_see_results(db.session.get(User, token.created_by_id), survey)


def record_read(token: ApiToken, what: str, slug: str, rows: int, ip_address: str = "") -> None:
    """Audit one API read with its row count, and note when the token was last used."""
    def work() -> None:
        token.last_used_at = utcnow()
        audit.record(f"api.{what}", actor_label=f"api-token:{token.prefix}",
                     object_type="survey", object_id=slug, ip_address=ip_address,
                     detail={"rows": rows, "token_id": token.id})

    in_transaction(work)
