"""Messages of the file import, in GOV.UK wording (English templates; the web layer translates).

Marked with N_ like `surveys/answer_messages.py` so Babel's extractor finds them.
"""

from __future__ import annotations

from surveys.answer_messages import N_

# the file as a whole
FILE_EMPTY = N_("The selected file is empty")
FILE_TOO_BIG = N_("The selected file must be smaller than %(max)s MB")
FILE_TYPE = N_("The selected file must be a CSV or an Excel (.xlsx) file")
FILE_UNREADABLE = N_("The selected file could not be read. Save it as CSV or .xlsx and try again")
FILE_NO_HEADER = N_("The first row of the file must name its columns")
FILE_TOO_MANY_ROWS = N_("The selected file must have %(max)s rows or fewer")
FILE_TOO_MANY_COLUMNS = N_("The selected file must have %(max)s columns or fewer")
FILE_TOO_MANY_CELLS = N_("The selected file must have %(max)s cells or fewer")
FILE_BAD_ROW = N_("Row %(row)s could not be read: check its quotation marks")
FILE_CELL_TOO_LONG = N_("Row %(row)s has a cell longer than %(max)s characters")
FILE_NO_ROWS = N_("The selected file has no rows of answers under its first row")
FILE_DUPLICATE_HEADER = N_("Column names must be different: ‘%(name)s’ is used more than once")

# the mapping
MAP_NOTHING = N_("Select a question for at least one column")
MAP_TWICE = N_("Select each question for one column only: ‘%(target)s’ is selected more than once")

# one cell
VALUE_NOT_MAPPED = N_("‘%(value)s’ is not matched to an answer: match it on the answers page")
DATE_FORMAT = N_("Enter a real date, like 27/03/2026 or 2026-03-27")
