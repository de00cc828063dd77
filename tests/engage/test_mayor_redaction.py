"""Redaction suggestions for moderators: emails, UK phones, postcodes, addresses, names."""

from __future__ import annotations

import pytest

from engage.services.collect.mayor.redaction import redact, suggest


@pytest.mark.parametrize(("text", "kind", "found"), [
    ("write to me at sara.b+x@example.co.uk please", "email", "sara.b+x@example.co.uk"),
    ("call 07700 900123 today", "phone", "07700 900123"),
    ("ring +44 20 7946 0958", "phone", "+44 20 7946 0958"),
    ("ring 020-7946-0958", "phone", "020-7946-0958"),
    ("I live in e1 6an", "postcode", "e1 6an"),
    ("near E14 9GE", "postcode", "E14 9GE"),
    ("Hello, my name is Abdul Karim Miah and", "name", "Abdul Karim Miah"),
    ("MY NAME IS Jo and I", "name", "Jo"),
    ("I'm called Tom Smith", "name", "Tom Smith"),
    ("the bins outside 12 Brick Lane are full", "address", "12 Brick Lane"),
])
def test_suggestions_find_personal_data(text: str, kind: str, found: str) -> None:
    items = suggest(text)
    assert [(i.kind, i.found) for i in items] == [(kind, found)]


def test_redact_replaces_and_keeps_the_rest() -> None:
    text = ("My name is Sara Begum. Call 07700 900123 or email s@example.com. "
            "Fix the lift in E3 2AB!")
    assert redact(text) == ("My name is [name removed]. Call [phone number removed] or email "
                            "[email removed]. Fix the lift in [postcode removed]!")


@pytest.mark.parametrize("text", ["In 2024 there were 1000000 people", "The A13 is busy",
                                  "my name is not important", "Bus 25 to Bow"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert suggest(text) == []
