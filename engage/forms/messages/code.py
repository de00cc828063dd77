"""Messages of coding: theme analysis and review, codeframes and coding, weighting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
# Channels of texts in an analysis: survey channels and Ask the Mayor's together
# (RESPONSE_CHANNEL_LABELS of messages.collect and CHANNEL_LABELS of messages.mayor).
THEME_CHANNEL_LABELS = {
    "online": _l("Online"),
    "face_to_face": _l("Face to face"),
    "phone": _l("Phone"),
    "paper": _l("Paper"),
    "event": _l("At an event"),
    "import": _l("Imported"),
    "group_session": _l("Group session"),
}

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
