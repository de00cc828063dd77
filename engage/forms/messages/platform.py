"""Messages of the platform beneath the line: staff sign-in, two-step verification,
passwords, staff accounts, their roles and access."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ENTER_EMAIL = _l("Enter your email address")
EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")
ENTER_PASSWORD = _l("Enter your password")
SIGN_IN_FAILED = _l("Enter a correct email address and password")

# Two-step verification (S6)
ENTER_APP_CODE = _l("Enter the 6-digit code from your authenticator app")
APP_CODE_FORMAT = _l("The code must be 6 digits")
APP_CODE_WRONG = _l("The code is not right. Check your app and try again")
ENTER_RECOVERY_CODE = _l("Enter one of your recovery codes")
RECOVERY_CODE_WRONG = _l(
    "The recovery code is not right or has already been used. Check it and try again")
ENTER_CODE_OR_RECOVERY = _l("Enter the 6-digit code from your authenticator app or a recovery code")

PASSWORD_PROBLEMS = {
    "too_short": _l("Your password must be 12 characters or more"),
    "too_long": _l("Your password must be 128 characters or fewer"),
    "too_common": _l("Choose a password that is harder to guess"),
    "like_email": _l("Your password must not be based on your email address"),
}

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "engagement_officer": _l("Engagement officer"),
    "analyst": _l("Analyst"),
    "moderator": _l("Moderator"),
    "group_member": _l("Task and Finish group member"),
    "partner_viewer": _l("Partner viewer"),
    "interviewer": _l("Interviewer"),
}

# Staff accounts: invitations, password resets, single sign-on (issue 19)
ENTER_NEW_PASSWORD = _l("Enter a password")
CONFIRM_PASSWORD = _l("Enter the password again")
PASSWORDS_DIFFER = _l("The passwords do not match. Enter the same password twice")
ENTER_STAFF_EMAIL = _l("Enter their email address")
EMAIL_TAKEN = _l("There is already an account with this email address")
ORGANISATION_TOO_LONG = _l("The organisation must be 120 characters or fewer")
LINK_DEAD = _l("This link has expired or has already been used")

# Staff accounts: role and access (S18)
SELECT_ROLE = _l("Select a role")
SELECT_ACCESS = _l("Select yes if this person may sign in")
OWN_ACCOUNT = _l("You cannot change your own role or stop yourself signing in")
