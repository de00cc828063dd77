"""The streamed CSV export through gunicorn, as bench/scale_bench.py measures it, for one source
tree (to compare two commits on the same database: a `git archive` copy and the worktree).

    python bench/csv_export_http.py TREE postgresql+psycopg://...scale_bench

Creates an administrator of its own in the database (once), starts gunicorn from TREE
(`-w 2 -k gthread --threads 4`, production settings), exports `residents-2026` four times and
prints the median rows/s of the last three.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

EMAIL, PASSWORD = "csv-http-bench@example.org", "csv-http-bench-password-21"
GUNICORN = ["-w", "2", "-k", "gthread", "--threads", "4", "--timeout", "600"]


def main() -> int:
    tree, url = Path(sys.argv[1]).resolve(), sys.argv[2]
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    from bench import scale_bench as sb
    from bench.http_bench import free_port, start, stop, wait_until_up

    env = sb.server_env(url)
    os.environ.update(env)
    with sb.app_for(url).app_context():
        from sqlalchemy import select

        from engage.extensions import db
        from engage.models import User
        from engage.services.platform.accounts import create_user

        if db.session.scalar(select(User).where(User.email == EMAIL)) is None:
            create_user(EMAIL, "admin", PASSWORD, name="CSV bench")
        db.session.remove()
        db.engine.dispose()
    tmp = Path(tempfile.mkdtemp(prefix="csv-http-"))
    port = free_port()
    proc = start("engage:create_app()", port, GUNICORN,
                 {**env, "PYTHONPATH": str(tree), "EXPORT_DIR": str(tmp)}, tmp / "g.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", proc, tmp / "g.log", limit=60)
        client = sb.Client(port)
        status, _, _, _ = client.request("POST", "/auth/sign-in", {
            "csrf_token": client.token("/auth/sign-in"), "email": EMAIL, "password": PASSWORD})
        if status != 303:
            sys.exit(f"sign-in answered {status}")
        token = client.token("/staff/surveys")
        pids = sb.worker_pids(proc.pid)
        runs = [sb.export_csv(client, "residents-2026", token, pids, []) for _ in range(4)][1:]
        rates = [r["rows_per_s"] for r in runs]
        print(json.dumps({"tree": str(tree), "rows": runs[0]["rows"], "bytes": runs[0]["bytes"],
                          "rows_per_s": [round(r) for r in rates],
                          "median": round(statistics.median(rates)),
                          "load": [round(x, 1) for x in os.getloadavg()]}))
    finally:
        stop(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
