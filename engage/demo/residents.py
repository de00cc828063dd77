"""Simulated residents for the demo answers: who they are (ward, age band, background,
language, main concerns) drawn from illustrative Tower Hamlets figures.

Pure: no web framework, no database. `make_resident(rng, wards)` draws one; `engage.demo.answers`
lets their traits colour both the closed answers and the free text.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Tower Hamlets, Census 2021 (residents 16 and over, rounded): illustrative weights only
AGE = {"16-24": 14, "25-34": 30, "35-44": 20, "45-54": 14, "55-64": 10, "65-plus": 12}
ETHNICITY = {
    "bangladeshi": 35,
    "white-british": 23,
    "other-white": 12,
    "african": 4,
    "indian": 3,
    "chinese": 3,
    "other-asian": 3,
    "pakistani": 1,
    "caribbean": 1,
    "other-black": 1,
    "white-black-caribbean": 1,
    "white-black-african": 1,
    "white-asian": 1,
    "other-mixed": 2,
    "irish": 2,
    "gypsy-traveller": 0.1,
    "roma": 0.3,
    "arab": 1,
    "other-ethnic-group": 2,
}
MUSLIM_MAJORITY = {"bangladeshi", "pakistani", "arab"}
CONCERN = {
    "housing": 20,
    "crime": 18,
    "cleanliness": 15,
    "cost_of_living": 13,
    "health": 9,
    "youth": 8,
    "transport": 6,
    "parks": 4,
    "air_quality": 4,
    "cohesion": 3,
}
PRIORITY_FOR = {
    "housing": "housing",
    "crime": "crime",
    "cleanliness": "clean-streets",
    "cost_of_living": "cost-of-living",
    "health": "health",
    "youth": "young-people",
    "transport": "air-transport",
    "air_quality": "air-transport",
    "parks": "clean-streets",
    "cohesion": "young-people",
}
WARD_CONCERN = {
    "whitechapel": "crime",
    "spitalfields-banglatown": "cleanliness",
    "weavers": "crime",
    "shadwell": "housing",
    "canary-wharf": "transport",
    "blackwall-cubitt-town": "transport",
    "bow-east": "parks",
    "bow-west": "parks",
    "poplar": "housing",
    "lansbury": "cost_of_living",
    "limehouse": "air_quality",
    "bromley-north": "housing",
    "bromley-south": "youth",
    "mile-end": "crime",
    "island-gardens": "health",
    "bethnal-green-east": "cleanliness",
    "bethnal-green-west": "housing",
    "stepney-green": "youth",
    "st-dunstans": "cost_of_living",
    "st-katharines-wapping": "cohesion",
}
DISTRICT = {
    "whitechapel": "E1",
    "spitalfields-banglatown": "E1",
    "shadwell": "E1",
    "st-katharines-wapping": "E1W",
    "stepney-green": "E1",
    "st-dunstans": "E1",
    "weavers": "E2",
    "bethnal-green-east": "E2",
    "bethnal-green-west": "E2",
    "bow-east": "E3",
    "bow-west": "E3",
    "bromley-north": "E3",
    "bromley-south": "E3",
    "mile-end": "E3",
    "lansbury": "E14",
    "poplar": "E14",
    "limehouse": "E14",
    "canary-wharf": "E14",
    "island-gardens": "E14",
    "blackwall-cubitt-town": "E14",
}
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def pick(rng: random.Random, weights: Mapping[str, float], allowed: Sequence[str]) -> str:
    choices = [(k, w) for k, w in weights.items() if k in allowed and w > 0]
    if not choices:
        return rng.choice(list(allowed))
    keys = [k for k, _ in choices]
    return rng.choices(keys, weights=[w for _, w in choices])[0]


@dataclass
class Resident:
    """A simulated resident whose traits shape their answers."""

    ward: str
    age: str
    ethnicity: str
    bengali: bool
    concerns: list[str]
    typo_rate: float
    children: int
    answered_pages: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def make_resident(rng: random.Random, wards: Sequence[str]) -> Resident:
    """Draw a resident: ward, age band, ethnicity, language and main concerns."""
    ward = rng.choice(list(wards)) if wards else "unknown"
    age = pick(rng, dict(AGE), list(AGE))
    ethnicity = pick(rng, dict(ETHNICITY), list(ETHNICITY))
    bengali = ethnicity == "bangladeshi" and rng.random() < (0.45 if age == "65-plus" else 0.15)
    weights = dict(CONCERN)
    local = WARD_CONCERN.get(ward)
    if local:
        weights[local] += 14
    if age in ("16-24",):
        weights["youth"] += 10
    if age == "65-plus":
        weights["health"] += 10
        weights["cohesion"] += 5
    first = pick(rng, weights, list(weights))
    weights.pop(first)
    concerns = [first] + ([pick(rng, weights, list(weights))] if rng.random() < 0.6 else [])
    children = (
        0
        if age in ("16-24", "65-plus") or rng.random() < 0.45
        else rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5])
    )
    typo_rate = rng.choice([0.0, 0.0, 0.0, 0.0, 0.004, 0.008, 0.015])
    return Resident(ward, age, ethnicity, bengali, concerns, typo_rate, children)
