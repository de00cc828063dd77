"""Fixtures for the analysis tests: small corpora written for this project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

THEMES: dict[str, list[str]] = {
    "bins": [
        "The bins are not collected often enough and rubbish piles up",
        "Rubbish collection is missed every other week on our street",
        "Overflowing bins attract rats, please collect the rubbish more often",
        "Fly tipping and rubbish bags everywhere, the bins are always full",
        "Bring back weekly bin collections, the rubbish smells",
        "Recycling bins are never emptied on time",
        "More litter bins and cleaner streets, less rubbish",
        "Our estate bins overflow and nobody collects the rubbish",
    ],
    "parking": [
        "Parking permits are too expensive for residents",
        "There is never any parking near my home, too many cars",
        "Stop commuters parking on residential streets, we need resident parking",
        "Parking charges went up again, the permit costs too much",
        "Cars park on the pavement and block the parking bays",
        "Not enough parking spaces for residents with permits",
        "Parking enforcement is unfair, tickets for parking outside my own house",
        "Visitor parking permits should be cheaper",
    ],
    "safety": [
        "I do not feel safe walking at night, we need more police",
        "Knife crime and drug dealing make young people unsafe",
        "More police patrols on the estate at night please",
        "Antisocial behaviour and crime near the station, no police around",
        "Street lighting is poor and I feel unsafe after dark",
        "Drug dealing in the stairwells, the police never come",
        "Police should patrol the park, women do not feel safe",
        "Crime is rising and we need police officers on the streets",
    ],
}

BENGALI = [
    "রাস্তায় আবর্জনা পরিষ্কার করা হয় না",
    "আবর্জনা সংগ্রহ আরও ঘন ঘন দরকার",
    "পার্কিং খুব ব্যয়বহুল",
    "রাতে নিরাপদ বোধ করি না",
]


def themed_corpus(copies: int = 3) -> tuple[list[str], list[str]]:
    """Texts with their theme names; each template appears ``copies`` times, varied a little."""
    texts: list[str] = []
    gold: list[str] = []
    tails = ["", ".", " - really.", " Thanks."]
    for c in range(copies):
        for name, templates in THEMES.items():
            for t in templates:
                texts.append(t + tails[c % len(tails)])
                gold.append(name)
    return texts, gold


@pytest.fixture
def corpus() -> tuple[list[str], list[str]]:
    """72 texts in three clear themes (bins, parking, safety)."""
    return themed_corpus()


def shared_data_dir() -> Path | None:
    """The shared data folder next to the repository, or ENGAGE_SHARED_DATA; None when absent."""
    env = os.environ.get("ENGAGE_SHARED_DATA")
    repo_root = Path(__file__).resolve().parents[2]
    path = Path(env) if env else repo_root.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture
def shared_data() -> Path:
    """Path of ../shared/data; skips the test when it is not there."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("shared data not found (../shared/data or ENGAGE_SHARED_DATA)")
    return path
