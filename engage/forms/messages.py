"""Every user-facing form message in one place, in GOV.UK wording."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from surveys import types as t

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

# Survey response channels. (Ask the Mayor's CHANNEL_LABELS, further down, is a different set.)
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

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "engagement_officer": _l("Engagement officer"),
    "analyst": _l("Analyst"),
    "moderator": _l("Moderator"),
    "group_member": _l("Task and Finish group member"),
    "partner_viewer": _l("Partner viewer"),
    "interviewer": _l("Interviewer"),
}

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

# Insight: partner API tokens and "you said, we did" updates.
ENTER_TOKEN_NAME = _l("Enter a name for the token")
SELECT_TOKEN_SURVEYS = _l("Select at least one survey")
SELECT_UPDATE_KIND = _l("Select what kind of update this is")
ENTER_UPDATE_TITLE = _l("Enter a title in English")
ENTER_UPDATE_BODY = _l("Enter the update in English")

# Theme analysis and review.
THEME_ERRORS = {
    "no_sources": _l("Select at least one source of text"),
    "unknown_source": _l("Select sources from the list"),
    "bad_n_themes": _l("Number of themes must be between 2 and 100"),
    "label_missing": _l("Enter a name for the theme"),
    "label_long": _l("Name must be 200 characters or fewer"),
    "merge_self": _l("Select a different theme to merge with"),
    "other_run": _l("Select a theme from the same analysis"),
    "inactive": _l("This theme has been merged or split; undo that first"),
    "no_texts": _l("Select at least one text to move"),
    "text_not_in_run": _l("Select texts from this analysis"),
    "split_n": _l("Number of new themes must be between 2 and 8"),
    "split_small": _l("This theme has too few texts to split"),
    "split_failed": _l("The texts could not be split into separate themes"),
    "reason_missing": _l("Enter why you are flagging this text"),
    "reason_long": _l("Reason must be 200 characters or fewer"),
    "not_latest": _l("Only the latest change can be undone"),
    "comment_missing": _l("Enter a comment"),
}
THEME_ERROR_DEFAULT = _l("That change could not be made")
END_BEFORE_START = _l("The end date must be the same as or after the start date")
SEED_FORMAT = _l("Seed must be a whole number")
EDIT_KIND_LABELS = {
    "rename": _l("Renamed"),
    "merge": _l("Merged"),
    "split": _l("Split"),
    "move": _l("Texts moved"),
    "approve": _l("Approved"),
    "unapprove": _l("Approval withdrawn"),
    "flag": _l("Text flagged"),
    "unflag": _l("Flag cleared"),
}
SOURCE_LABELS = {
    "survey": _l("Survey"),
    "ask_the_mayor": _l("Ask the Mayor"),
    "group_session": _l("Group session"),
}
DIMENSION_LABELS = {
    "ward": _l("Ward"),
    "age_band": _l("Age band"),
    "sex": _l("Sex"),
    "ethnicity": _l("Ethnicity"),
    "disability": _l("Disability"),
    "channel": _l("Channel"),
    "language": _l("Language"),
}
RUN_STATUS_LABELS = {
    "queued": _l("Waiting"),
    "running": _l("Running"),
    "succeeded": _l("Finished"),
    "failed": _l("Failed"),
}
# Channels of texts in an analysis: survey channels and Ask the Mayor's (CHANNEL_LABELS is
# defined twice above, so the survey one is shadowed).
THEME_CHANNEL_LABELS = {
    "online": _l("Online"),
    "face_to_face": _l("Face to face"),
    "phone": _l("Phone"),
    "paper": _l("Paper"),
    "event": _l("At an event"),
    "import": _l("Imported"),
    "group_session": _l("Group session"),
}

# Staff accounts: invitations, password resets, single sign-on (issue 19)
ENTER_NEW_PASSWORD = _l("Enter a password")
CONFIRM_PASSWORD = _l("Enter the password again")
PASSWORDS_DIFFER = _l("The passwords do not match. Enter the same password twice")
ENTER_STAFF_EMAIL = _l("Enter their email address")
EMAIL_TAKEN = _l("There is already an account with this email address")
ORGANISATION_TOO_LONG = _l("The organisation must be 120 characters or fewer")
LINK_DEAD = _l("This link has expired or has already been used")

# Codeframes and coding (issue 22).
CODING_ERRORS = {
    "title_missing": _l("Enter a title for the codeframe"),
    "title_long": _l("Title must be 200 characters or fewer"),
    "no_sources": _l("Select at least one source of text"),
    "unknown_source": _l("Select sources from the list"),
    "no_texts": _l("There are no texts in the sources you selected"),
    "no_approved_themes": _l("Select an analysis that has approved themes"),
    "name_missing": _l("Enter a name for the code"),
    "name_long": _l("Code name must be 120 characters or fewer"),
    "name_taken": _l("There is already a code with this name"),
    "definition_long": _l("Definition must be 2,000 characters or fewer"),
    "parent_unknown": _l("Select a parent code from this codeframe"),
    "parent_nested": _l("A sub-code cannot have sub-codes of its own"),
    "parent_self": _l("A code cannot be its own parent"),
    "has_children": _l("Retire or move this code's sub-codes first"),
    "retired": _l("This code has been retired; bring it back first"),
    "select_code": _l("Select at least one code, or select no substantive answer"),
    "codes_and_none": _l("Select codes or no substantive answer, not both"),
    "code_unknown": _l("Select codes from this codeframe"),
    "text_unknown": _l("This text is not in the codeframe"),
    "threshold_range": _l("Confidence must be a whole number from 0 to 100"),
    "nothing_to_accept": _l("No uncoded texts have a suggestion this confident"),
    "batch_undone": _l("These suggestions have already been undone"),
    "share_range": _l("Share must be a whole number from 1 to 100"),
    "not_sampled": _l("This text is not in the double-coding sample"),
    "same_coder": _l("You coded this text first; a different analyst must code it again"),
    "note_long": _l("Note must be 2,000 characters or fewer"),
    "csv_too_big": _l("The selected file must be smaller than 200KB"),
    "csv_encoding": _l("The selected file must be a CSV file saved as UTF-8"),
    "csv_no_name_column": _l("The selected file must have a column called name"),
    "csv_empty": _l("The selected file is empty"),
    "csv_too_many_rows": _l("The selected file must have 500 codes or fewer"),
    "csv_missing": _l("Select a CSV file"),
    "final": _l("This codeframe is final; reopen it to make changes"),
    "final_no_codes": _l("Add at least one code before marking the codeframe final"),
    "final_uncoded": _l("Code every text before marking the codeframe final"),
    "final_second_missing": _l("Finish double coding the sample before marking the codeframe "
                               "final"),
    "final_unresolved": _l("Resolve every disagreement before marking the codeframe final"),
}
CODING_ERROR_DEFAULT = _l("That change could not be made")
CODE_CHANGE_LABELS = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "retired": _l("Retired"),
    "restored": _l("Brought back"),
}

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

# The partnership plan (issue 18)
PLAN_ERRORS = {
    "title_missing": _l("Enter the title of the plan"),
    "title_missing_long": _l("The title must be 200 characters or fewer"),
    "title_taken": _l("There is already a plan with that title"),
    "year_range": _l("Enter years between 2000 and 2100, like 2023"),
    "period_order": _l("The last year must be the same as or after the first year"),
    "not_shortlisted": _l("Select a shortlisted priority from a locked board"),
    "already_in_plan": _l("That priority is already in the plan"),
    "outcome_missing": _l("Enter the outcome"),
    "outcome_missing_long": _l("The outcome must be 200 characters or fewer"),
    "outcome_unknown": _l("Select an outcome of this priority"),
    "action_missing": _l("Enter the action"),
    "action_missing_long": _l("The action must be 200 characters or fewer"),
    "action_unknown": _l("Select an action of this priority"),
    "owner_missing": _l("Select the partner organisation that owns it"),
    "owner_missing_long": _l("The organisation must be 120 characters or fewer"),
    "indicator_missing": _l("Enter the name of the indicator"),
    "indicator_missing_long": _l("The name must be 200 characters or fewer"),
    "unit_missing": _l("Enter the unit, like percent of residents or number of homes"),
    "unit_missing_long": _l("The unit must be 40 characters or fewer"),
    "measures_missing": _l("Select the action or outcome the indicator measures"),
    "direction_missing": _l("Select whether higher or lower is better"),
    "frequency_missing": _l("Select how often it is measured"),
    "target_before_baseline": _l("The target date must be after the baseline date"),
    "value_range": _l("Enter a number, like 42 or 12.5"),
    "status_missing": _l("Select the status of the action"),
    "measured_before_baseline": _l(
        "The date measured must be the same as or after the baseline date"),
    "measured_in_future": _l("The date measured must be today or in the past"),
    "note_long": _l("The note must be 1,000 characters or fewer"),
    "priority_missing": _l("Enter the title of the priority"),
    "priority_missing_long": _l("The title must be 200 characters or fewer"),
    "text_long": _l("The text must be 4,000 characters or fewer"),
    "baseline_after_updates": _l(
        "The baseline date must be on or before the first progress update"),
}
PLAN_ERROR_DEFAULT = _l("That change could not be made")
ENTER_NUMBER = _l("Enter a number, like 42 or 12.5")
ENTER_BASELINE_DATE = _l("Enter the date of the baseline")
ENTER_TARGET_DATE = _l("Enter the date of the target")
ENTER_MEASURED_DATE = _l("Enter the date the value was measured")
ENTER_YEAR = _l("Enter a year, like 2023")
SELECT_PRIORITY = _l("Select a priority to add to the plan")
ACTION_STATUS_LABELS = {
    "not_started": _l("Not started"),
    "on_track": _l("On track"),
    "at_risk": _l("At risk"),
    "delayed": _l("Delayed"),
    "done": _l("Done"),
}
RAG_LABELS = {
    "green": _l("Green: on track"),
    "amber": _l("Amber: slightly behind"),
    "red": _l("Red: behind"),
}
DIRECTION_LABELS = {"higher": _l("Higher is better"), "lower": _l("Lower is better")}
FREQUENCY_LABELS = {
    "monthly": _l("Monthly"),
    "quarterly": _l("Every 3 months"),
    "annually": _l("Every year"),
}

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

# The survey builder. "%(item)s" is how a section, page or question is named to its builder
# (engage.forms.builder.item_label), filled in by engage.forms.fill.
LANGUAGE_NAMES = {"en": "English", "bn": "বাংলা"}  # each language in its own words
TYPE_LABELS = {
    t.SINGLE_CHOICE: _l("One answer from a list"),
    t.MULTIPLE_CHOICE: _l("Several answers from a list"),
    t.AGREEMENT: _l("Agree or disagree scale"),
    t.RATING: _l("Rating from 0 to 10"),
    t.NUMBER: _l("Number"),
    t.DATE: _l("Date"),
    t.SHORT_TEXT: _l("Short text"),
    t.LONG_TEXT: _l("Long text"),
    t.RANKING: _l("Put options in order"),
    t.GRID: _l("Grid of statements"),
    t.WARD_POSTCODE: _l("Ward or postcode"),
    t.EMAIL: _l("Email address (not in anonymous surveys)"),
    t.UK_ADDRESS: _l("UK postal address (not in anonymous surveys)"),
}
OPERATOR_LABELS = {
    t.EQUALS: _l("is"),
    t.NOT_EQUALS: _l("is not"),
    t.GREATER_THAN: _l("is more than"),
    t.LESS_THAN: _l("is less than"),
    t.GREATER_OR_EQUAL: _l("is at least"),
    t.LESS_OR_EQUAL: _l("is at most"),
    t.ANY_IN: _l("includes"),
    t.ALL_IN: _l("includes all of"),
    t.ANSWERED: _l("has been answered"),
}
LAWFUL_BASIS_LABELS = {
    "public_task": _l("Public task (UK GDPR Article 6(1)(e))"),
    "consent": _l("Consent (UK GDPR Article 6(1)(a))"),
    "legitimate_interests": _l("Legitimate interests (UK GDPR Article 6(1)(f))"),
    "legal_obligation": _l("Legal obligation (UK GDPR Article 6(1)(c))"),
}
DEMOGRAPHIC_LABELS = {
    "age": _l("Age"),
    "sex": _l("Sex"),
    "gender-identity": _l("Gender identity"),
    "ethnicity": _l("Ethnic group"),
    "religion": _l("Religion"),
    "disability": _l("Disability"),
    "carer": _l("Unpaid carer"),
}
ENTER_TITLE = _l("Enter the title in the main language")
ENTER_QUESTION_TEXT = _l("Enter the question in the main language")
ENTER_SLUG = _l("Enter a web address for the survey")
SLUG_FORMAT = _l("Web address must only include lower case letters, numbers and hyphens, "
                 "like residents-2027")
SURVEY_SLUG_TAKEN = _l("A survey with that web address already exists")
SELECT_TYPE = _l("Select the type of question")
SELECT_LANGUAGE = _l("Select at least one language")
WHOLE_NUMBER = _l("Enter a whole number")
NUMBER_FORMAT = _l("Enter a number")
DATE_FORMAT = _l("Enter a date in the format 2027-03-31")
MIN_BELOW_MAX = _l("The lowest value must be less than the highest value")
OPTION_TEXT = _l("Enter the option in the main language")
STATEMENT_TEXT = _l("Enter the statement in the main language")
SELECT_QUESTION = _l("Select a question")
SELECT_OPERATOR = _l("Select how to compare the answer")
OPERATOR_NOT_FOR_TYPE = _l("Select a comparison that works for this question")
ENTER_VALUE = _l("Select or enter a value to compare with")
VALUE_NUMBER = _l("Enter a number to compare with")
VALUE_OPTION = _l("Select one of the question's options to compare with")
ADD_CONDITION = _l("Add at least one condition")
SELECT_TARGET = _l("Select where to go")
SELECT_LAWFUL_BASIS = _l("Select the lawful basis")
ENTER_PRIVACY = _l("Enter the privacy notice")
RETENTION = _l("Enter how many days to keep responses, a whole number from 1 to 3650")
SELECT_ANONYMOUS = _l("Select whether the survey is anonymous")
SELECT_RESPONDENTS = _l("Select who can respond")
DATES_ORDER = _l("The closing date must be after the opening date")
SELECT_DEFINITION_FILE = _l("Select a JSON file")
FILE_TOO_LARGE = _l("The file must be smaller than 256 KB")
FILE_PROBLEMS = _l("The file is not a valid survey definition: fix the problems listed")
DRAFT_EXISTS = _l("That survey already has a draft: publish or discard it before importing")
# The engine's problems with a draft, in words for its builder (engage.forms.builder).
PROBLEM_ADD_OPTIONS = _l("Add at least 2 options to “%(item)s”")
PROBLEM_ADD_STATEMENT = _l("Add at least 1 statement to “%(item)s”")
PROBLEM_EMPTY_SECTION = _l("Add a question to the section “%(item)s”")
PROBLEM_MISSING_TEXT = _l("Enter the text in the main language for “%(item)s”")
PROBLEM_MISSING_TRANSLATION = _l("Add the %(language)s translation for “%(item)s”")
PROBLEM_TOO_MANY_QUESTIONS = _l("The page with “%(item)s” has too many questions: move some to "
                                "another page or allow more questions on a page")
PROBLEM_PAGE_TITLE = _l("Enter a heading for the page with “%(item)s”, because it has several "
                        "questions")
PROBLEM_RANGE = _l("The lowest value allowed for “%(item)s” must be less than the highest")
PROBLEM_DUPLICATE_ID = _l("“%(item)s” has an id that is used more than once: delete or rename "
                          "one")
PROBLEM_PERSONAL_QUESTION = _l(
    "“%(item)s” asks for an email address or a postal address, which an anonymous survey "
    "cannot ask: remove the question, or in settings make the survey not anonymous")
PROBLEM_OTHER_OPTION = _l("Fix the “Other” option of “%(item)s”: only one option, on a question "
                          "with one or several answers from a list, and not the only answer")
PROBLEM_RULE = _l("Fix the skip or routing rule of “%(item)s”: %(detail)s")
PROBLEM_OTHER = _l("Fix “%(item)s”: %(detail)s")

# Consultation hub: events
EVENT_KIND_LABELS = {"event": _l("Event"), "group_session": _l("Group session")}

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

# Imports of responses
SELECT_IMPORT_SURVEY = _l("Select the survey the responses answer")
ENTER_IMPORT_NAME = _l("Enter a name for this batch of responses")
IMPORT_NAME_TOO_LONG = _l("Name must be 64 characters or fewer")
SELECT_IMPORT_FILE = _l("Select a CSV or Excel file")

# The priority board (Task and Finish groups). DEFAULT_CRITERIA: the criteria a new board
# starts with, (name, what it means, weight).
DEFAULT_CRITERIA = (
    (_l("Scale of need"), _l("How many residents it affects and how much"), 3.0),
    (_l("Equity impact"), _l("Whether it closes gaps for groups who fare worse"), 2.0),
    (_l("Partnership fit"), _l("Whether partners together are best placed to act on it"), 1.0),
    (_l("Feasibility"), _l("Whether it can be done with the time and money there is"), 1.0),
)
BOARD_ERRORS = {
    "group_name_missing": _l("Enter a name for the group"),
    "group_name_long": _l("The group name must be 120 characters or fewer"),
    "group_name_taken": _l("There is already a group with that name"),
    "chair_missing": _l("Select who chairs the group"),
    "member_unknown": _l("Select members from the list"),
    "title_missing": _l("Enter a title for the board"),
    "runs_missing": _l("Select at least one analysis with approved themes or a final "
                       "codeframe"),
    "criterion_missing": _l("Enter the name of the criterion"),
    "criterion_taken": _l("There is already a criterion with that name"),
    "criterion_unknown": _l("That criterion is not on this board"),
    "last_criterion": _l("A board needs at least one criterion"),
    "weight_range": _l("Enter a weight between 0.1 and 100, like 2 or 1.5"),
    "scoring_started": _l("Scoring has started: the criteria can no longer change"),
    "not_open": _l("Scoring has not started yet"),
    "locked": _l("The board is locked: nothing can change"),
    "no_themes": _l("The board has no themes to score"),
    "item_unknown": _l("That theme is not on this board"),
    "score_range": _l("Select a score from 1 to 5"),
    "shortlist_size": _l("Select 3 or 4 priorities"),
    "rationale_missing": _l("Enter why the group chose these priorities"),
}
BOARD_ERROR_DEFAULT = _l("That change could not be made")
BOARD_STATE_LABELS = {
    "setup": _l("Agreeing criteria"),
    "scoring": _l("Scoring"),
    "locked": _l("Locked"),
}
BOARD_EVENT_LABELS = {
    "created": _l("Board created"),
    "criterion_added": _l("Criterion added"),
    "criterion_removed": _l("Criterion removed"),
    "weights_changed": _l("Weights changed"),
    "scoring_opened": _l("Scoring opened"),
    "scored": _l("Scores recorded"),
    "shortlisted": _l("Priorities shortlisted and board locked"),
}
SCORE_LABELS = (
    ("1", _l("1 – very low")),
    ("2", _l("2 – low")),
    ("3", _l("3 – medium")),
    ("4", _l("4 – high")),
    ("5", _l("5 – very high")),
)

# Erasing a response by its reference (P2)
ENTER_RESPONSE_REFERENCE = _l("Enter the response reference")
RESPONSE_REFERENCE_FORMAT = _l("Enter a reference in the correct format, like K7M3-9QPX")
RESPONSE_REFERENCE_NOT_FOUND = _l("No response has that reference. Check it and enter it again")

# Staff accounts: role and access (S18)
SELECT_ROLE = _l("Select a role")
SELECT_ACCESS = _l("Select yes if this person may sign in")
OWN_ACCOUNT = _l("You cannot change your own role or stop yourself signing in")

# Weighting: population, quotas, runs
SELECT_POPULATION_FILE = _l("Select a CSV file of the population")
ENTER_SAMPLE_SIZE = _l("Enter how many interviews you want in all, as a whole number")
SAMPLE_SIZE_RANGE = _l("The number of interviews must be between 1 and 1,000,000")
ENTER_QUOTA = _l("Enter the target as a whole number, 0 or more")
ENTER_TRIM_UPPER = _l("Enter the largest weight as a number from 1 to 100, or leave it blank")
ENTER_TRIM_LOWER = _l("Enter the smallest weight as a number from 0 to 1, or leave it blank")
SELECT_MISSING = _l("Select what to do with responses that did not give their ward, age or sex")
WEIGHTING_DIMENSION_LABELS = {"ward": _l("Ward"), "age": _l("Age band"), "sex": _l("Sex")}
WEIGHTING_ISSUE_TITLES = {
    "no-population": _l("There are no population targets"),
    "no-respondents": _l("There are no complete responses to weight"),
    "no-targets": _l("The population has no targets"),
    "invalid-target": _l("A target is not a number"),
    "negative-target": _l("A target is below 0"),
    "zero-total": _l("Every target of a dimension is 0"),
    "zero-target": _l("A group with responses has a target of 0"),
    "empty-category": _l("A group has a target but no responses"),
    "unknown-category": _l("Responses use a group the population does not have"),
    "all-missing": _l("No response gave this dimension"),
    "invalid-setting": _l("A setting is impossible"),
    "missing-values": _l("Some responses did not give their ward, age or sex"),
    "dropped": _l("Some responses were left out of the weighting"),
    "not-converged": _l("The weighting did not meet every target"),
    "trimmed": _l("Some weights were trimmed"),
    "sparse-category": _l("A group has very few responses"),
    "large-design-effect": _l("The design effect is large"),
    "inconsistent-totals": _l("The population totals of the dimensions do not agree"),
    "unused-category": _l("A group has no target and no responses"),
}
"""A translated heading for each kind of weighting problem or warning; the detail (with the
numbers and groups concerned) is the core's message, shown under it."""
