"""A survey's answers grouped in the database: per question and distinct answer, the ids of the
complete responses that gave it (`surveys.weighting.grouped_results` turns these and a run's
weights into the same figures `questions_results` computes from every response's answers).

The database takes the answers out of each response's JSON once (`json_each`, on PostgreSQL and
on SQLite) and groups them, so Python decodes a few hundred distinct answers however many
responses there are, and the JSON is read outside the web worker's interpreter (PostgreSQL may
spread it over parallel workers). Issue 21: 20,000 responses took 3.3 s in Python (reading and
decoding every response's answers, then a loop per answer) on a loaded machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import bindparam, func, select, text

from engage.extensions import db
from engage.models import Response, ResponseWeight
from surveys.weighting.results import Group

_GROUPED = {
    # PostgreSQL: the column is `json`; a value is grouped by its JSON text (decoded here).
    "postgresql": text(
        "SELECT e.key, e.value::text, NULL, string_agg(r.id::text, ',') FROM responses r"
        " CROSS JOIN json_each(CASE WHEN json_typeof(r.answers) = 'object' THEN r.answers"
        " ELSE '{}'::json END) AS e"
        " WHERE r.survey_id = :survey AND r.status = 'submitted' AND e.key IN :keys"
        " GROUP BY e.key, e.value::text").bindparams(bindparam("keys", expanding=True)),
    # SQLite: json_each gives the SQL value and its JSON type.
    "sqlite": text(
        "SELECT e.key, e.value, e.type, group_concat(r.id, ',') FROM responses r"
        " CROSS JOIN json_each(CASE WHEN json_type(r.answers) = 'object' THEN r.answers"
        " ELSE '{}' END) AS e"
        " WHERE r.survey_id = :survey AND r.status = 'submitted' AND e.key IN :keys"
        " GROUP BY e.key, e.value, e.type").bindparams(bindparam("keys", expanding=True)),
}

Weights = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]


@dataclass(frozen=True)
class GroupedAnswers:
    """Complete responses and, per question id, each distinct answer with its responses' ids."""

    responses: int
    questions: dict[str, list[Group]]


def _value(raw: object, kind: str | None) -> object:
    """An answer as Python reads it from the JSON (`kind`: SQLite's type of the value)."""
    if kind is None or kind in ("array", "object"):
        return json.loads(str(raw))
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "null":
        return None
    return raw  # text, integer or real, as stored


def _ids(joined: object) -> npt.NDArray[np.int64]:
    """Comma-separated ids as an array (parsed in C: 2.6 million ids at 1M responses)."""
    if not joined:
        return np.zeros(0, np.int64)
    return np.fromstring(str(joined), dtype=np.int64, sep=",")


def _dialect() -> str:
    return "postgresql" if db.session.get_bind().dialect.name == "postgresql" else "sqlite"


def grouped_answers(survey_id: int, question_ids: Iterable[str]) -> GroupedAnswers:
    """The survey's complete responses' answers to these questions, grouped by answer."""
    keys = sorted(set(question_ids))
    questions: dict[str, list[Group]] = {}
    if keys:
        for key, raw, raw_kind, joined in db.session.execute(
                _GROUPED[_dialect()], {"survey": survey_id, "keys": keys}):
            questions.setdefault(str(key), []).append((_value(raw, raw_kind), _ids(joined)))
    responses = db.session.scalar(select(func.count()).select_from(Response).where(
        Response.survey_id == survey_id, Response.status == "submitted"))
    return GroupedAnswers(int(responses or 0), questions)


def run_weights(run_id: int) -> Weights:
    """The run's weights as (response ids in increasing order, their weights)."""
    if _dialect() == "postgresql":
        # One row of text: PostgreSQL writes each float8 exactly (shortest round trip).
        ids, weights = db.session.execute(text(
            "SELECT string_agg(response_id::text, ',' ORDER BY response_id),"
            " string_agg(weight::text, ',' ORDER BY response_id)"
            " FROM response_weights WHERE run_id = :run"), {"run": run_id}).one()
        return _ids(ids), np.array([float(w) for w in str(weights or "").split(",")
                                    if weights], float)
    rows = db.session.execute(select(ResponseWeight.response_id, ResponseWeight.weight)
                              .where(ResponseWeight.run_id == run_id)
                              .order_by(ResponseWeight.response_id)).all()
    return (np.array([r for r, _ in rows], np.int64),
            np.array([float(w) for _, w in rows], float))
