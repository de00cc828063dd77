""""No such thing" is one explicit exception (issue 20): services raise `surveys.errors.NotFound`
(a `LookupError`) and routes answer only that with the 404 page, so a `KeyError` or
`IndexError` from a bug in a service is a logged 500, never a "page not found"."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engage.services.collect import paper, published_surveys, responses
from engage.services.collect.consultations import public
from engage.services.platform import results_policy
from engage.services.report import api_data, export_jobs, export_rows, you_said
from surveys.errors import NotFound
from tests.engage.test_insight_api import _secret
from tests.engage.test_insight_exports import SLUG, answered  # noqa: F401
from tests.pages import check_page, make_user, sign_in

BLUEPRINTS = Path(__file__).resolve().parents[2] / "engage" / "blueprints"
TOO_BROAD = {"LookupError", "KeyError", "IndexError"}
# Not around a service: authlib reading the provider's token answer, where a malformed answer
# (a missing key) is a refused sign-in.
LIBRARY_CALLS = {"auth/sso.py:sso_callback"}


def _raising(exc: Exception) -> Callable[..., Any]:
    def service(*_args: Any, **_kwargs: Any) -> Any:
        raise exc

    return service


def test_not_found_is_a_lookup_error_and_the_base_of_the_services_own() -> None:
    assert issubclass(NotFound, LookupError) and not issubclass(NotFound, ValueError)
    for own in (published_surveys.SurveyNotFound, paper.SheetNotFound, responses.ResponseGone):
        assert issubclass(own, NotFound), own


def test_services_raise_not_found_for_no_such_thing(app: Flask) -> None:
    officer = make_user()
    lookups: list[Callable[[], object]] = [
        lambda: export_rows.load_source("no-such-survey"),
        lambda: results_policy.survey_for(officer, "no-such-survey"),
        lambda: you_said.consultation("no-such-survey", "en"),
        lambda: you_said.updates_for_staff("no-such-survey"),
        lambda: public.by_slug("no-such-consultation"),
        lambda: public.document("no-such-consultation", 1),
        lambda: export_jobs.download(2**31 - 1, officer),
    ]
    for lookup in lookups:
        with pytest.raises(NotFound):
            lookup()


def test_no_route_catches_lookup_key_or_index_error() -> None:
    """Routes catch `NotFound` (or one of its subclasses) for their 404, nothing broader."""
    broad = []
    for path in sorted(BLUEPRINTS.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            where = f"{path.relative_to(BLUEPRINTS)}:{function.name}"
            for node in ast.walk(function):
                if not isinstance(node, ast.ExceptHandler) or node.type is None:
                    continue
                kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                names = {k.attr if isinstance(k, ast.Attribute) else getattr(k, "id", "")
                         for k in kinds}
                if names & TOO_BROAD and where not in LIBRARY_CALLS:
                    broad.append(f"{where} line {node.lineno}")
    assert not broad, broad


PUBLIC_PAGES = [
    ("/consultations/no-such", public, "by_slug"),
    ("/consultations/no-such/documents/1", public, "document"),
    ("/consultations/subscribe?consultation=no-such", public, "by_slug"),
    ("/you-said-we-did/no-such", you_said, "consultation"),
]


@pytest.mark.parametrize(("url", "module", "name"), PUBLIC_PAGES)
def test_public_page_is_404_when_not_found_and_500_on_a_bug(
        app: Flask, monkeypatch: pytest.MonkeyPatch, url: str, module: Any, name: str) -> None:
    client = app.test_client()
    check_page(client.get(url), 404)  # the real service: no such thing
    monkeypatch.setattr(module, name, _raising(KeyError("bug")))
    soup = check_page(client.get(url), 500)
    assert "problem with the service" in soup.h1.get_text()
    assert "bug" not in soup.get_text()


STAFF_PAGES = [
    ("/staff/surveys/no-such/updates", you_said, "updates_for_staff"),
    ("/staff/surveys/no-such/report", results_policy, "survey_for"),  # results_required
    (f"/staff/exports/{2**31 - 1}/download", export_jobs, "download"),
]


@pytest.mark.parametrize(("url", "module", "name"), STAFF_PAGES)
def test_staff_page_is_404_when_not_found_and_500_on_a_bug(
        app: Flask, monkeypatch: pytest.MonkeyPatch, url: str, module: Any, name: str) -> None:
    make_user()
    client = app.test_client()
    sign_in(client, "officer@example.org")
    check_page(client.get(url), 404)
    monkeypatch.setattr(module, name, _raising(IndexError("bug")))
    check_page(client.get(url), 500)
    monkeypatch.setattr(module, name, _raising(KeyError("bug")))
    check_page(client.get(url), 500)


def test_export_download_inside_its_route_is_500_on_a_bug(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CSV download's own catch, past `results_required` (passed here)."""
    from engage.services.report import exports

    make_user()
    client = app.test_client()
    sign_in(client, "officer@example.org")
    token = check_page(client.get("/staff/")).select_one("input[name=csrf_token]")["value"]
    monkeypatch.setattr(results_policy, "survey_for", lambda *_args: None)
    url = "/staff/surveys/no-such/responses.csv"
    check_page(client.post(url, data={"csrf_token": token}), 404)  # export_rows: no survey
    monkeypatch.setattr(exports, "responses_csv", _raising(KeyError("bug")))
    check_page(client.post(url, data={"csrf_token": token}), 500)


def test_api_read_is_a_json_404_when_not_found_and_500_on_a_bug(
        app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch,
        answered: list[str]) -> None:  # noqa: F811
    headers = {"Authorization": f"Bearer {_secret(app)}"}
    url = f"/api/v1/surveys/{SLUG}/results"
    monkeypatch.setattr(api_data, "results_of", _raising(NotFound(SLUG)))
    response = client.get(url, headers=headers)
    assert response.status_code == 404
    assert response.json == {"error": "No such survey for this token."}
    monkeypatch.setattr(api_data, "results_of", _raising(KeyError("bug")))
    response = client.get(url, headers=headers)
    assert response.status_code == 500 and response.json is not None
    assert response.json["status"] == 500 and "bug" not in response.get_data(as_text=True)


def test_public_results_skip_a_survey_not_found_but_not_a_bug(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A consultation's public results leave out a survey with nothing to report (NotFound);
    a bug while building one's report is raised, not silently dropped."""
    from types import SimpleNamespace

    from engage.services.report import insight_report

    consultation: Any = SimpleNamespace(status="results",
                                        surveys=[SimpleNamespace(slug="gone", id=2**31 - 1)])
    monkeypatch.setattr(insight_report, "build_report", _raising(NotFound("gone")))
    found = public.results(consultation, "en")
    assert found is not None and found.surveys == []
    monkeypatch.setattr(insight_report, "build_report", _raising(KeyError("bug")))
    with pytest.raises(KeyError):
        public.results(consultation, "en")
