"""The insight report in a real browser: renders for the demo survey, 0 axe violations at phone
and desktop width, fits 320 px, and prints to PDF on paginated pages (one page checked as an
image)."""

from __future__ import annotations

import io
from pathlib import Path
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


def test_report_renders_accessibly(page: Any, live_server: LiveServer,
                                   viewport: dict[str, int]) -> None:
    staff_sign_in(page, live_server, "analyst@engage.example")
    page.goto(f"{live_server.url}/staff/surveys/{SLUG}/report")
    assert page.locator("h1").inner_text()
    figures = page.locator("figure.insight-figure")
    assert figures.count() >= 3
    for i in range(figures.count()):
        figure = figures.nth(i)
        assert figure.locator("svg").bounding_box()["width"] > 100  # the chart is drawn
        assert figure.locator("xpath=following-sibling::table").count() == 1
    assert_accessible(page)
    if viewport == PHONE:
        assert_no_horizontal_scroll(page)


def test_report_prints_to_pdf_cleanly(page: Any, live_server: LiveServer,
                                      tmp_path: Path) -> None:
    staff_sign_in(page, live_server, "officer@engage.example")
    page.goto(f"{live_server.url}/staff/surveys/{SLUG}/report")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()  # navigation hidden
    assert page.locator("#who-took-part").is_visible()
    pdf = page.pdf(format="A4", print_background=True,
                   margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(
        b"/Type /Page ") + pdf.count(b"/Type/Page") >= 3
    # One printed page as an image: the A4 page at print width, checked to be drawn.
    page.set_viewport_size({"width": 794, "height": 1123})
    image = page.screenshot(full_page=False)
    from PIL import Image

    shot = Image.open(io.BytesIO(image)).convert("L")
    assert shot.size == (794, 1123)
    dark = sum(1 for p in shot.getdata() if p < 128)
    assert dark > 2000  # text and charts are on the page, not a blank sheet
