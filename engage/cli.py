"""flask commands: create-user, demo."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from engage.extensions import db
from engage.models import ROLES, User
from engage.services.platform import accounts
from surveys.errors import NotFound

DEMO_PASSWORD_FILE = "demo-login.txt"  # noqa: S105 - a file name


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="The staff member's email address.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Their role.")
@click.option("--name", default="", help="Their name.")
@click.option("--organisation", default="", help="Their organisation (for partners).")
def create_user_command(email: str, role: str, name: str, organisation: str) -> None:
    """Create a staff account. The password comes from ENGAGE_NEW_PASSWORD or a prompt."""
    password = os.environ.get("ENGAGE_NEW_PASSWORD")
    if not password:
        password = click.prompt("Password (12 characters or more)", hide_input=True,
                                confirmation_prompt=True)
    try:
        user = accounts.create_user(email, role, password, name=name, organisation=organisation)
    except accounts.AccountError as exc:
        from engage.forms.messages import PASSWORD_PROBLEMS

        text = {
            "email_taken": "An account with that email address already exists",
            "bad_email": "Enter an email address in the correct format, like name@example.com",
            "unknown_role": "Choose one of the roles listed",
        }.get(exc.code)
        if text is None:
            with current_app.test_request_context():  # lazy strings need a locale
                text = str(PASSWORD_PROBLEMS.get(exc.code, exc.code))
        raise click.ClickException(text) from exc
    click.echo(f"Created {user.email} ({user.role})")


DEMO_STAFF = [
    ("admin@engage.example", "admin", "Demo Administrator"),
    ("officer@engage.example", "engagement_officer", "Demo Engagement Officer"),
    ("analyst@engage.example", "analyst", "Demo Analyst"),
    ("moderator@engage.example", "moderator", "Demo Moderator"),
    ("member@engage.example", "group_member", "Demo Group Member"),
    ("partner@engage.example", "partner_viewer", "Demo Partner Viewer"),
    ("interviewer@engage.example", "interviewer", "Demo Interviewer"),
]
# Partner staff who update their own organisation's actions in the demo plan (issue 18).
DEMO_PARTNERS = [
    ("council@engage.example", "Tower Hamlets Council", "Demo Council Partner"),
    ("police@engage.example", "Metropolitan Police", "Demo Police Partner"),
]


def _demo_password() -> str:
    """The demo staff password: from ENGAGE_DEMO_PASSWORD, else made once and kept in instance/."""
    given = os.environ.get("ENGAGE_DEMO_PASSWORD")
    if given:
        return given
    path = Path(current_app.instance_path) / DEMO_PASSWORD_FILE
    if path.exists():
        return path.read_text("utf-8").strip()
    password = "demo-" + secrets.token_urlsafe(12)
    path.write_text(password + "\n", "utf-8")
    path.chmod(0o600)
    return password


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load demo data (idempotent): staff accounts for every role, then each feature's demo."""
    from engage import demo

    password = _demo_password()
    created = 0
    for email, role, name in DEMO_STAFF:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            accounts.create_user(email, role, password, name=name,
                                 organisation="Demo Partnership")
            created += 1
    for email, organisation, name in DEMO_PARTNERS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            accounts.create_user(email, "partner_viewer", password, name=name,
                                 organisation=organisation)
            click.echo(f"Created {email} (partner viewer, {organisation})")
    for line in demo.load_all():
        click.echo(line)
    existing = len(DEMO_STAFF) - created
    click.echo(f"Demo staff accounts: {created} created, {existing} already there.")
    click.echo("Sign in at http://127.0.0.1:5000/auth/sign-in with:")
    click.echo(f"  email:    {DEMO_STAFF[0][0]}  (other roles: "
               + ", ".join(e for e, _, _ in DEMO_STAFF[1:]) + ")")
    click.echo(f"  password: {password}")
    note = two_step_note()
    if note:
        click.echo(note)


def two_step_note() -> str:
    """What the demo says about two-step verification: who must use it (issue 19)."""
    from engage.services.platform import settings

    required = settings.two_step_roles()
    if not required:
        return ""
    return ("Two-step verification is required for: " + ", ".join(required)
            + ". The demo administrator is asked to set it up (with an authenticator app) after"
            " signing in; change who must use it at /staff/users/two-step-rules.")


@click.command("purge-partials")
@with_appcontext
def purge_partials_command() -> None:
    """Delete unsent survey answers whose resume period has ended (run it daily, e.g. from cron)."""
    from engage.services.collect.responses import purge_expired

    click.echo(f"Deleted {purge_expired()} expired partial response(s).")


