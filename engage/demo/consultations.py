"""Demo: three consultations on the hub, one in each public state, linked to the demo surveys:
the libraries consultation (open, with events and documents), a community safety one (closed,
awaiting results) and the residents' survey 2026 (results published)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engage.extensions import db
from engage.models import (
    Consultation,
    ConsultationDocument,
    ConsultationEvent,
    ConsultationWard,
    MayorTopic,
    Survey,
)
from engage.models._types import utcnow
from engage.services.collect.mayor.queue import ensure_default_topics

LONDON = ZoneInfo("Europe/London")


def _pdf(text: str) -> bytes:
    """A one-page PDF with a line of text (so the demo has a real file to download)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _consultations(today: date) -> list[dict[str, Any]]:
    return [
        {"slug": "libraries-2027", "status": "published", "surveys": ["libraries-2027"],
         "topics": ["council-services", "schools-youth"],
         "wards": ["bow-east", "bow-west", "mile-end"],
         "organisation": "Tower Hamlets Council",
         "title_en": "The future of our libraries and Idea Stores",
         "title_bn": "আমাদের লাইব্রেরি ও আইডিয়া স্টোরের ভবিষ্যৎ",
         "summary_en": "We want to know how you use libraries and Idea Stores, and what would "
                       "make them better for you.",
         "summary_bn": "আপনি কীভাবে লাইব্রেরি ও আইডিয়া স্টোর ব্যবহার করেন এবং কী করলে সেগুলো "
                       "আপনার জন্য আরও ভালো হবে, তা আমরা জানতে চাই।",
         "why_en": "Opening hours and services change from next April. Before we decide, we "
                   "want to hear from the people who use them and from those who do not.",
         "next_en": "The cabinet will look at what you told us in May and decide the new "
                    "opening hours. We will publish the decision on this page.",
         "ways_en": "Ask for a paper copy at any Idea Store, or call 020 7364 4332.",
         "opens_on": today - timedelta(days=14), "closes_on": today + timedelta(days=45),
         "events": [("event", "Drop-in at Idea Store Bow", 7, 18, "Idea Store Bow, 1 Gladstone "
                     "Place, E3 5ES", "Step-free access and a hearing loop. Bengali and "
                     "Sylheti speakers on hand."),
                    ("group_session", "Young people's session", 12, 16, "Mile End Youth "
                     "Centre", "Step-free access. Snacks provided.")],
         "documents": [("Options for opening hours", _pdf("Options for opening hours"), ""),
                       ("Libraries strategy 2023 to 2028", b"",
                        "https://www.towerhamlets.gov.uk/")]},
        {"slug": "community-safety-2026", "status": "closed", "surveys": ["residents-2026"],
         "topics": ["crime-safety"], "wards": ["whitechapel", "spitalfields-banglatown"],
         "organisation": "Metropolitan Police",
         "title_en": "Feeling safe in Whitechapel and Spitalfields",
         "title_bn": "হোয়াইটচ্যাপেল ও স্পিটালফিল্ডসে নিরাপদ বোধ করা",
         "summary_en": "How safe do you feel in your area, and what would help?",
         "summary_bn": "আপনার এলাকায় আপনি কতটা নিরাপদ বোধ করেন, আর কী করলে সাহায্য হবে?",
         "why_en": "The police and the council are planning patrols and street lighting "
                   "for the next two years.",
         "next_en": "We will publish what people told us and what the police will do.",
         "opens_on": today - timedelta(days=90), "closes_on": today - timedelta(days=10),
         "events": [("event", "Community safety meeting", -30, 19, "Brady Arts Centre, "
                     "E1 5HU", "Step-free access.")], "documents": []},
        {"slug": "residents-survey-2026", "status": "results", "surveys": ["residents-2026"],
         "topics": ["council-services", "housing", "crime-safety"], "wards": [],
         "organisation": "Tower Hamlets Partnership",
         "title_en": "Residents' survey 2026", "title_bn": "বাসিন্দাদের জরিপ ২০২৬",
         "summary_en": "What matters most to you about living in the borough.",
         "summary_bn": "বরোতে থাকার বিষয়ে আপনার কাছে কোনটি সবচেয়ে গুরুত্বপূর্ণ।",
         "why_en": "Your answers shape the partnership plan's priorities.",
         "next_en": "The partnership agrees three or four priorities from your answers.",
         "opens_on": today - timedelta(days=200), "closes_on": today - timedelta(days=60),
         "events": [], "documents": []},
    ]


def _add(spec: dict[str, Any], surveys: dict[str, Survey], topics: dict[str, MayorTopic],
         today: date) -> Consultation:
    now = utcnow()
    row = Consultation(
        slug=spec["slug"], status=spec["status"], organisation=spec["organisation"],
        opens_on=spec["opens_on"], closes_on=spec["closes_on"],
        published_at=now, results_at=now if spec["status"] == "results" else None,
        **{k: spec.get(k, "") for k in ("title_en", "title_bn", "summary_en", "summary_bn",
                                         "why_en", "next_en", "ways_en")})
    row.surveys = [surveys[s] for s in spec["surveys"] if s in surveys]
    row.topics = [topics[t] for t in spec["topics"] if t in topics]
    row.wards = [ConsultationWard(ward=w) for w in spec["wards"]]
    row.events = [ConsultationEvent(kind=k, title=t, starts_at=_at(today + timedelta(days=d), h),
                                    place=p, accessibility=a)
                  for k, t, d, h, p, a in spec["events"]]
    row.documents = [ConsultationDocument(
        title=title, url=url, size=len(data), content=data or None,
        filename="options-for-opening-hours.pdf" if data else "",
        content_type="application/pdf" if data else "") for title, data, url in spec["documents"]]
    db.session.add(row)
    return row


def load() -> Iterator[str]:
    """Add the demo consultations once."""
    if db.session.scalar(select(Consultation.id).limit(1)) is not None:
        yield "Consultations: demo consultations already there"
        return
    ensure_default_topics()
    surveys = {s.slug: s for s in db.session.scalars(select(Survey))}
    topics = {t.slug: t for t in db.session.scalars(select(MayorTopic))}
    today = date.today()
    for spec in _consultations(today):
        _add(spec, surveys, topics, today)
    db.session.commit()
    yield "Consultations: 3 demo consultations (open, closed, results) at /consultations"
