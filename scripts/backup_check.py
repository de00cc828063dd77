"""Back up Engage's PostgreSQL database and prove the backup restores (issue 21).

    .venv/bin/python scripts/backup_check.py DATABASE_URL [--dump FILE] [--jobs N]
        [--restore-db NAME] [--keep-restored] [--json OUT]

1. Opens a read-only REPEATABLE READ transaction on the database and exports its snapshot.
2. ``pg_dump --format=custom --snapshot=...``: the dump is exactly that snapshot, however busy
   the service is meanwhile.
3. Counts the rows of every table (and reads the alembic revision) in the same snapshot, so
   the counts are those of the dump, not of a moment later.
4. Creates a fresh database (DATABASE_restore_check_PID unless --restore-db), restores the dump
   into it with ``pg_restore --exit-on-error``, counts again, and compares: every table, its
   rows, the number of indexes, and the alembic revision.
5. Drops the restored database (unless --keep-restored) and, without --dump, the dump file.

Exit status 0: identical; 1: a difference (listed); 2: the dump or restore failed. DATABASE_URL is
a libpq URL (postgresql://user@host:5432/engage); the SQLAlchemy form (postgresql+psycopg://)
is accepted too. The password comes from the URL, PGPASSWORD or ~/.pgpass. The role needs
CREATEDB (or give --restore-db an empty database it owns). pg_dump and pg_restore must be at
least the server's major version (PG_BIN names their folder, default: found on PATH).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

TABLES = """SELECT schemaname, tablename FROM pg_tables
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY schemaname, tablename"""
INDEXES = """SELECT count(*) FROM pg_indexes
             WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"""


@dataclass
class Census:
    """What a database holds: rows per table, how many indexes, the alembic revision."""

    rows: dict[str, int] = field(default_factory=dict)
    indexes: int = 0
    revision: str | None = None


def libpq_url(url: str) -> str:
    """A libpq connection string from a libpq or SQLAlchemy URL."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def census(conn: psycopg.Connection) -> Census:
    """Count every table's rows in the connection's current transaction."""
    found = Census()
    for schema, table in conn.execute(TABLES).fetchall():
        name = f"{schema}.{table}"
        found.rows[name] = int(conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(schema, table))).fetchone()[0])
    found.indexes = int(conn.execute(INDEXES).fetchone()[0])
    if "public.alembic_version" in found.rows:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        found.revision = row[0] if row else None
    return found


def differences(source: Census, restored: Census) -> list[str]:
    """Each way the restored database differs from the source (empty: identical)."""
    out = []
    for name in sorted(set(source.rows) | set(restored.rows)):
        a, b = source.rows.get(name), restored.rows.get(name)
        if a != b:
            out.append(f"{name}: {a if a is not None else 'missing'} rows in the source, "
                       f"{b if b is not None else 'missing'} restored")
    if source.indexes != restored.indexes:
        out.append(f"indexes: {source.indexes} in the source, {restored.indexes} restored")
    if source.revision != restored.revision:
        out.append(f"alembic revision: {source.revision} in the source, "
                   f"{restored.revision} restored")
    return out


def _tool(name: str) -> str:
    folder = os.environ.get("PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install the PostgreSQL client or set PG_BIN")
    return found


def _run(argv: list[str], password: str | None) -> float:
    """Run a PostgreSQL tool; the password goes in its environment, never on its command line
    (where `ps` would show it)."""
    env = dict(os.environ, **({"PGPASSWORD": password} if password else {}))
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False,  # noqa: S603
                          env=env)
    if done.returncode != 0:
        print(f"{Path(argv[0]).name} failed:\n{done.stderr.strip()}", file=sys.stderr)
        raise SystemExit(2)
    return time.perf_counter() - start


def check(url: str, dump: Path, restore_db: str = "", jobs: int = 2,
          keep_restored: bool = False) -> dict[str, object]:
    """Dump, restore, compare; the report (see ``main`` for the exit status)."""
    source_url = libpq_url(url)
    params = conninfo_to_dict(source_url)
    password = params.pop("password", None)
    bare_url = make_conninfo("", **params)  # for the tools' command lines: no password
    source_name = params.get("dbname") or "engage"
    target = restore_db or f"{source_name}_restore_check_{os.getpid()}"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", target):
        raise SystemExit(f"not a plain database name: {target!r}")
    target_url = make_conninfo(source_url, dbname=target)
    target_bare = make_conninfo(bare_url, dbname=target)
    report: dict[str, object] = {"source": source_name, "restored_into": target,
                                 "dump": str(dump)}
    with psycopg.connect(source_url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        report["dump_s"] = round(_run([
            _tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}",
            f"--file={dump}", f"--dbname={bare_url}"], password), 2)
        source = census(conn)
        conn.rollback()
    report["dump_bytes"] = dump.stat().st_size
    created = False
    admin_url = make_conninfo(source_url, dbname="postgres")
    try:
        if not restore_db:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
            created = True
        report["restore_s"] = round(_run([
            _tool("pg_restore"), "--exit-on-error", "--no-owner", "--no-privileges",
            f"--jobs={max(1, jobs)}", f"--dbname={target_bare}", str(dump)], password), 2)
        with psycopg.connect(target_url) as conn:
            restored = census(conn)
    finally:
        if created and not keep_restored:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target)))
    report.update(tables=len(source.rows), rows=sum(source.rows.values()),
                  source_census=asdict(source), restored_census=asdict(restored),
                  differences=differences(source, restored),
                  kept_restored=bool(keep_restored or restore_db))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--dump", default="", help="keep the dump here (default: a temporary "
                        "file, removed afterwards)")
    parser.add_argument("--restore-db", default="", help="restore into this existing, empty "
                        "database instead of creating (and dropping) one")
    parser.add_argument("--keep-restored", action="store_true")
    parser.add_argument("--jobs", type=int, default=2, help="pg_restore --jobs")
    parser.add_argument("--json", default="", help="write the report here as JSON")
    args = parser.parse_args(argv)
    folder = None
    if args.dump:
        dump = Path(args.dump)
    else:
        folder = tempfile.mkdtemp(prefix="engage-backup-check-")
        dump = Path(folder) / "engage.dump"
    try:
        report = check(args.database_url, dump, args.restore_db, args.jobs,
                       args.keep_restored)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    found = report["differences"]
    print(f"{report['source']}: {report['tables']} tables, {report['rows']} rows, revision "
          f"{report['source_census']['revision']}; dump {report['dump_bytes']} bytes in "
          f"{report['dump_s']} s, restored into {report['restored_into']} in "
          f"{report['restore_s']} s")
    if found:
        print("DIFFERENT:\n  " + "\n  ".join(found))
        return 1
    print("Restored database identical: same tables, row counts, indexes and revision.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
