"""Issue 15, shared computers: "Start again" from any page of a survey forgets this browser's
unsent answers; a browser idle for 30 minutes, or one that has just sent its answers, no longer
offers the previous person's answers (R10)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.engage.test_runner import SLUG, _answer, _begin, _complete, survey
from tests.pages import check_page, csrf_token

pytestmark = pytest.mark.usefixtures(survey.__name__)

FIRST = "Open on Sundays please, my name is Rahima and I live at 4 Bow Road"


def _start_again(client: FlaskClient, page: str) -> Any:
    soup = check_page(client.get(page))
    form = soup.select_one("form.app-start-again")
    assert form is not None, page
    assert form.select_one("#start-again").get_text(strip=True) == "Start again"
    token = str(form.find("input", attrs={"name": "csrf_token"})["value"])
    return client.post(form["action"], data={"csrf_token": token})


@pytest.mark.parametrize("page", ["q/use", "q/improve", "check", ""])
def test_start_again_from_any_page_forgets_the_answers(client: FlaskClient, page: str) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "no"})
    _answer(client, "improve", {"q-improve": FIRST})
    response = _start_again(client, f"/s/{SLUG}/{page}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/s/{SLUG}/?cleared=1")
    soup = check_page(client.get(response.headers["Location"]))
    assert "cleared from this browser" in soup.select_one(".govuk-notification-banner").get_text()
    assert "Start now" in soup.get_text() and "Continue your answers" not in soup.get_text()
    # The next person: Start now begins on page 1, and no page shows the first person's text.
    location = client.post(f"/s/{SLUG}/start",
                           data={"csrf_token": csrf_token(client, f"/s/{SLUG}/")})
    assert location.headers["Location"].endswith(f"/s/{SLUG}/q/use")
    for other in ("q/use", "q/improve", "check"):
        body = client.get(f"/s/{SLUG}/{other}").get_data(as_text=True)
        assert FIRST not in body and 'checked' not in body.split("q-use-2")[0][-200:]


def test_start_again_needs_a_csrf_token(client: FlaskClient) -> None:
    _begin(client)
    assert client.post(f"/s/{SLUG}/start-again").status_code == 400


def test_start_again_in_bengali(client: FlaskClient) -> None:
    _begin(client)
    soup = check_page(client.get(f"/s/{SLUG}/q/use?lang=bn"), lang="bn")
    button = soup.select_one("#start-again").get_text(strip=True)
    assert button and button != "Start again"


def test_an_idle_browser_forgets_the_unsent_answers(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "no"})
    with client.session_transaction() as sess:
        sess["surveys_at"] = int(time.time()) - 31 * 60
    start = check_page(client.get(f"/s/{SLUG}/"))
    assert "Start now" in start.get_text()
    response = client.post(f"/s/{SLUG}/start",
                           data={"csrf_token": csrf_token(client, f"/s/{SLUG}/")})
    assert response.headers["Location"].endswith(f"/s/{SLUG}/q/use")
    soup = check_page(client.get(f"/s/{SLUG}/q/use"))
    assert not any(i.has_attr("checked") for i in soup.select("input[name=q-use]"))


def test_a_long_answer_sent_after_30_minutes_is_kept(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "no"})
    token = csrf_token(client, f"/s/{SLUG}/q/improve")
    with client.session_transaction() as sess:
        sess["surveys_at"] = int(time.time()) - 45 * 60  # writing took 45 minutes
    response = client.post(f"/s/{SLUG}/q/improve", data={"csrf_token": token,
                                                         "q-improve": FIRST})
    assert response.headers["Location"].endswith(f"/s/{SLUG}/check")
    assert FIRST in client.get(f"/s/{SLUG}/check").get_data(as_text=True)


def test_after_the_confirmation_the_next_person_starts_afresh(client: FlaskClient) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "no"})
    save = client.post(f"/s/{SLUG}/q/improve", data={
        "csrf_token": csrf_token(client, f"/s/{SLUG}/q/improve"), "q-improve": FIRST,
        "action": "save"})
    assert save.headers["Location"].endswith(f"/s/{SLUG}/saved")
    _complete(client, use="no")
    token = csrf_token(client, f"/s/{SLUG}/check")
    assert client.post(f"/s/{SLUG}/submit", data={"csrf_token": token}).status_code == 303
    check_page(client.get(f"/s/{SLUG}/done"))
    # The previous person's resume link is no longer offered; Start now begins afresh.
    assert client.get(f"/s/{SLUG}/saved").status_code == 303
    start = check_page(client.get(f"/s/{SLUG}/"))
    assert "Start now" in start.get_text()
    response = client.post(f"/s/{SLUG}/start",
                           data={"csrf_token": csrf_token(client, f"/s/{SLUG}/")})
    assert response.headers["Location"].endswith(f"/s/{SLUG}/q/use")
    assert FIRST not in client.get(f"/s/{SLUG}/q/improve").get_data(as_text=True)
