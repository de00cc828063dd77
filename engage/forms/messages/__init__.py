"""Every user-facing form message in one place, in GOV.UK wording.

One module per stage of the line, as `engage/services` is grouped: `platform` (sign-in,
two-step verification, staff accounts), `collect` (fieldwork, imports, contacts, group
sessions, the question bank, the consultation hub, erasure), `code` (themes, coding,
weighting), `decide` (the priority board, the plan) and `report`; the two largest areas of
collecting, Ask the Mayor (`mayor`) and the survey builder (`builder`), have their own. A
message goes in the module of the pages that show it. Every name is read from here
(``messages.ENTER_EMAIL``, ``from engage.forms.messages import ENTER_EMAIL``), so each is
defined once across the modules (a test checks).
"""

from engage.forms.messages.builder import *  # noqa: F403
from engage.forms.messages.code import *  # noqa: F403
from engage.forms.messages.collect import *  # noqa: F403
from engage.forms.messages.decide import *  # noqa: F403
from engage.forms.messages.mayor import *  # noqa: F403
from engage.forms.messages.platform import *  # noqa: F403
from engage.forms.messages.report import *  # noqa: F403
