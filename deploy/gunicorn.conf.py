"""gunicorn settings for Engage: migrate once in the master, before any worker starts (R6).

    gunicorn -c deploy/gunicorn.conf.py -w 4 -b 127.0.0.1:8000 'engage:create_app()'

Several hosts starting together are safe too: the migration takes a database-wide lock
(engage/migrating.py). Set ENGAGE_MIGRATE_ON_START=0 to migrate separately instead.

In production with rate limits on, more than one worker needs REDIS_URL (or
RATELIMIT_STORAGE_URI): the start is refused otherwise, as each worker would keep its own counts.
Sign-in and two-step throttles are counted in the database and hold regardless.
"""

from __future__ import annotations

import os
from typing import Any

control_socket_disable = True  # gunicorn 27: no control socket (as --no-control-socket)

# The staff pool (deploy/systemd/engage-staff.service sets ENGAGE_POOL=staff) is sized on its
# own, so that WEB_CONCURRENCY (which gunicorn reads) sizes the residents' pool.
if os.environ.get("ENGAGE_POOL") == "staff":
    workers = int(os.environ.get("STAFF_WEB_CONCURRENCY", "2"))


def on_starting(server: Any) -> None:
    """Before forking workers: refuse several workers whose rate limits would each be kept in
    their own memory (S23), then bring the database to the newest revision, under the lock."""
    from engage import create_app
    from engage.config import check_workers

    app = create_app()
    check_workers(app.config, server.cfg.workers)
    if os.environ.get("ENGAGE_MIGRATE_ON_START", "1") == "0":
        return
    from engage.migrating import upgrade_once

    before, after = upgrade_once(app)
    server.log.info("database revision %s (was %s)", after, before or "empty")
