"""Messages of reporting: partner API tokens and "you said, we did" updates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Insight: partner API tokens and "you said, we did" updates.
ENTER_TOKEN_NAME = _l("Enter a name for the token")
SELECT_TOKEN_SURVEYS = _l("Select at least one survey")
SELECT_UPDATE_KIND = _l("Select what kind of update this is")
ENTER_UPDATE_TITLE = _l("Enter a title in English")
ENTER_UPDATE_BODY = _l("Enter the update in English")
