"""Messages of deciding: the priority board and the partnership plan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
