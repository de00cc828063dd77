"""Messages of Ask the Mayor: the resident's question and its status, and moderation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Ask the Mayor
QUESTION_WORDS = 150
ENTER_QUESTION = _l("Enter your question")
QUESTION_TOO_LONG = _l("Your question must be 150 words or fewer")
SELECT_TOPIC = _l("Select what your question is about")
WARD_OR_POSTCODE = _l("Select your ward or enter your postcode")
POSTCODE_FORMAT = _l("Enter a full postcode, like E1 6AN")
SELECT_CONSENT = _l("Select yes if we can publish your question")
NAME_TOO_LONG = _l("Your name must be 120 characters or fewer")
PHONE_FORMAT = _l("Enter a UK phone number, like 07700 900 982 or 020 7946 0958")
CONTACT_FOR_REPLY = _l("Enter an email address or a phone number so we can reply to you")
ENTER_REFERENCE = _l("Enter your reference")
REFERENCE_FORMAT = _l("Enter the reference exactly as it was given, like K7M3-9QPX")
REFERENCE_NOT_FOUND = _l("We cannot find a question with that reference. Check it and try again")
SELECT_REJECT_REASON = _l("Select why the question is not taken forward")
ENTER_WORDING = _l("Enter the public wording")
ENTER_ORIGINAL_REFERENCE = _l("Enter the reference of the original question")
ENTER_DUE_DATE = _l("Enter a due date")
DATE_REAL = _l("Enter a real date")
CHOOSE_ASSIGNEE = _l("Select an officer or enter a partner organisation")
ENTER_ANSWER = _l("Enter the answer")
ENTER_SESSION_TITLE = _l("Enter a title for the session")
ENTER_SESSION_DATE = _l("Enter the date and time of the session")
ENTER_SESSION_PLACE = _l("Enter where the session takes place")
SELECT_CHANNEL = _l("Select how the question was given")
ENTER_TOPIC_NAME = _l("Enter the topic name in English")
PICK_QUESTIONS = _l("Select at least one question")

REJECT_REASON_LABELS = {
    "offensive": _l("It is offensive or abusive"),
    "personal_case": _l("It is about a personal case, so we will reply privately"),
    "not_council": _l("It is not something the Mayor or the council is responsible for"),
    "legal": _l("It is the subject of legal proceedings"),
    "unclear": _l("We could not understand the question"),
    "other": _l("Another reason"),
}
CHANNEL_LABELS = {
    "online": _l("Online"),
    "phone": _l("Phone"),
    "event": _l("At an event"),
    "paper": _l("Paper form"),
}
RESIDENT_STATUS_LABELS = {
    "received": _l("Received"),
    "under_review": _l("Under review"),
    "answered": _l("Answered"),
    "published": _l("Published"),
    "not_taken_forward": _l("Not taken forward"),
}
STAFF_STATUS_LABELS = {
    "open": _l("All open questions"),
    "received": _l("New"),
    "approved": _l("Approved"),
    "assigned": _l("Assigned"),
    "drafted": _l("Answer drafted"),
    "answered": _l("Answered"),
    "published": _l("Published"),
    "rejected": _l("Not taken forward"),
    "duplicate": _l("Duplicate"),
}
MAYOR_ERRORS = {
    "not_moderator": _l("You need the moderator role to do that"),
    "not_assigned": _l("Only the assigned officer or a moderator can draft the answer"),
    "no_consent": _l("The resident did not agree to publication, so it cannot be published"),
    "original_not_found": _l("There is no question with that reference"),
    "duplicate_of_itself": _l("A question cannot be a duplicate of itself"),
    "original_rejected": _l("The original question was not taken forward"),
    "nothing_to_redact": _l("No personal data was found to remove"),
    "session_not_happened": _l("The session has not happened yet"),
    "session_published": _l("The session has already been published"),
    "topic_exists": _l("There is already a topic with that name"),
    "none_picked": _l("Select at least one question"),
    "own_draft": _l("You drafted this answer, so someone else must approve it"),
    "due_in_past": _l("The due date must be today or in the future"),
    "officer_inactive": _l("Select an officer whose account is active"),
    "officer_cannot_answer": _l("Select an officer whose role can answer questions"),
    # Input the forms refuse before a service sees it, in the forms' words (issue 20: every
    # code raised has its message).
    "empty_question": ENTER_QUESTION,
    "empty_wording": ENTER_WORDING,
    "empty_answer": ENTER_ANSWER,
    "empty_topic": ENTER_TOPIC_NAME,
    "no_assignee": CHOOSE_ASSIGNEE,
    "unknown_channel": SELECT_CHANNEL,
    "unknown_reason": SELECT_REJECT_REASON,
    "session_incomplete": _l("Enter a title for the session and where it takes place"),
    "not_in_session": _l("That question is not on this session’s agenda"),
    "topic_not_found": _l("That topic does not exist"),
    "no_reference": _l("Sorry, there is a problem with the service"),
}
SELECT_APPROVER_RULE = _l("Select who can approve an answer")
MAYOR_ERROR_DEFAULT = _l("That cannot be done to the question in its current state")
