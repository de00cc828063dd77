"""Messages of collecting: survey channels and languages, fieldwork (interviews and paper),
imports, the question bank, contact lists, group sessions, the consultation hub, and erasing
a response. Ask the Mayor and the survey builder have modules of their own."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Survey response channels. (Ask the Mayor's CHANNEL_LABELS, in messages.mayor, is a
# different set.)
RESPONSE_CHANNEL_LABELS = {
    "online": _l("Online"),
    "face_to_face": _l("Face to face"),
    "phone": _l("Phone"),
    "paper": _l("Paper"),
    "import": _l("Imported"),
    "group_session": _l("Group session"),
}

LANGUAGE_LABELS = {
    "en": _l("English"),
    "bn": _l("Bengali"),
}

# Fieldwork: interviews and paper keying. "%(limit)s" is filled in by engage.forms.fill.
ENTER_BATCH = _l("Enter the batch")
BATCH_TOO_LONG = _l("Batch must be %(limit)s characters or fewer")
ENTER_SHEET_NUMBER = _l("Enter the sheet number")
SHEET_NUMBER_TOO_LONG = _l("Sheet number must be %(limit)s characters or fewer")
SHEET_ALREADY_KEYED = _l("Sheet %(sheet)s is already keyed in batch %(batch)s")
SHEET_NOT_FOUND = _l("There is no sheet %(sheet)s in batch %(batch)s")
SELECT_PAPER_LANGUAGE = _l("Select the language of the paper form")
SELECT_INTERVIEW_LANGUAGE = _l("Select the language of the interview")
SELECT_INTERVIEW_CHANNEL = _l("Select how the interview is done")
SELECT_PROXY = _l("Select yes if someone is answering for the resident")
SELECT_INTERVIEW_CONSENT = _l("Select yes if the resident agrees to take part")
TARGET_FORMAT = _l("Target for %(name)s must be a whole number, like 40")

# Imports of responses
SELECT_IMPORT_SURVEY = _l("Select the survey the responses answer")
ENTER_IMPORT_NAME = _l("Enter a name for this batch of responses")
IMPORT_NAME_TOO_LONG = _l("Name must be 64 characters or fewer")
SELECT_IMPORT_FILE = _l("Select a CSV or Excel file")

# The question bank (issue 19)
BANK_PROBLEMS = {
    "name_missing": _l("Enter a name for the bank entry"),
    "name_long": _l("The name must be 120 characters or fewer"),
    "name_taken": _l("There is already a bank entry with this name"),
    "entry_missing": _l("Select a question or block to add"),
    "section_missing": _l("Select the section to add the question to"),
    "demographics_exists": _l("This survey already has demographic questions: change them on "
                              "the survey page instead"),
}
BANK_KIND_LABELS = {"question": _l("Question"), "block": _l("Block")}
# Contact lists and invitations (issue 19); "%(row)s" is the row of the file (1: the header).
CONTACT_PROBLEMS = {
    "empty": _l("The selected file is empty"),
    "too_big": _l("The selected file must be smaller than 5MB"),
    "encoding": _l("The selected file must be a CSV file saved as UTF-8"),
    "not_csv": _l("The selected file must be a CSV file"),
    "too_many": _l("The selected file must have 50,000 contacts or fewer"),
    "no_rows": _l("The selected file must have a row for each contact below the column names"),
    "no_columns": _l("Row 1: the selected file must have a column called email or mobile"),
    "no_address": _l("Row %(row)s: enter an email address or a mobile number"),
    "email": _l("Row %(row)s: enter an email address in the correct format, like "
                "name@example.com"),
    "mobile": _l("Row %(row)s: enter a UK mobile number, like 07700 900 982"),
    "name_long": _l("Row %(row)s: the name must be 200 characters or fewer"),
    "ward": _l("Row %(row)s: enter a ward in the borough, or leave the ward empty"),
    "duplicate": _l("Row %(row)s: this person is already on the list"),
    "language": _l("Row %(row)s: enter the language as en for English or bn for Bengali, or "
                   "leave it empty for English"),
}
CONTACT_PROBLEMS_MORE = _l("And %(count)s more problems")
SELECT_CONTACT_FILE = _l("Select a CSV file")
ENTER_CONTACT_ADDRESS = _l("Enter an email address or a UK mobile number")
ENTER_REMINDER_DATE = _l("Enter the date to send the reminder, like 27 3 2027")
ENTER_REMINDER_TIME = _l("Enter the time on the 24-hour clock, like 09:30")
REMINDER_IN_PAST = _l("The date and time to send the reminder must be in the future")
DELIVERY_LABELS = {
    "pending": _l("Not sent yet"),
    "sent": _l("Sent"),
    "delivered": _l("Delivered"),
    "failed": _l("Failed"),
    "bounced": _l("Bounced"),
    "not_sent": _l("Not sent"),
}

# Group sessions (Ask the Mayor)
GROUP_LABELS = {
    "young_people": _l("Young people"),
    "older_residents": _l("Older residents"),
    "businesses": _l("Businesses"),
    "voluntary_sector": _l("Voluntary and community sector"),
    "other": _l("Other group"),
}
SELECT_GROUP = _l("Select the type of group")
ENTER_SESSION_DAY = _l("Enter the date of the session, like 27 3 2026")
ENTER_FACILITATOR = _l("Enter the name of the facilitator")
FACILITATOR_TOO_LONG = _l("Facilitator must be 120 characters or fewer")
GROUP_NAME_TOO_LONG = _l("Group name must be 200 characters or fewer")
ENTER_POINT = _l("Enter the point")
POINT_TOO_LONG = _l("The point must be 2,000 characters or fewer")

# Consultation hub
ENTER_CONSULTATION_TITLE = _l("Enter the title of the consultation")
ENTER_CONSULTATION_SLUG = _l("Enter a web address of lower-case letters, digits and dashes, "
                             "like library-opening-hours")
SLUG_TAKEN = _l("Another consultation already uses this web address")
ENTER_ORGANISATION = _l("Enter the organisation that runs the consultation")
ENTER_OPENS_ON = _l("Enter the date the consultation opens, like 27 3 2026")
ENTER_CLOSES_ON = _l("Enter the date the consultation closes, like 27 4 2026")
CLOSES_BEFORE_OPENS = _l("The closing date must be the same as or after the opening date")
TEXT_TOO_LONG = _l("This must be 5,000 characters or fewer")
TITLE_TOO_LONG = _l("The title must be 200 characters or fewer")
SELECT_EVENT_KIND = _l("Select whether this is an event or a group session")
ENTER_EVENT_TITLE = _l("Enter the name of the event")
ENTER_EVENT_DATE = _l("Enter the date of the event, like 27 3 2026")
ENTER_EVENT_TIME = _l("Enter the start time on the 24-hour clock, like 18:30")
ENTER_EVENT_PLACE = _l("Enter where the event is")
ENTER_DOCUMENT_TITLE = _l("Enter the title of the document")
DOCUMENT_FILE_OR_LINK = _l("Choose a file or enter a link, not both")
DOCUMENT_LINK_FORMAT = _l("Enter a link that starts with https://")
DOCUMENT_PROBLEMS = {
    "too_big": _l("The file must be smaller than 10 MB"),
    "empty": _l("The selected file is empty"),
    "wrong_type": _l("The selected file must be a PDF, Word, Excel, PowerPoint or "
                     "OpenDocument file"),
}
SUBSCRIBE_TO_SOMETHING = _l("Select a ward or a topic")

# Consultation hub: events
EVENT_KIND_LABELS = {"event": _l("Event"), "group_session": _l("Group session")}

# Erasing a response by its reference (P2)
ENTER_RESPONSE_REFERENCE = _l("Enter the response reference")
RESPONSE_REFERENCE_FORMAT = _l("Enter a reference in the correct format, like K7M3-9QPX")
RESPONSE_REFERENCE_NOT_FOUND = _l("No response has that reference. Check it and enter it again")
