"""Text and lists built into the package: wards, the agreement scale, the demographics block."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from surveys.model import Option
from surveys.text import Text, make_text

POSTCODE_CHOICE = "postcode"
"""The value of a ward/postcode question's choice field meaning "I will enter my postcode"."""

DEMOGRAPHIC_NAMES = (
    "age",
    "sex",
    "gender-identity",
    "ethnicity",
    "religion",
    "disability",
    "carer",
)
"""Names a definition may list in a demographics block's `include`, in display order."""


@cache
def read_data(name: str) -> Any:
    """Return the parsed JSON data file `surveys/data/<name>`."""
    return json.loads(resources.files("surveys").joinpath("data", name).read_text("utf-8"))


def _text(value: Mapping[str, str]) -> Text:
    return make_text({str(k): str(v) for k, v in value.items()})


def parse_wards(data: Mapping[str, Any]) -> tuple[Option, ...]:
    """Turn a wards file's content ({"wards": [{"id", "name"}]}) into options; raise ValueError."""
    wards = data.get("wards")
    if not isinstance(wards, list) or not wards:
        raise ValueError("a wards file needs a non-empty list 'wards'")
    out: list[Option] = []
    seen: set[str] = set()
    for ward in wards:
        if not isinstance(ward, Mapping):
            raise ValueError("each ward must be an object")
        ward_id, name = ward.get("id"), ward.get("name")
        if not isinstance(ward_id, str) or not ward_id or ward_id == POSTCODE_CHOICE:
            raise ValueError(f"bad ward id {ward_id!r}")
        if ward_id in seen:
            raise ValueError(f"duplicate ward id {ward_id!r}")
        if not isinstance(name, Mapping) or not all(isinstance(v, str) for v in name.values()):
            raise ValueError(f"ward {ward_id!r} needs a name object of language: text")
        seen.add(ward_id)
        out.append(Option(id=ward_id, text=_text(name)))
    return tuple(out)


@cache
def default_wards() -> tuple[Option, ...]:
    """The wards in the package's data file (Tower Hamlets' 20 wards unless replaced)."""
    data: Mapping[str, Any] = read_data("wards.json")
    return parse_wards(data)


def agreement_options(dont_know: bool) -> tuple[Option, ...]:
    """The 5-point agreement scale, plus "don't know" if asked for."""
    data = read_data("builtins.json")
    items: list[Mapping[str, Any]] = list(data["agreement"])
    if dont_know:
        items.append(data["dont-know"])
    return tuple(Option(id=item["id"], text=_text(item["text"])) for item in items)


def builtin_text(key: str) -> Text:
    """Return a built-in piece of text, e.g. "not-answered" or "postcode-choice"."""
    value: Mapping[str, str] = read_data("builtins.json")[key]
    return _text(value)


def month_names(language: str) -> Sequence[str]:
    """The names of the months in `language`, English if unknown."""
    months: Mapping[str, Sequence[str]] = read_data("builtins.json")["months"]
    return months.get(language, months["en"])


def demographics_data() -> Mapping[str, Any]:
    """The raw demographics block (title, description and one question per name)."""
    data: Mapping[str, Any] = read_data("demographics.json")
    return data
