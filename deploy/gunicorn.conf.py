"""gunicorn settings for Engage: migrate once in the master, before any worker starts (R6).

    gunicorn -c deploy/gunicorn.conf.py -w 4 -b 127.0.0.1:8000 'engage:create_app()'

Several hosts starting together are safe too: the migration takes a database-wide lock
(engage/migrating.py). Set ENGAGE_MIGRATE_ON_START=0 to migrate separately instead.
"""

from __future__ import annotations

import os
from typing import Any

control_socket_disable = True  # gunicorn 27: no control socket (as --no-control-socket)


def on_starting(server: Any) -> None:
    """Before forking workers: bring the database to the newest revision, under the lock."""
    if os.environ.get("ENGAGE_MIGRATE_ON_START", "1") == "0":
        return
    from engage import create_app
    from engage.migrating import upgrade_once

    before, after = upgrade_once(create_app())
    server.log.info("database revision %s (was %s)", after, before or "empty")
