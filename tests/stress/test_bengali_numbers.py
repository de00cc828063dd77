"""Every page a signed-in admin can open, read in Bengali (issue 17: Bengali digits on Bengali
pages): no figure in a table's number column, and no count or percentage in a summary list, is
written in ASCII digits. Routes come from app.url_map, so pages added later are covered."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from flask import Flask

from tests.pages import sign_in
from tests.stress.world import build_world, routes

ASCII_DIGITS = re.compile("[0-9]")
# Summary-list values that are identifiers or quoted text, not figures: a survey's address,
# its slug, a lawful basis citing UK GDPR articles.
NOT_FIGURES = re.compile(r"/s/|UK GDPR|^[a-z0-9-]+$")


def test_bengali_pages_write_figures_in_bengali_digits(app: Flask) -> None:
    from engage.demo import surveys as demo

    world = build_world(app)
    list(demo.load(target=60))
    client = app.test_client()
    assert sign_in(client, world.emails["admin"]).status_code == 303
    pages = 0
    found = []
    for rule in routes(app, "GET"):
        if "sign_out" in rule.endpoint:
            continue
        response = client.get(world.url(rule), query_string={"lang": "bn"})
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        soup = BeautifulSoup(response.data, "html.parser")
        for cell in soup.select("td.govuk-table__cell--numeric, .govuk-summary-list__value"):
            text = cell.get_text(" ", strip=True)
            if ASCII_DIGITS.search(text) and not NOT_FIGURES.search(text):
                found.append(f"{rule.rule}: {text[:80]}")
    assert pages > 40
    assert found == []
