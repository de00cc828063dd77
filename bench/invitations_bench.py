"""Issue 19: sending 10,000 survey invitations to a local SMTP server (aiosmtpd) leaves the
resident question page's p99 within 20 % of its p99 without sending.

The set-up on 127.0.0.1: gunicorn (production settings, rate limits off) serving a published
survey; a contact list of --contacts people uploaded through the service (all-or-nothing
check included); an aiosmtpd server in its own process (niced, as the council's mail relay is
another machine) that accepts every message. An OPEN-LOOP
load asks for the survey's first question page (each resident thread has its own response in
progress, so the page is the real resident page) at --rate requests a second; each latency
counts from the request's scheduled time, so queueing shows.

Round 1 (baseline): residents only, --seconds long. Round 2: the same load while a separate
process (as `flask jobs-worker` would, at the jobs worker's lowered priority) runs the
`contacts.send` job for every contact at INVITATION_RATE (--send-rate) messages a second; the
round lasts until the job has finished. Round 3: residents only again (the machine's other load
drifts; the two residents-only rounds are pooled as the baseline). Reported: the p99s and
their ratio (goal ≤ 1.20), how long sending took, messages a second, and messages the SMTP
server received.

    python bench/invitations_bench.py --quick          # 500 contacts, short rounds (smoke)
    python bench/invitations_bench.py                  # 10,000 contacts
    ... --write docs/benchmarks.md                     # append the report

Exits 1 on a 5xx or when the SMTP server did not receive every message.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.http_bench import free_port, machine, start, stop, wait_until_up  # noqa: E402
from bench.survey_bench import pct  # noqa: E402

GOAL = 1.20
SLUG = "invitation-bench"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
T = lambda en: {"en": en}  # noqa: E731
DEFINITION = {
    "id": SLUG, "title": T("Invitation benchmark survey"), "language": "en", "languages": ["en"],
    "sections": [{"id": "main", "title": T("Main"), "pages": [
        {"id": "use", "questions": [{
            "id": "use", "type": "single-choice", "name": T("whether you use the library"),
            "title": T("Do you use the library?"),
            "options": [{"id": "yes", "text": T("Yes")}, {"id": "no", "text": T("No")}]}]},
        {"id": "why", "questions": [{
            "id": "why", "type": "long-text", "name": T("why"), "title": T("Why?")}]}]}],
}
SMTP_SCRIPT = """
import sys
from tests.smtp_server import SmtpServer
with SmtpServer(keep=False) as smtp:
    print(smtp.port, flush=True)
    sys.stdin.readline()
    print(smtp.count, flush=True)
"""
SEND_SCRIPT = """
import os, sys, time
from engage import create_app
from engage.services.collect import contact_sending; from engage.services.platform import jobs
from engage.models import Job
from engage.extensions import db
app = create_app()
with app.app_context():
    jobs.lower_priority(app)
    started = time.monotonic()
    job = contact_sending.start(int(sys.argv[1]), "invite", None)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    print(job.status, round(time.monotonic() - started, 2), job.result, job.error, flush=True)
"""


class SmtpProcess:
    """The aiosmtpd server in a separate, niced process: `.port`, and `.finish()` gives the count
    of messages it accepted."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SMTP_SCRIPT], cwd=REPO, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(REPO)}, preexec_fn=lambda: os.nice(10))
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def finish(self) -> int:
        out, _ = self.proc.communicate("done\n", timeout=60)
        return int(out.strip() or -1)


