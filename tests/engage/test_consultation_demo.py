"""The demo loads three consultations, one in each public state, linked to the demo surveys,
once (idempotent); their pages render."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from engage.demo import builder
from engage.demo import consultations as demo
from engage.extensions import db
from engage.models import Consultation
from tests.engage.themes_helpers import demo_texts
from tests.pages import check_page


def test_demo_consultations(client: FlaskClient) -> None:
    demo_texts(30)
    list(builder.load())
    assert "3 demo consultations" in next(iter(demo.load()))
    assert "already there" in next(iter(demo.load()))
    rows = {c.slug: c for c in db.session.scalars(select(Consultation))}
    assert {c.status for c in rows.values()} == {"published", "closed", "results"}
    assert all(c.surveys for c in rows.values())
    assert rows["libraries-2027"].events and rows["libraries-2027"].documents
    listing = check_page(client.get("/consultations")).get_text(" ", strip=True)
    for c in rows.values():
        assert c.title_en in listing
        check_page(client.get(f"/consultations/{c.slug}"))
    pdf = next(d for d in rows["libraries-2027"].documents if d.size)
    response = client.get(f"/consultations/libraries-2027/documents/{pdf.id}")
    assert response.data.startswith(b"%PDF-") and response.mimetype == "application/pdf"
