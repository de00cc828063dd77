"""Shared set-up for the consultation hub tests."""

from __future__ import annotations

from datetime import date

from engage.models import Consultation, User
from engage.services.collect.consultations import manage
from tests.pages import make_user


def officer(email: str = "officer@example.org") -> User:
    return make_user(email=email, role="engagement_officer")


def details(slug: str = "library-hours", **changes: object) -> manage.ConsultationInput:
    data = manage.ConsultationInput(
        slug=slug, title_en="Library opening hours", organisation="Tower Hamlets Council",
        opens_on=date(2026, 11, 1), closes_on=date(2027, 1, 31),
        title_bn="লাইব্রেরি খোলার সময়", summary_en="When should our libraries open?",
        why_en="Budgets are changing.", next_en="The cabinet decides in March.",
        ways_en="Call 020 7364 5000 for a paper copy.")
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def consultation(actor: User, status: str = "published", slug: str = "library-hours",
                 **changes: object) -> Consultation:
    """A consultation moved through the states up to `status`."""
    consultation_id = manage.create(details(slug, **changes), actor)
    for action, (_before, after) in manage.TRANSITIONS.items():
        if status == "draft":
            break
        manage.change_status(consultation_id, action, actor)
        if after == status:
            break
    return manage.get(consultation_id)
