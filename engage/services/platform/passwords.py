"""Staff password hashing (argon2id, S5) and the password policy (S6)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY
from flask import current_app, has_app_context

MIN_LENGTH = 12
MAX_LENGTH = 128

# The app's PASSWORD_HASH_PROFILE chooses one. "standard" is argon2id, t=3, m=64 MiB, p=4:
# above OWASP's floor of t>=2, m>=19 MiB. "cheap" (t=1, m=8 KiB) is for the test suite only:
# the configuration refuses it outside ENGAGE_ENV=testing (engage/config.py).
STANDARD = "standard"
HASHERS: dict[str, PasswordHasher] = {
    STANDARD: PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY),
    "cheap": PasswordHasher.from_parameters(CHEAPEST),
}


def _hasher() -> PasswordHasher:
    name = current_app.config.get("PASSWORD_HASH_PROFILE", STANDARD) if has_app_context() \
        else STANDARD
    return HASHERS[name]


@lru_cache(maxsize=len(HASHERS))
def _dummy_hash(hasher: PasswordHasher) -> str:
    # A hash of a random password, so unknown accounts cost as much time as known ones.
    return hasher.hash("engage-timing-equaliser-not-a-password")


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password against a stored hash in constant-ish time; unknown users too."""
    hasher = _hasher()
    try:
        # An invited account's empty hash is checked against the dummy and never matches.
        return hasher.verify(stored_hash or _dummy_hash(hasher), password) and bool(stored_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def equalise_work(secret: str) -> None:
    """Spend the time of one password check, so a request about an unknown account takes as
    long as one about a real account (no enumeration by timing)."""
    verify_password(None, secret)


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than the configured ones."""
    return _hasher().check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("engage").joinpath("data/common_passwords.txt").read_text("utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """Return the code of the first policy problem with a new password, or None."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "too_common"
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered and len(lowered) - len(local) < 6:
        return "like_email"
    return None
