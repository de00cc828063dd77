"""Single sign-on with OpenID Connect (issue 19): who an identity provider's verified email
address signs in as. Accounts are matched to an existing staff account (invited or active) by
email; nobody signs themselves up, and roles stay in Engage. The protocol itself (state,
nonce, ID token signature, issuer and audience) is Authlib's, driven by auth/sso.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from engage.extensions import db
from engage.models import AccountToken, User
from engage.models._types import utcnow
from engage.services.platform import audit
from engage.services.platform.accounts import normalise_email
from engage.services.platform.transactions import in_transaction

# Why a sign-in was refused; the web layer has a message for each.
REASONS = ("provider", "state", "issuer", "signature", "token", "unverified", "no_account")


class SSORefused(Exception):
    """The identity provider's answer was not accepted; `reason` is one of REASONS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def metadata_url() -> str:
    """The provider's discovery document: OIDC_METADATA_URL, or OIDC_ISSUER's well-known one."""
    cfg = current_app.config
    url = str(cfg.get("OIDC_METADATA_URL") or "")
    issuer = str(cfg.get("OIDC_ISSUER") or "").rstrip("/")
    if not url and issuer:
        url = issuer + "/.well-known/openid-configuration"
    return url


def enabled() -> bool:
    """Single sign-on is on only when the discovery address, client id and secret are all set."""
    cfg = current_app.config
    return bool(metadata_url() and cfg.get("OIDC_CLIENT_ID") and cfg.get("OIDC_CLIENT_SECRET"))


def provider_name() -> str:
    """The button's name for the provider ('' when single sign-on is off)."""
    if not enabled():
        return ""
    return str(current_app.config.get("OIDC_PROVIDER_NAME") or "") or "single sign-on"


def provider_origin() -> str:
    """The scheme, host and port of the provider (its sign-in page is on the same origin as
    its discovery document at Microsoft Entra ID and Google), or '' when off."""
    if not enabled():
        return ""
    parts = urlsplit(metadata_url())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def refuse(reason: str, ip_address: str = "", email: str = "") -> SSORefused:
    """Audit a refused single sign-on and return the exception to raise."""
    in_transaction(lambda: audit.record(
        "auth.sso_refused", actor_label=email[:254], ip_address=ip_address,
        object_type="user", detail={"reason": reason}))
    return SSORefused(reason)


def email_verified(claims: dict[str, Any]) -> bool:
    """True when the provider vouches for the address: `email_verified` (Google and most
    providers), or Microsoft Entra ID's optional `xms_edov` claim (the domain's owner)."""
    return claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true")


def match_account(claims: dict[str, Any], ip_address: str = "") -> User:
    """The staff account for an ID token's verified email address; raises SSORefused."""
    email = normalise_email(str(claims.get("email") or ""))
    if not email or not email_verified(claims):
        raise refuse("unverified", ip_address, email)
    user: User | None = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.active:
        raise refuse("no_account", ip_address, email)
    if user.invitation_pending:
        def accept() -> None:
            user.invited_at = None
            db.session.execute(update(AccountToken).where(
                AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
                .values(used_at=utcnow()))
            audit.record("user.invite_accepted", actor=user, object_type="user",
                         object_id=user.id, ip_address=ip_address, detail={"by": "sso"})

        in_transaction(accept)
    return user
