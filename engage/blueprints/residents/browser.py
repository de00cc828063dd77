"""Which unsent response this browser is answering for each survey, kept in the session cookie,
and forgotten when the browser has been idle too long (shared computers, R-idle)."""

from __future__ import annotations

import time

from flask import current_app, session

from engage.blueprints.residents import invited

# "surveys_at" is refreshed by saves, and by page views at most every TOUCH_SECONDS (so the
# session cookie does not change on every page).
TOUCH_SECONDS = 300


def idle() -> bool:
    at = session.get("surveys_at")
    limit = current_app.config["RESIDENT_IDLE_MINUTES"] * 60
    return isinstance(at, int) and time.time() - at > limit


def touch(force: bool = False) -> None:
    at = session.get("surveys_at")
    if force or not isinstance(at, int) or time.time() - at > TOUCH_SECONDS:
        session["surveys_at"] = int(time.time())


def forget_all() -> None:
    """Forget every unsent response, resume link and reference this browser holds."""
    for key in ("surveys", "surveys_at", "resume", "done", invited.RESUMED_KEY):
        session.pop(key, None)


def response_id(slug: str, keep_if_idle: bool = False) -> int | None:
    """This browser's response to the survey; none once the browser has been idle too long.

    keep_if_idle: a page of answers being sent now (typed by whoever is at the keyboard)."""
    if not keep_if_idle and session.get("surveys") and idle():
        forget_all()
    found = session.get("surveys", {}).get(slug)
    if isinstance(found, int):
        touch()
        return int(found)
    return None


def bind(slug: str, response_id: int | None) -> None:
    bound = dict(session.get("surveys", {}))
    if response_id is None:
        bound.pop(slug, None)
    else:
        bound[slug] = response_id
        touch(force=True)
    session["surveys"] = bound


def forget(slug: str) -> None:
    """Forget this survey's unsent answers, resume link and reference in this browser."""
    bind(slug, None)
    if (session.get("resume") or {}).get("slug") == slug:
        session.pop("resume", None)
    done = dict(session.get("done", {}))
    if done.pop(slug, None) is not None:
        session["done"] = done
