"""Result objects of a theme analysis and their JSON form (byte-identical for equal input)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


def _r(x: float) -> float:
    """Round a float for stable JSON output."""
    return round(float(x), 6) + 0.0


def _maybe_float(x: float | None) -> float | None:
    """A float, or None kept as None (a sentiment that was not scored)."""
    return None if x is None else float(x)


@dataclass(frozen=True)
class Quote:
    """A representative answer: its id, its (redacted) text and its membership score."""

    id: str
    text: str
    score: float


@dataclass(frozen=True)
class Theme:
    """One theme found in the texts.

    ``size`` counts texts (comments); ``respondents`` counts distinct respondents (people) and
    is None when the input named no respondent for its texts. ``mean_sentiment`` is the mean
    over the ``sentiment_scored`` texts the lexicon covers, None when it covers none.
    """

    id: str
    label: str
    description: str
    key_phrases: list[str]
    size: int
    weighted_share: float
    mean_sentiment: float | None
    quotes: list[Quote]
    # Term profile used to assign new texts: stemmed feature -> weight (unit norm).
    profile: dict[str, float] = field(default_factory=dict)
    respondents: int | None = None
    sentiment_scored: int = 0


@dataclass(frozen=True)
class Membership:
    """A text's membership of one theme."""

    theme_id: str
    score: float


@dataclass(frozen=True)
class Assignment:
    """The themes of one text: main theme id (None when unthemed) and all memberships.

    ``sentiment`` is None when the text was not scored (a language the lexicon does not
    cover); ``non_answer`` marks texts with no substantive content (never themed).
    """

    id: str
    theme_id: str | None
    memberships: list[Membership]
    sentiment: float | None
    non_answer: bool = False


# The default range of ``n_themes="auto"`` (analysis.select): from 6 themes (fewer hide too
# much) to 100 (the most an analyst can ask for in the web layer); never more than one theme
# per ten distinct texts.
MIN_THEMES = 6
MAX_THEMES = 100


@dataclass(frozen=True)
class KCurve:
    """The criterion used to choose the number of themes, with its value for each candidate."""

    criterion: str
    candidates: list[int]
    scores: list[float]
    chosen: int


@dataclass
class ThemeResult:
    """Themes, per-text assignments and what is needed to assign new texts later."""

    themes: list[Theme]
    assignments: list[Assignment]
    unthemed_share: float
    params: dict[str, Any]
    k_curve: KCurve | None = None
    idf: dict[str, float] = field(default_factory=dict)
    min_score: float = 0.0
    multi_ratio: float = 1.0
    # Texts with no substantive content ("N/A", "don't know", emoji alone): counted, not themed.
    non_answers: int = 0

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form, floats rounded for stable output."""

        def clean(value: Any) -> Any:
            if isinstance(value, float):
                return _r(value)
            if isinstance(value, dict):
                return {str(k): clean(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [clean(v) for v in value]
            return value

        texts = [
            {
                "id": a.id,
                "theme_id": a.theme_id,
                "memberships": [
                    {"theme_id": m.theme_id, "score": _r(m.score)}
                    for m in a.memberships
                ],
                "sentiment": None if a.sentiment is None else _r(a.sentiment),
                "non_answer": a.non_answer,
            }
            for a in self.assignments
        ]
        data = clean(
            {
                "themes": [asdict(t) for t in self.themes],
                "unthemed_share": self.unthemed_share,
                "non_answers": self.non_answers,
                "params": self.params,
                "k_curve": None if self.k_curve is None else asdict(self.k_curve),
                "model": {
                    "idf": self.idf,
                    "min_score": self.min_score,
                    "multi_ratio": self.multi_ratio,
                },
            }
        )
        # Per-text parts are built already rounded: cleaning 100,000 of them costs seconds.
        data["assignments"] = [a.theme_id for a in self.assignments]
        data["texts"] = texts
        return dict(data)

    def to_json(self, indent: int | None = None) -> str:
        """JSON text with sorted keys: equal results give byte-identical JSON."""
        return (
            json.dumps(
                self.to_dict(), indent=indent, sort_keys=True, ensure_ascii=False
            )
            + "\n"
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThemeResult:
        """Rebuild a result from :meth:`to_dict` output."""
        themes = [
            Theme(
                id=t["id"],
                label=t["label"],
                description=t["description"],
                key_phrases=list(t["key_phrases"]),
                size=int(t["size"]),
                weighted_share=float(t["weighted_share"]),
                mean_sentiment=_maybe_float(t["mean_sentiment"]),
                quotes=[Quote(**q) for q in t["quotes"]],
                profile={str(k): float(v) for k, v in t.get("profile", {}).items()},
                respondents=t.get("respondents"),
                sentiment_scored=int(t.get("sentiment_scored", 0)),
            )
            for t in data["themes"]
        ]
        assignments = [
            Assignment(
                id=a["id"],
                theme_id=a["theme_id"],
                memberships=[Membership(**m) for m in a["memberships"]],
                sentiment=_maybe_float(a["sentiment"]),
                non_answer=bool(a.get("non_answer", False)),
            )
            for a in data.get("texts", [])
        ]
        curve = data.get("k_curve")
        model = data.get("model", {})
        return cls(
            themes=themes,
            assignments=assignments,
            unthemed_share=float(data.get("unthemed_share", 0.0)),
            params=dict(data.get("params", {})),
            k_curve=None if curve is None else KCurve(**curve),
            idf={str(k): float(v) for k, v in model.get("idf", {}).items()},
            min_score=float(model.get("min_score", 0.0)),
            multi_ratio=float(model.get("multi_ratio", 1.0)),
            non_answers=int(data.get("non_answers", 0)),
        )

    @classmethod
    def from_json(cls, text: str) -> ThemeResult:
        """Rebuild a result from :meth:`to_json` output."""
        return cls.from_dict(json.loads(text))
