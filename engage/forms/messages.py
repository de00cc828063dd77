"""Every user-facing form message in one place, in GOV.UK wording."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ENTER_EMAIL = _l("Enter your email address")
EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")
ENTER_PASSWORD = _l("Enter your password")
SIGN_IN_FAILED = _l("Enter a correct email address and password")

PASSWORD_PROBLEMS = {
    "too_short": _l("Your password must be 12 characters or more"),
    "too_long": _l("Your password must be 128 characters or fewer"),
    "too_common": _l("Choose a password that is harder to guess"),
    "like_email": _l("Your password must not be based on your email address"),
}

CHANNEL_LABELS = {
    "online": _l("Online"),
    "face_to_face": _l("Face to face"),
    "phone": _l("Phone"),
    "paper": _l("Paper"),
    "import": _l("Imported"),
    "group_session": _l("Group session"),
}

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "engagement_officer": _l("Engagement officer"),
    "analyst": _l("Analyst"),
    "moderator": _l("Moderator"),
    "group_member": _l("Task and Finish group member"),
    "partner_viewer": _l("Partner viewer"),
}
