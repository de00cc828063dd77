"""The survey runner: every page type, routing, check answers, submit, save and resume."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engage.extensions import db
from engage.models import FreeTextAnswer, Response
from engage.models._types import utcnow
from engage.services.collect import responses
from engage.services.collect.published_surveys import publish_definition, published_survey
from engage.services.platform.references import PATTERN
from engage.services.platform.transactions import DatabaseUnavailable
from tests.pages import check_page, error_summary
from tests.smtp_server import SmtpServer

T = lambda en, bn=None: {"en": en, **({"bn": bn} if bn else {})}  # noqa: E731

DEFINITION: dict[str, Any] = {
    "id": "library-survey",
    "title": T("Library survey", "লাইব্রেরি জরিপ"),
    "description": T("Tell us about libraries.", "লাইব্রেরি সম্পর্কে বলুন।"),
    "language": "en",
    "languages": ["en", "bn"],
    "estimated_minutes": 3,
    "sections": [{
        "id": "main", "title": T("Libraries", "লাইব্রেরি"),
        "pages": [
            {"id": "use", "questions": [{
                "id": "use", "type": "single-choice", "name": T("whether you use the library"),
                "title": T("Do you use the library?", "আপনি কি লাইব্রেরি ব্যবহার করেন?"),
                "options": [{"id": "yes", "text": T("Yes", "হ্যাঁ")},
                            {"id": "no", "text": T("No", "না")}]}],
             "routing": [{"when": {"op": "equals", "question": "use", "value": "no"},
                          "go_to": {"page": "improve"}}]},
            {"id": "often", "questions": [{
                "id": "often", "type": "number", "name": T("how many times a month"),
                "title": T("How many times a month do you go?", "মাসে কতবার যান?"),
                "min": 0, "max": 31}]},
            {"id": "improve", "questions": [{
                "id": "improve", "type": "long-text", "max_words": 50,
                "name": T("what would improve it"),
                "title": T("What would improve the library?", "কী করলে লাইব্রেরি ভালো হবে?")}]},
        ],
    }],
}
SLUG = "library-survey"


@pytest.fixture
def survey(app: Flask) -> Any:
    publish_definition(DEFINITION, lawful_basis="Public task", privacy_notice="We keep it 1 year")
    return published_survey(SLUG)


def _token(response) -> str:  # type: ignore[no-untyped-def]
    soup = check_page(response)
    return str(soup.find("input", attrs={"name": "csrf_token"})["value"])


def _begin(client: FlaskClient) -> str:
    token = _token(client.get(f"/s/{SLUG}/"))
    response = client.post(f"/s/{SLUG}/start", data={"csrf_token": token})
    assert response.status_code == 303
    return str(response.headers["Location"])


def _answer(client: FlaskClient, page: str, data: dict[str, str]) -> Any:
    url = f"/s/{SLUG}/q/{page}"
    token = _token(client.get(url))
    return client.post(url, data={"csrf_token": token, **data})


def _answer_with_errors(client: FlaskClient, page: str, data: dict[str, str],
                        lang: str | None = None) -> Any:
    """Send a page that has errors: it comes back by a redirect (post/redirect/get)."""
    response = _answer(client, page, data)
    assert response.status_code == 303, response.status_code
    assert response.headers["Location"] == f"/s/{SLUG}/q/{page}"
    return check_page(client.get(response.headers["Location"]), lang=lang)


def _stored() -> Response:
    return db.session.scalars(select(Response)).one()


def _complete(client: FlaskClient, use: str = "yes") -> None:
    _begin(client)
    _answer(client, "use", {"q-use": use})
    if use == "yes":
        _answer(client, "often", {"q-often": "4"})
    _answer(client, "improve", {"q-improve": "Open on Sundays please"})


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_start_page(client: FlaskClient, survey: Any, lang: str) -> None:
    soup = check_page(client.get(f"/s/{SLUG}/?lang={lang}"), lang=lang)
    text = soup.get_text()
    assert ("Library survey" if lang == "en" else "লাইব্রেরি জরিপ") in soup.find("h1").get_text()
    assert "Public task" in text and "We keep it 1 year" in text
    assert soup.select_one("form button.govuk-button--start")


def test_unknown_survey_is_404(client: FlaskClient, app: Flask) -> None:
    check_page(client.get("/s/no-such-survey/"), status=404)


def test_pages_before_starting_go_to_the_start(client: FlaskClient, survey: Any) -> None:
    response = client.get(f"/s/{SLUG}/q/use")
    assert response.status_code == 303 and response.headers["Location"] == f"/s/{SLUG}/"


def test_each_page_is_saved_in_its_own_transaction(client: FlaskClient, survey: Any) -> None:
    assert _begin(client) == f"/s/{SLUG}/q/use"
    assert _stored().answers == {}
    response = _answer(client, "use", {"q-use": "yes"})
    assert response.headers["Location"] == f"/s/{SLUG}/q/often"
    stored = _stored()
    assert stored.answers == {"use": "yes"} and stored.current_page == "use"
    assert stored.status == "in_progress" and stored.channel == "online"


def test_page_shows_progress_back_link_and_heading(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    soup = check_page(client.get(f"/s/{SLUG}/q/often"))
    assert soup.select_one("#progress").get_text() == "Page 2 of up to 3"
    assert soup.select_one(".govuk-back-link")["href"] == f"/s/{SLUG}/q/use"
    assert soup.find("h1").get_text(strip=True) == "How many times a month do you go?"
    assert soup.select_one("input#q-often")["inputmode"] == "numeric"


def test_errors_keep_what_was_typed(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    soup = _answer_with_errors(client, "often", {"q-often": "forty"})
    messages = error_summary(soup)
    assert len(messages) == 1 and "number" in messages[0].lower()
    assert soup.select_one(".govuk-error-summary a")["href"] == "#q-often"
    assert soup.select_one("input#q-often")["value"] == "forty"
    assert soup.title.get_text().startswith("Error:")
    assert "often" not in _stored().answers


def test_missing_answer_message_uses_the_question_name(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    soup = _answer_with_errors(client, "use", {})
    assert error_summary(soup) == ["Select whether you use the library"]


def test_errors_in_bengali(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    client.get(f"/s/{SLUG}/q/use?lang=bn")
    soup = _answer_with_errors(client, "use", {}, lang="bn")
    message = error_summary(soup)[0]
    assert any("\u0980" <= ch <= "\u09ff" for ch in message), message


def test_routing_skips_a_page(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    response = _answer(client, "use", {"q-use": "no"})
    assert response.headers["Location"] == f"/s/{SLUG}/q/improve"
    # A page off the path cannot be opened directly.
    response = client.get(f"/s/{SLUG}/q/often")
    assert response.status_code == 303


def test_changed_answer_drops_off_path_answers_at_submit(client: FlaskClient,
                                                         survey: Any) -> None:
    _complete(client, use="yes")
    assert _stored().answers["often"] == 4
    response = _answer(client, "use", {"q-use": "no"})
    # Coming back from a change keeps the answer on file until submit...
    soup = check_page(client.get(f"/s/{SLUG}/check"))
    assert "How many times a month" not in soup.get_text()
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert "often" not in _stored().answers
    assert response.status_code == 303


def test_check_answers_and_change_link(client: FlaskClient, survey: Any) -> None:
    _complete(client)
    soup = check_page(client.get(f"/s/{SLUG}/check"))
    rows = soup.select(".govuk-summary-list__row")
    assert [r.select_one("dd").get_text(strip=True) for r in rows] == [
        "Yes", "4", "Open on Sundays please"]
    change = rows[1].select_one("a")["href"]
    assert change == f"/s/{SLUG}/q/often?return=check"
    page = check_page(client.get(change))
    assert page.select_one("input#q-often")["value"] == "4"  # never asked again from scratch
    assert page.select_one(".govuk-back-link")["href"] == f"/s/{SLUG}/check"
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(change, data={"csrf_token": token, "q-often": "6"})
    assert response.headers["Location"] == f"/s/{SLUG}/check"


def test_submit_gives_a_reference_and_stores_free_text(client: FlaskClient, survey: Any) -> None:
    _complete(client)
    token = _token(client.get(f"/s/{SLUG}/check"))
    response = client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert response.headers["Location"] == f"/s/{SLUG}/done"
    stored = _stored()
    assert stored.status == "submitted" and PATTERN.match(stored.reference)
    assert stored.submitted_at is not None and stored.resume_token_hash is None
    soup = check_page(client.get(f"/s/{SLUG}/done"))
    assert stored.reference in soup.select_one(".govuk-panel").get_text()
    texts = db.session.scalars(select(FreeTextAnswer)).all()
    assert [(t.question_id, t.text, t.language, t.channel) for t in texts] == [
        ("improve", "Open on Sundays please", "en", "online")]


def test_double_submit_gives_one_response_and_the_same_confirmation(client: FlaskClient,
                                                                    survey: Any) -> None:
    _complete(client)
    token = _token(client.get(f"/s/{SLUG}/check"))
    first = client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    second = client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"] == f"/s/{SLUG}/done"
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert db.session.scalar(select(func.count(FreeTextAnswer.id))) == 1


def test_concurrent_submits_give_one_reference(app: Flask, survey: Any) -> None:
    response_id = responses.start_response(survey, "en")
    responses.save_page(response_id, "use", {"use": "no"}, "en")
    responses.save_page(response_id, "improve", {"improve": "More books"}, "en")
    results: list[str] = []
    errors: list[BaseException] = []

    def go() -> None:
        with app.app_context():
            try:
                results.append(responses.submit(response_id, published_survey(SLUG)))
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=go) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(set(results)) == 1 and len(results) == 4
    db.session.expire_all()
    assert db.session.scalar(select(func.count(FreeTextAnswer.id))) == 1


def test_submit_refuses_an_incomplete_response(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    token = _token(client.get(f"/s/{SLUG}/q/often"))
    response = client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert response.headers["Location"] == f"/s/{SLUG}/q/often"
    assert _stored().status == "in_progress"


def test_save_and_resume_on_another_device(app: Flask, client: FlaskClient, survey: Any) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    token = _token(client.get(f"/s/{SLUG}/q/often"))
    response = client.post(f"/s/{SLUG}/q/often",
                           data={"csrf_token": token, "q-often": "3", "action": "save"})
    assert response.headers["Location"] == f"/s/{SLUG}/saved"
    soup = check_page(client.get(f"/s/{SLUG}/saved"))
    link = soup.select_one(".govuk-inset-text a")["href"]
    token_part = link.rsplit("/", 1)[1]
    assert len(token_part) >= 22  # at least 128 bits
    other = app.test_client()
    response = other.get(link.replace("http://localhost", ""))
    assert response.headers["Location"] == f"/s/{SLUG}/q/improve"
    page = check_page(other.get(f"/s/{SLUG}/q/often"))
    assert page.select_one("input#q-often")["value"] == "3"


def test_a_new_resume_link_replaces_the_old_one(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    response_id = _stored().id
    first = responses.issue_resume_token(response_id)
    second = responses.issue_resume_token(response_id)
    assert first != second
    check_page(client.get(f"/s/{SLUG}/resume/{first}"), status=404)
    assert client.get(f"/s/{SLUG}/resume/{second}").status_code == 303


def test_expired_partial_cannot_be_resumed_and_is_purged(client: FlaskClient,
                                                        survey: Any) -> None:
    _begin(client)
    stored = _stored()
    token = responses.issue_resume_token(stored.id)
    stored.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    soup = check_page(client.get(f"/s/{SLUG}/resume/{token}"), status=404)
    assert "does not work" in soup.find("h1").get_text()
    kept = responses.start_response(survey, "en")
    assert responses.purge_expired() == 1
    assert [r.id for r in db.session.scalars(select(Response))] == [kept]


def test_submitted_responses_are_never_purged(client: FlaskClient, survey: Any) -> None:
    _complete(client)
    token = _token(client.get(f"/s/{SLUG}/check"))
    client.post(f"/s/{SLUG}/submit", data={"csrf_token": token})
    assert responses.purge_expired(utcnow() + timedelta(days=3650)) == 0


def test_database_unavailable_gives_503_with_answer_kept(client: FlaskClient, survey: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _begin(client)

    def locked(*args: Any, **kwargs: Any) -> None:
        raise DatabaseUnavailable("locked")

    monkeypatch.setattr(responses, "save_page", locked)
    soup = check_page(_answer(client, "use", {"q-use": "yes"}), status=503)
    assert soup.select_one("input#q-use")["checked"] is not None
    assert "could not save your answer" in soup.get_text()
    monkeypatch.undo()
    assert _answer(client, "use", {"q-use": "yes"}).status_code == 303


def test_language_switch_keeps_answers(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    _answer(client, "use", {"q-use": "yes"})
    soup = check_page(client.get(f"/s/{SLUG}/q/use?lang=bn"), lang="bn")
    assert "আপনি কি লাইব্রেরি ব্যবহার করেন?" in soup.find("h1").get_text()
    assert soup.select_one("input#q-use")["value"] == "yes"
    assert soup.select_one("input#q-use").has_attr("checked")
    assert _stored().answers == {"use": "yes"}


def test_closed_survey_shows_a_clear_page(client: FlaskClient, survey: Any) -> None:
    from engage.models import SurveyVersion

    version = db.session.get(SurveyVersion, survey.version_id)
    version.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    from engage.services.collect.published_surveys import forget_published

    forget_published(SLUG)
    soup = check_page(client.get(f"/s/{SLUG}/"))
    assert "This survey is closed" in soup.get_text()
    token = soup.find("input", attrs={"name": "csrf_token"})
    assert token is None


def test_purge_command(app: Flask, survey: Any) -> None:
    stale = responses.start_response(survey, "en")
    db.session.get(Response, stale).expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    responses.start_response(survey, "en")
    result = app.test_cli_runner().invoke(args=["purge-partials"])
    assert result.exit_code == 0 and "Deleted 1 expired" in result.output
    assert db.session.scalar(select(func.count(Response.id))) == 1


def test_question_page_is_small(client: FlaskClient, app: Flask) -> None:
    """Issue 3: a question page is at most 14 KB compressed, 60 KB in all on a first visit."""
    import gzip

    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition

    publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
    token = _token(client.get("/s/residents-2026/"))
    first = client.post("/s/residents-2026/start", data={"csrf_token": token})
    headers = {"Accept-Encoding": "gzip"}
    page = client.get(first.headers["Location"], headers=headers)
    html = gzip.decompress(page.data)
    assert len(page.data) <= 14 * 1024, len(page.data)
    total = len(page.data)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    assets = [link["href"] for link in soup.find_all("link", href=True)]
    assets += [s["src"] for s in soup.find_all("script", src=True)]
    script = " ".join(s.get_text() for s in soup.find_all("script"))
    assets += [m for m in script.split('"') if m.startswith("/static/")]
    for asset in set(assets):
        response = client.get(asset, headers=headers)
        assert response.status_code == 200, asset
        total += len(response.data)
        response.close()
    assert total <= 60 * 1024, total


def test_cached_page_follows_questions_shown_by_earlier_answers(app: Flask) -> None:
    """Two residents at the same place on the same page, with nothing on it answered yet, see
    different questions when an earlier answer shows one: the cached page must follow."""
    definition = {
        "id": "pets", "title": T("Pets"), "language": "en", "languages": ["en"],
        "settings": {"layout": "grouped"},
        "sections": [{"id": "main", "title": T("Pets"), "pages": [
            {"id": "dog", "questions": [{
                "id": "dog", "type": "single-choice", "name": T("whether you have a dog"),
                "title": T("Do you have a dog?"),
                "options": [{"id": "yes", "text": T("Yes")}, {"id": "no", "text": T("No")}]}]},
            {"id": "more", "title": T("More about you"), "questions": [
                {"id": "street", "type": "short-text", "name": T("your street"),
                 "title": T("Which street do you live on?")},
                {"id": "walks", "type": "short-text", "name": T("where you walk your dog"),
                 "title": T("Where do you walk your dog?"),
                 "when": {"op": "equals", "question": "dog", "value": "yes"}}]},
        ]}],
    }
    publish_definition(definition, lawful_basis="Public task", privacy_notice="A year")
    seen = {}
    for has_dog in ("yes", "no"):
        client = app.test_client()
        token = _token(client.get("/s/pets/"))
        assert client.post("/s/pets/start", data={"csrf_token": token}).status_code == 303
        token = _token(client.get("/s/pets/q/dog"))
        client.post("/s/pets/q/dog", data={"csrf_token": token, "q-dog": has_dog})
        seen[has_dog] = client.get("/s/pets/q/more").get_data(as_text=True)
    assert "Where do you walk your dog?" in seen["yes"]
    assert "Where do you walk your dog?" not in seen["no"]
    assert "Which street do you live on?" in seen["no"]


def test_cached_question_markup_follows_language_and_values(client: FlaskClient,
                                                            survey: Any) -> None:
    _begin(client)
    english = check_page(client.get(f"/s/{SLUG}/q/use"))
    bengali = check_page(client.get(f"/s/{SLUG}/q/use?lang=bn"), lang="bn")
    assert english.find("h1").get_text(strip=True) == "Do you use the library?"
    assert bengali.find("h1").get_text(strip=True) == "আপনি কি লাইব্রেরি ব্যবহার করেন?"
    client.get(f"/s/{SLUG}/q/use?lang=en")
    _answer(client, "use", {"q-use": "no"})
    again = check_page(client.get(f"/s/{SLUG}/q/use"))
    assert again.select_one("input#q-use-2").has_attr("checked")
    assert not again.select_one("input#q-use").has_attr("checked")


def test_starts_from_one_address_are_rate_limited(app: Flask, survey: Any) -> None:
    app.config["SURVEY_START_LIMIT"] = "3 per minute"
    for n in range(4):
        client = app.test_client()  # new browsers, one address (a library's computers)
        token = _token(client.get(f"/s/{SLUG}/"))
        response = client.post(f"/s/{SLUG}/start", data={"csrf_token": token})
        if n < 3:
            assert response.status_code == 303
    soup = check_page(response, status=429)
    assert "tried too many times" in soup.find("h1").get_text()
    assert response.headers["Retry-After"]


def test_answers_are_rate_limited_per_response(app: Flask, client: FlaskClient,
                                               survey: Any) -> None:
    app.config["SURVEY_ANSWER_LIMIT"] = "5 per minute"
    _begin(client)
    for _ in range(5):
        assert _answer(client, "use", {"q-use": "yes"}).status_code == 303
    check_page(_answer(client, "use", {"q-use": "yes"}), status=429)
    # Only answers are limited: the page itself still shows (GET and POST are two views).
    check_page(client.get(f"/s/{SLUG}/q/use"))
    other = app.test_client()  # another resident on the same address is not held up
    _begin(other)
    assert _answer(other, "use", {"q-use": "yes"}).status_code == 303


def test_cached_pages_never_share_tokens_or_nonces(app: Flask, survey: Any) -> None:
    first, second = app.test_client(), app.test_client()
    pages = [first.get(f"/s/{SLUG}/"), second.get(f"/s/{SLUG}/"), first.get(f"/s/{SLUG}/")]
    tokens = [_token(p) for p in pages]
    assert tokens[0] != tokens[1]
    for page in pages:
        nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        html = page.get_data(as_text=True)
        assert f'nonce="{nonce}"' in html and "\x00" not in html
    for client, token in ((first, tokens[2]), (second, tokens[1])):
        assert client.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303


def test_a_token_works_only_for_its_own_session(app: Flask, survey: Any) -> None:
    first, second = app.test_client(), app.test_client()
    token = _token(first.get(f"/s/{SLUG}/"))
    assert _token(second.get(f"/s/{SLUG}/")) != token
    assert second.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 400
    assert first.post(f"/s/{SLUG}/start", data={"csrf_token": token}).status_code == 303


def test_cached_pages_sent_compressed_are_the_same_page(app: Flask, survey: Any) -> None:
    """A cached page, with this request's token and nonce, compressed as the browser asks,
    decompresses to exactly the page sent uncompressed to the same browser."""
    import gzip
    import re

    import brotli

    def same_second(html: str) -> str:  # a signed token carries the second it was signed
        return re.sub(r'(name="csrf_token" value="[^.]+)\.[^"]+"', r'\1"', html)

    client = app.test_client()
    _begin(client)
    for url in (f"/s/{SLUG}/", f"/s/{SLUG}/q/use", f"/s/{SLUG}/q/use?lang=bn", "/"):
        plain = client.get(url)
        zipped = [client.get(url, headers={"Accept-Encoding": accept})
                  for accept in ("gzip", "gzip, deflate, br")]
        assert plain.headers.get("Content-Encoding") is None
        htmls = []
        for page, encoding in zip(zipped, ("gzip", "br"), strict=True):
            assert page.headers["Content-Encoding"] == encoding
            assert "Accept-Encoding" in page.headers["Vary"]
            assert page.headers["Cache-Control"] == ("no-store" if "/s/" in url
                                                     else "private, no-cache")
            html = (gzip.decompress(page.data) if encoding == "gzip"
                    else brotli.decompress(page.data)).decode()
            nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
            assert f'nonce="{nonce}"' in html and "\x00" not in html
            htmls.append(same_second(html.replace(nonce, "NONCE")))
        nonce = plain.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
        assert htmls[0] == htmls[1] == same_second(plain.get_data(as_text=True)
                                                   .replace(nonce, "NONCE"))
    token = _token(client.get(f"/s/{SLUG}/q/use"))
    zipped = client.get(f"/s/{SLUG}/q/use", headers={"Accept-Encoding": "gzip"})
    # the same token, signed again if the second has turned since
    assert f'value="{token.split(".")[0]}.' in gzip.decompress(zipped.data).decode()
    assert client.post(f"/s/{SLUG}/q/use", data={"csrf_token": token,
                                                 "q-use": "yes"}).status_code == 303
    # A browser that asks for no compression gets the page uncompressed.
    refused = client.get(f"/s/{SLUG}/", headers={"Accept-Encoding": "identity"})
    assert refused.headers.get("Content-Encoding") is None


def test_many_demo_residents_complete_the_survey(app: Flask) -> None:
    """Simulated residents on every route through the demo survey: never an error page."""
    import random
    import re

    import surveys as engine
    from engage.demo.answers import generate_response
    from engage.demo.surveys import LAWFUL_BASIS, PRIVACY, demo_definition

    publish_definition(demo_definition(), lawful_basis=LAWFUL_BASIS, privacy_notice=PRIVACY)
    definition = published_survey("residents-2026").definition
    token = re.compile(rb'name="csrf_token" value="([^"]+)"')
    pages_seen: set[str] = set()
    for seed in range(12):
        answers = generate_response(definition, random.Random(seed))["answers"]
        client = app.test_client()
        html = client.get("/s/residents-2026/").data
        response = client.post("/s/residents-2026/start", follow_redirects=True,
                               data={"csrf_token": token.search(html).group(1).decode()})
        for page_id in engine.path(definition, answers):
            assert response.status_code == 200, (seed, page_id)
            pages_seen.add(page_id)
            form = engine.to_form_data(definition, page_id, answers)
            response = client.post(
                f"/s/residents-2026/q/{page_id}", follow_redirects=True,
                data={"csrf_token": token.search(response.data).group(1).decode(), **form})
        assert response.request.path == "/s/residents-2026/check", seed
        response = client.post("/s/residents-2026/submit", follow_redirects=True,
                               data={"csrf_token": token.search(response.data).group(1).decode()})
        assert b"Answers sent" in response.data
    assert len(pages_seen) >= 12


def test_survey_pages_are_never_stored(client: FlaskClient, survey: Any) -> None:
    _begin(client)
    for path in (f"/s/{SLUG}/", f"/s/{SLUG}/q/use"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_home_page_lists_open_surveys(client: FlaskClient, survey: Any, lang: str) -> None:
    soup = check_page(client.get(f"/?lang={lang}"), lang=lang)
    link = soup.find("a", href=f"/s/{SLUG}/")
    assert link is not None
    assert link.get_text(strip=True) == ("Library survey" if lang == "en" else "লাইব্রেরি জরিপ")


def _saved(client: FlaskClient) -> Any:
    _begin(client)
    token = _token(client.get(f"/s/{SLUG}/q/use"))
    client.post(f"/s/{SLUG}/q/use", data={"csrf_token": token, "q-use": "yes", "action": "save"})
    return check_page(client.get(f"/s/{SLUG}/saved"))


def test_resume_link_by_email(app: Flask, client: FlaskClient, survey: Any) -> None:
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        soup = _saved(client)
        token = soup.select_one("form input[name=csrf_token]")["value"]
        response = client.post(f"/s/{SLUG}/saved",
                               data={"csrf_token": token, "email": "resident@example.org"})
    assert response.status_code == 303
    # The subject holds no personal data; the link in the body starts with BASE_URL (S22).
    assert [m["Subject"] for m in smtp.messages] == ["Your saved survey answers"]
    assert smtp.messages[0]["To"] == "resident@example.org"
    body = smtp.messages[0].get_payload(decode=True).decode()
    assert f"{app.config['BASE_URL']}/s/{SLUG}/resume/" in body
    soup = check_page(client.get(f"/s/{SLUG}/saved"))
    assert "We have sent the link" in soup.get_text()


def test_resume_email_typed_with_a_space_is_taken(app: Flask, client: FlaskClient,
                                                 survey: Any) -> None:
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        soup = _saved(client)
        token = soup.select_one("form input[name=csrf_token]")["value"]
        response = client.post(f"/s/{SLUG}/saved",
                               data={"csrf_token": token, "email": "resident@example.org "})
    assert response.status_code == 303
    assert smtp.messages[0]["To"] == "resident@example.org"


def test_resume_email_must_be_valid_and_is_kept(app: Flask, client: FlaskClient,
                                                survey: Any) -> None:
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        soup = _saved(client)
        token = soup.select_one("form input[name=csrf_token]")["value"]
        soup = check_page(client.post(f"/s/{SLUG}/saved",
                                      data={"csrf_token": token, "email": "not-an-email"}))
    assert error_summary(soup) == [
        "Enter an email address in the correct format, like name@example.com"]
    assert soup.select_one("input#email")["value"] == "not-an-email"
    assert smtp.messages == []


def test_resume_email_log_never_holds_the_address_or_link(
        app: Flask, client: FlaskClient, survey: Any, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        soup = _saved(client)
        link = soup.select_one(".govuk-inset-text a")["href"]
        token = soup.select_one("form input[name=csrf_token]")["value"]
        client.post(f"/s/{SLUG}/saved",
                    data={"csrf_token": token, "email": "canary-7Q@example.org"})
    assert len(smtp.messages) == 1
    assert "canary-7Q" not in caplog.text
    assert link.rsplit("/", 1)[1] not in caplog.text