def build(env: dict[str, str], contacts: int) -> int:
    """Migrate, publish the survey, upload the contact list; the survey's id."""
    os.environ.update(env)
    from engage import create_app
    from engage.extensions import db
    from engage.migrating import upgrade_once
    from engage.models import Survey
    from engage.services.collect import contacts as service
    from engage.services.collect.published_surveys import publish_definition
    from engage.services.platform.accounts import create_user

    app = create_app()
    upgrade_once(app)
    with app.app_context():
        publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="1 year")
        officer = create_user("bench-officer@example.org", "engagement_officer",
                              "bench-password-" + secrets.token_hex(8))
        rows = "".join(f"resident{i}@example.org,Resident {i},\n" for i in range(contacts))
        started = time.perf_counter()
        service.upload(int(db.session.scalar(db.select(Survey.id).where(Survey.slug == SLUG))),
                       ("email,name,ward\n" + rows).encode(), officer)
        print(f"uploaded {contacts:,} contacts in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        survey_id = int(db.session.scalar(db.select(Survey.id).where(Survey.slug == SLUG)))
        db.session.remove()
        db.engine.dispose()
    return survey_id


def resident_session(base: str):  # type: ignore[no-untyped-def]
    """A resident with a response in progress, on the first question page."""
    import requests

    session = requests.Session()
    page = session.get(f"{base}/s/{SLUG}/", timeout=10)
    token = TOKEN.search(page.text)
    assert token, page.text[:500]
    reply = session.post(f"{base}/s/{SLUG}/start", data={"csrf_token": token.group(1)},
                         allow_redirects=False, timeout=10)
    assert reply.status_code == 303, reply.status_code
    return session


class Load:
    """Open-loop GETs of the question page from `threads` residents at `rate` per second."""

    def __init__(self, base: str, rate: float, threads: int) -> None:
        self.url = f"{base}/s/{SLUG}/q/use"
        self.sessions = [resident_session(base) for _ in range(threads)]
        self.rate = rate
        self.latencies: list[float] = []
        self.errors = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _run(self, index: int) -> None:
        session = self.sessions[index]
        every = len(self.sessions) / self.rate
        due = time.perf_counter() + index * every / len(self.sessions)
        while not self.stop.is_set():
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            try:
                status = session.get(self.url, timeout=30, allow_redirects=False).status_code
            except OSError:
                status = 599
            took = time.perf_counter() - due
            with self.lock:
                self.latencies.append(took)
                self.errors += status >= 500 or status != 200
            due += every

    def run_for(self, done: threading.Event | float) -> list[float]:
        """Run until `done` is set (or for that many seconds); the latencies (seconds)."""
        self.latencies, self.errors = [], 0
        self.stop.clear()
        workers = [threading.Thread(target=self._run, args=(i,), daemon=True)
                   for i in range(len(self.sessions))]
        for w in workers:
            w.start()
        if isinstance(done, threading.Event):
            done.wait()
        else:
            time.sleep(done)
        self.stop.set()
        for w in workers:
            w.join(timeout=35)
        return list(self.latencies)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="500 contacts, short rounds")
    ap.add_argument("--contacts", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=30, help="baseline round length")
    ap.add_argument("--rate", type=float, default=20, help="resident page requests a second")
    ap.add_argument("--threads", type=int, default=8, help="resident sessions")
    ap.add_argument("--send-rate", type=int, default=200, help="INVITATION_RATE (messages/s)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--write", default="", help="append the report to this Markdown file")
    args = ap.parse_args()
    if args.quick:
        args.contacts, args.seconds = 500, 8
    load_avg = " ".join(f"{x:.1f}" for x in os.getloadavg())
    smtp = SmtpProcess()
    with tempfile.TemporaryDirectory(prefix="engage-invite-") as tmp_name:
        tmp = Path(tmp_name)
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO), "ENGAGE_ENV": "production",
               "SECRET_KEY": secrets.token_urlsafe(48), "ENGAGE_INSECURE_COOKIES": "1",
               "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}", "RATELIMIT_ENABLED": "0",
               "RATELIMIT_STORAGE_URI": "memory://", "REDIS_URL": "redis://127.0.0.1:6379/14",
               "BASE_URL": f"http://127.0.0.1:{port}",
               "TRUSTED_HOSTS": "127.0.0.1,localhost", "JOBS_MODE": "sync",
               "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
               "INVITATION_RATE": str(args.send_rate)}
        for key in ("FLASK_DEBUG", "ENGAGE_DEBUG"):
            env.pop(key, None)
        survey_id = build(env, args.contacts)
        log = tmp / "gunicorn.log"
        proc = start("engage:create_app()", port, ["-w", str(args.workers), "-k", "gthread",
                                              "--threads", "4"], env, log)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/s/{SLUG}/", proc, log)
            load = Load(base, args.rate, args.threads)
            load.run_for(2.0)  # warm up
            baseline = load.run_for(args.seconds)
            base_errors = load.errors
            done = threading.Event()
            outcome: list[str] = []

            def send() -> None:
                sender = subprocess.run([sys.executable, "-c", SEND_SCRIPT, str(survey_id)],
                                        cwd=REPO, env=env, capture_output=True, text=True,
                                        timeout=3600)
                outcome.append(sender.stdout.strip() or sender.stderr[-2000:])
                done.set()

            started = time.perf_counter()
            threading.Thread(target=send, daemon=True).start()
            sending = load.run_for(done)
            took = time.perf_counter() - started
            send_errors = load.errors
            after = load.run_for(args.seconds)  # residents only again: the machine drifts
            base_errors += load.errors
        finally:
            stop(proc)
            received = smtp.finish()
    p99_before, p99_after = pct(baseline, 0.99), pct(after, 0.99)
    p99_base, p99_send = pct(baseline + after, 0.99), pct(sending, 0.99)
    ratio = p99_send / p99_base if p99_base else float("inf")
    lines = [
        f"- Command: `python bench/invitations_bench.py{' --quick' if args.quick else ''}` "
        f"({args.contacts:,} contacts; resident load {args.rate:g} requests/s open loop from "
        f"{args.threads} sessions; gunicorn {args.workers} gthread workers; INVITATION_RATE "
        f"{args.send_rate}/s; SQLite)",
        *[f"- {line}" for line in machine(load_avg)],
        "- The SMTP server ran in its own process at nice 10, the sender at the jobs worker's "
        "lowered priority.",
        "",
        "| Round | Requests | p50 ms | p99 ms | Errors |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| Residents only, before ({args.seconds:g} s) | {len(baseline):,} | "
        f"{pct(baseline, 0.5):.1f} | {p99_before:.1f} | |",
        f"| Residents while sending ({took:.0f} s) | {len(sending):,} | "
        f"{pct(sending, 0.5):.1f} | {p99_send:.1f} | {send_errors} |",
        f"| Residents only, after ({args.seconds:g} s) | {len(after):,} | "
        f"{pct(after, 0.5):.1f} | {p99_after:.1f} | |",
        f"| Residents only, both | {len(baseline) + len(after):,} | "
        f"{pct(baseline + after, 0.5):.1f} | {p99_base:.1f} | {base_errors} |",
        "",
        f"- p99 while sending / p99 without (both rounds without): **{ratio:.2f}** "
        f"(goal ≤ {GOAL:.2f})",
        f"- Sending: {received:,} messages received by the SMTP server in {took:.1f} s "
        f"({received / took:.0f} messages/s); job: `{outcome[0][:300] if outcome else '?'}`",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        with open(args.write, "a", encoding="utf-8") as out:
            out.write("\n" + report + "\n")
    ok = received == args.contacts and base_errors == 0 and send_errors == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
