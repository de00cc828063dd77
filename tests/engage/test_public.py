"""Public pages, languages, headers, error pages and the health check."""

from __future__ import annotations

import gzip

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pages import check_page

PUBLIC_PAGES = ["/", "/accessibility", "/privacy", "/cookies"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("lang", ["en", "bn"])
def test_public_pages_render_in_each_language(client: FlaskClient, path: str, lang: str) -> None:
    soup = check_page(client.get(f"{path}?lang={lang}"), lang=lang)
    assert soup.find("h1") is not None
    if lang == "bn":
        # Bengali script appears in the main content, not just the switcher.
        main = soup.find("main").get_text()
        assert any("\u0980" <= ch <= "\u09ff" for ch in main)


def test_language_choice_is_remembered(client: FlaskClient) -> None:
    check_page(client.get("/?lang=bn"), lang="bn")
    check_page(client.get("/privacy"), lang="bn")
    check_page(client.get("/privacy?lang=en"), lang="en")
    check_page(client.get("/"), lang="en")


def test_browser_language_is_used_when_no_choice(client: FlaskClient) -> None:
    soup = check_page(client.get("/", headers={"Accept-Language": "bn-BD,bn;q=0.9,en;q=0.5"}))
    assert soup.html["lang"] == "bn"
    soup = check_page(client.get("/", headers={"Accept-Language": "fr"}))
    assert soup.html["lang"] == "en"


def test_language_switcher_links_keep_the_page(client: FlaskClient) -> None:
    soup = check_page(client.get("/privacy"))
    link = soup.select_one('a[hreflang="bn"]')
    assert link["href"] == "/privacy?lang=bn"


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here
    other = client.get("/").headers["Content-Security-Policy"]
    assert other != csp, "the nonce must change per response"


def test_hsts_over_https(client: FlaskClient) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_styles_or_unnonced_scripts(client: FlaskClient) -> None:
    soup = check_page(client.get("/"))
    assert not soup.find_all(attrs={"style": True})
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("nonce")


def test_static_assets_are_fingerprinted_and_cached(client: FlaskClient) -> None:
    soup = check_page(client.get("/"))
    css = soup.find("link", rel="stylesheet")["href"]
    assert "?v=" in css
    response = client.get(css)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert b"GDS Transport" not in response.data
    response.close()


def test_text_responses_are_compressed(client: FlaskClient) -> None:
    response = client.get("/accessibility", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Accessibility statement" in gzip.decompress(response.data)


def test_not_found_is_friendly(client: FlaskClient) -> None:
    soup = check_page(client.get("/no-such-page"), status=404)
    assert "Page not found" in soup.find("h1").get_text()


def test_oversized_body_gives_413_page(client: FlaskClient) -> None:
    response = client.post("/auth/sign-in", data={"email": "x" * (65 * 1024)})
    soup = check_page(response, status=413)
    assert "too large" in soup.find("h1").get_text()


@pytest.mark.fresh_app
def test_unexpected_error_gives_generic_500(app: Flask) -> None:
    @app.route("/boom-for-test")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom-for-test")
    soup = check_page(response, status=500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "problem with the service" in soup.find("h1").get_text()


def test_healthz_reports_version_and_database(client: FlaskClient) -> None:
    from engage import __version__

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"version": __version__, "database": "ok", "status": "ok"}


def test_healthz_is_503_when_database_is_gone(tmp_path) -> None:
    from tests.conftest import make_app

    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_database_outage_gives_503_page_not_500(tmp_path) -> None:
    from tests.conftest import make_app

    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    # The staff home loads the signed-in user from the database.
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = "1"
        sess["staff_token"] = "x"
    response = client.get("/staff/")
    soup = check_page(response, status=503)
    assert response.headers["Retry-After"]
    assert "unavailable" in soup.find("h1").get_text()


def test_missing_csrf_token_gives_a_friendly_400(client: FlaskClient) -> None:
    soup = check_page(client.post("/auth/sign-in", data={"email": "a@b.c"}), status=400)
    assert "Nothing you typed on that page has been saved" in soup.get_text()


@pytest.mark.fresh_app
def test_forbidden_page_is_friendly(app: Flask) -> None:
    from flask import abort

    @app.route("/forbidden-for-test")
    def forbidden() -> str:
        abort(403)

    soup = check_page(app.test_client().get("/forbidden-for-test?lang=bn"), status=403, lang="bn")
    assert soup.find("h1").get_text(strip=True) == "এই পাতাটি দেখার অনুমতি আপনার নেই"


def test_api_paths_get_json_errors(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404 and response.json["status"] == 404
