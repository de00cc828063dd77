"""Locust journeys for Engage (issue 9): residents answering the demo survey page by page with
CSRF tokens, Ask the Mayor questions, staff reading pages and exporting CSV.

Run it through bench/load_run.py, which prepares the database, starts gunicorn on 127.0.0.1 and
checks every confirmation against the database. Settings come from the environment:

    LOAD_RESULT_FILE   where to write confirmations and 5xx counts (JSON) when the run stops
    LOAD_STAFF         comma-separated staff emails; LOAD_STAFF_PASSWORD their password
    LOAD_SHAPE=step    stepped load: LOAD_STEP_USERS more users every LOAD_STEP_SECONDS, up to
                       LOAD_MAX_USERS, then stop (find the knee)
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

from locust import HttpUser, LoadTestShape, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')
REFERENCE = re.compile(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")
MAYOR_REFERENCE = re.compile(r"\b(AM-?[A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{4}-[A-Z0-9]{4})\b")
RESULTS: dict[str, Any] = {"survey_references": [], "mayor_confirmations": 0,
                           "status_5xx": 0, "exports": 0, "export_rows": 0}
_staff = itertools.cycle([e for e in os.environ.get("LOAD_STAFF", "").split(",") if e])


def _journeys(count: int = 200, seed: int = 11) -> list[list[tuple[str, dict[str, list[str]]]]]:
    import surveys
    from engage.demo.answers import generate_answers
    from engage.demo.surveys import demo_definition

    definition = surveys.load_survey_or_raise(demo_definition())
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        answers = surveys.prune(definition, generate_answers(definition, rng))
        found.append([(p, surveys.to_form_data(definition, p, answers))
                      for p in surveys.path(definition, answers)])
    return found


JOURNEYS = _journeys()
SLUG = "residents-2026"
QUESTIONS = ["When will the lift at Brokesley Street be repaired?",
             "Can the Roman Road market stay open later on Saturdays?",
             "Why are the bins in Bow not collected on the right day?",
             "Will there be more youth clubs in Poplar this summer?"]


@events.request.add_listener
def _count_5xx(response: Any = None, **_kw: Any) -> None:
    if response is not None and getattr(response, "status_code", 0) >= 500:
        RESULTS["status_5xx"] += 1


@events.test_stop.add_listener
def _write_results(**_kw: Any) -> None:
    target = os.environ.get("LOAD_RESULT_FILE")
    if target:
        Path(target).write_text(json.dumps(RESULTS))


def _token(text: str) -> str:
    found = TOKEN.search(text)
    value = VALUE.search(found.group(0)) if found else None
    return value.group(1) if value else ""


class Resident(HttpUser):
    """Answers the whole demo survey like a browser: GET each page, POST it with its token."""

    weight = 6
    wait_time = between(0.5, 2)

    @task
    def answer_the_survey(self) -> None:
        self.client.cookies.clear()
        journey = random.choice(JOURNEYS)
        start = self.client.get(f"/s/{SLUG}/", name="/s/[slug]/")
        token = _token(start.text)
        self.client.post(f"/s/{SLUG}/start", data={"csrf_token": token}, name="/s/[slug]/start")
        for page_id, form in journey:
            page = self.client.get(f"/s/{SLUG}/q/{page_id}", name="/s/[slug]/q/[page]")
            token = _token(page.text) or token
            self.client.post(f"/s/{SLUG}/q/{page_id}", data={**form, "csrf_token": token},
                             name="/s/[slug]/q/[page]")
        check = self.client.get(f"/s/{SLUG}/check", name="/s/[slug]/check")
        done = self.client.post(f"/s/{SLUG}/submit", data={"csrf_token": _token(check.text)
                                                            or token}, name="/s/[slug]/submit")
        found = REFERENCE.search(done.text)
        if done.status_code == 200 and found:
            RESULTS["survey_references"].append(found.group(1))


class MayorAsker(HttpUser):
    """Puts a question to the Mayor through the public form."""

    weight = 2
    wait_time = between(1, 3)

    @task
    def ask(self) -> None:
        self.client.cookies.clear()
        form = self.client.get("/ask-the-mayor")
        topic = next((VALUE.search(tag) for tag in re.findall(r'<input[^>]*name="topic"[^>]*>',
                                                              form.text)), None)
        sent = self.client.post("/ask-the-mayor", data={
            "csrf_token": _token(form.text), "question": random.choice(QUESTIONS),
            "topic": topic.group(1) if topic else "1", "ward": "bow-east", "consent": "yes"})
        if sent.status_code == 200 and "/ask-the-mayor/sent" in sent.url:
            RESULTS["mayor_confirmations"] += 1


class Staff(HttpUser):
    """Signs in once, then reads the staff pages and exports responses now and then."""

    weight = 1
    wait_time = between(2, 5)
    PAGES = ("/staff/", "/staff/surveys", "/staff/mayor/", "/staff/mayor/mine")

    def on_start(self) -> None:
        email = next(_staff, "")
        page = self.client.get("/auth/sign-in")
        self.client.post("/auth/sign-in", data={
            "csrf_token": _token(page.text), "email": email,
            "password": os.environ.get("LOAD_STAFF_PASSWORD", "")})
        self.export()  # every staff user exports at least once, even in a short run

    @task(4)
    def read(self) -> None:
        self.client.get(random.choice(self.PAGES))

    @task(1)
    def export(self) -> None:
        page = self.client.get("/staff/surveys")
        response = self.client.post(f"/staff/surveys/{SLUG}/responses.csv",
                                    data={"csrf_token": _token(page.text)},
                                    name="/staff/surveys/[slug]/responses.csv")
        if response.status_code == 200:
            RESULTS["exports"] += 1
            RESULTS["export_rows"] += max(0, response.text.count("\n") - 1)


if os.environ.get("LOAD_SHAPE") == "step":
    class StepLoad(LoadTestShape):
        """More users every step until the maximum, then stop: where p99 bends is the knee."""

        step = int(os.environ.get("LOAD_STEP_USERS", "5"))
        seconds = int(os.environ.get("LOAD_STEP_SECONDS", "30"))
        most = int(os.environ.get("LOAD_MAX_USERS", "40"))

        def tick(self) -> tuple[int, float] | None:
            level = int(self.get_run_time() // self.seconds) + 1
            users = level * self.step
            if users > self.most:
                return None
            return users, float(self.step)
