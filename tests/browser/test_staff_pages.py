"""Staff pages changed for issue 17, in a real browser at 320 px in English and Bengali:
0 axe violations and no sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from engage.demo.surveys import SLUG
from tests.browser.conftest import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_no_horizontal_scroll,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

PAGES = [
    ("moderator@engage.example", "/staff/"),
    ("officer@engage.example", "/staff/"),
    ("member@engage.example", "/staff/"),
    ("officer@engage.example", "/staff/surveys"),
]


@pytest.mark.parametrize("viewport", [PHONE])
@pytest.mark.parametrize("lang", ["en", "bn"])
@pytest.mark.parametrize(("email", "path"), PAGES)
def test_staff_page_at_320(page: Any, live_server: LiveServer, viewport: dict[str, int],
                           lang: str, email: str, path: str) -> None:
    staff_sign_in(page, live_server, email)
    page.goto(f"{live_server.url}{path}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