@click.command("purge-subscriptions")
@with_appcontext
def purge_subscriptions_command() -> None:
    """Delete consultation email addresses never confirmed within their link's 7 days (run it
    daily, e.g. from cron)."""
    from engage.services.collect.consultations.subscriptions import purge_unconfirmed

    click.echo(f"Deleted {purge_unconfirmed()} unconfirmed subscription(s).")


@click.command("purge-expired-surveys")
@with_appcontext
@click.option("--now", "now_text", default="", help="Pretend it is this UTC date-time (ISO).")
def purge_expired_surveys_command(now_text: str) -> None:
    """Delete responses past their survey's retention date, with the quotes, theme assignments
    and weights made from them (run it daily, e.g. from cron)."""
    from datetime import UTC, datetime

    from engage.services.collect.privacy import purge_expired_responses

    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as exc:
            raise click.ClickException("Give --now as a date-time like 2027-01-31T02:00") from exc
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    result = purge_expired_responses(now)
    removed = result.removed
    click.echo(f"Deleted {removed.responses} response(s) past their retention date, "
               f"{removed.free_texts} free-text answer(s), {removed.analysis_texts} analysis "
               f"text(s) and {removed.weights} weight(s).")
    for slug, count in sorted(result.by_survey.items()):
        click.echo(f"  {slug}: {count}")
    click.echo(f"Deleted {result.contacts} contact(s) past their list's retention date.")


@click.command("jobs-worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def jobs_worker_command(burst: bool) -> None:
    """Run the background job worker on the Redis queue (needs REDIS_URL)."""
    from engage.services.platform import jobs

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("Set REDIS_URL: without Redis, jobs run inside the web app.")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs.lower_priority(app)  # R5: resident requests come first on a shared host
    jobs.run_rq_worker(app, burst=burst)


@click.command("recover-jobs")
@with_appcontext
def recover_jobs_command() -> None:
    """Fail jobs whose worker died; hand jobs queued too long to the worker again."""
    from engage.services.platform import jobs

    done = jobs.recover_stale_jobs()
    click.echo(f"Marked {len(done.failed)} stopped job(s) as failed; "
               f"handed {len(done.redispatched)} waiting job(s) to the worker again.")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Start the survey reminders whose time has come (run it every few minutes from cron)."""
    from engage.services.collect.contact_sending import send_due_reminders

    started = send_due_reminders()
    click.echo(f"Started {len(started)} reminder job(s).")


@click.command("record-bounce")
@click.argument("addresses", nargs=-1)
@click.option("--dsn", "dsn", type=click.File("rb"),
              help="A bounce email (delivery status notification) to read; - for stdin.")
@click.option("--detail", default="", help="The mail server's reason, shown on the list.")
@click.option("--survey", "slug", default=None, help="Only this survey's contact list.")
@with_appcontext
def record_bounce_command(addresses: tuple[str, ...], dsn: Any, detail: str,
                          slug: str | None) -> None:
    """Record a message that bounced after it was sent (by address, or from the bounce email a
    mail server sent back): the contact shows as bounced and gets no more reminders."""
    from engage.services.collect import contact_bounces

    found = [contact_bounces.Bounce(a, detail) for a in addresses]
    if dsn is not None:
        found += contact_bounces.read_dsn(dsn.read(1024 * 1024))
    if not found:
        raise click.UsageError("Give an email address or mobile number, or --dsn.")
    total = 0
    for bounce in found:
        try:
            total += contact_bounces.record(bounce.address, bounce.detail or detail, slug)
        except ValueError:
            raise click.UsageError(f"Not an email address or UK mobile number: "
                                   f"{bounce.address}") from None
        except NotFound:
            raise click.UsageError(f"No survey with the slug {slug}") from None
    click.echo(f"Recorded a bounce for {total} contact(s).")


@click.command("upgrade-db")
def upgrade_db_command() -> None:
    """Migrate the database to the newest revision, once, even if several processes start."""
    from engage.migrating import upgrade_once

    before, after = upgrade_once(current_app._get_current_object())  # type: ignore[attr-defined]
    if before == after:
        click.echo(f"Database already at revision {after}.")
    else:
        click.echo(f"Migrated the database from {before or 'empty'} to {after}.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(purge_partials_command)
    app.cli.add_command(purge_subscriptions_command)
    app.cli.add_command(jobs_worker_command)
    app.cli.add_command(upgrade_db_command)
    app.cli.add_command(recover_jobs_command)
    app.cli.add_command(purge_expired_surveys_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(record_bounce_command)
