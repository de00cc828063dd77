"""The OpenAPI 3.1 description of /api/v1 (its schemas are JSON Schema 2020-12, and the tests
validate real responses against them)."""

from __future__ import annotations

from typing import Any

NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}
_GROUP_FIGURES = {
    "people": {**NULLABLE_INT, "description": "Distinct people whose text is in it; null "
                                              "under 10"},
    "comments": {**NULLABLE_INT, "description": "Texts in it; null when people are under 10"},
    "weighted_percent": {**NULLABLE_NUMBER, "description": (
        "Weighted share of the survey's respondents whose text is in it; null without "
        "weights or when people are under 10")},
}
CELL = {"type": ["string", "number", "integer"]}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "additionalProperties": False,
              "properties": {"error": {"type": "string"}}},
    "Response": {
        "type": "object", "additionalProperties": False,
        "required": ["reference", "submitted_at", "channel", "language", "ward", "weight",
                     "answers"],
        "properties": {
            "reference": {"type": "string", "description": "The response's reference."},
            "submitted_at": {"type": "string", "format": "date-time"},
            "channel": {"enum": ["online", "face_to_face", "phone", "paper", "import",
                                 "group_session"]},
            "language": {"type": "string"},
            "ward": NULLABLE_STRING,
            "weight": {**NULLABLE_NUMBER, "description": "null until the survey is weighted"},
            "answers": {"type": "object", "additionalProperties": CELL,
                        "description": "Answers keyed by the codebook's column keys; labels, "
                                       "not ids; free text with personal details redacted; "
                                       "questions not answered are left out."},
        },
    },
    "ResponsePage": {
        "type": "object", "additionalProperties": False,
        "required": ["survey", "page", "per_page", "total", "pages", "next_cursor", "items"],
        "properties": {
            "survey": {"type": "string"}, "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 500},
            "total": {"type": "integer", "minimum": 0}, "pages": {"type": "integer"},
            "next_cursor": {**NULLABLE_STRING, "description": (
                "Pass as `after` to get the next page (found by key: as fast deep in a large "
                "survey as at its start); null on the last page.")},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Response"}},
        },
    },
    "AnswerResult": {
        "type": "object", "additionalProperties": False,
        "required": ["answer_id", "answer", "respondents", "percent", "weighted_percent",
                     "ci_low", "ci_high", "suppressed"],
        "properties": {
            "answer_id": {"type": "string"}, "answer": {"type": "string"},
            "respondents": NULLABLE_INT, "percent": NULLABLE_NUMBER,
            "weighted_percent": NULLABLE_NUMBER, "ci_low": NULLABLE_NUMBER,
            "ci_high": NULLABLE_NUMBER,
            "suppressed": {**NULLABLE_STRING,
                           "description": "Why the figures are withheld (fewer than "
                                          "min_count respondents), else null."},
        },
    },
    "QuestionResult": {
        "type": "object", "additionalProperties": False,
        "required": ["question_id", "question", "base", "effective_base", "weighted",
                     "suppressed", "answers"],
        "properties": {
            "question_id": {"type": "string"}, "question": {"type": "string"},
            "base": {"type": "integer"}, "effective_base": {"type": "number"},
            "weighted": {"type": "boolean"}, "suppressed": NULLABLE_STRING,
            "answers": {"type": "array",
                        "items": {"$ref": "#/components/schemas/AnswerResult"}},
        },
    },
    "Results": {
        "type": "object", "additionalProperties": False,
        "required": ["survey", "responses", "min_count", "questions"],
        "properties": {
            "survey": {"type": "string"}, "responses": {"type": "integer"},
            "min_count": {"type": "integer"},
            "questions": {"type": "array",
                          "items": {"$ref": "#/components/schemas/QuestionResult"}},
        },
    },
    "Consultations": {
        "type": "object", "additionalProperties": False, "required": ["consultations"],
        "properties": {"consultations": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["slug", "title", "status", "organisation", "opens_on", "closes_on",
                         "results_published_on"],
            "properties": {
                "slug": {"type": "string"}, "title": {"type": "string"},
                "status": {"enum": ["open", "closed", "results"]},
                "organisation": {"type": "string"},
                "opens_on": {"type": "string", "format": "date"},
                "closes_on": {"type": "string", "format": "date"},
                "results_published_on": {"type": ["string", "null"], "format": "date"}}}}},
    },
    "Themes": {
        "type": "object", "additionalProperties": False,
        "required": ["survey", "themes", "codes"],
        "properties": {
            "survey": {"type": "string"},
            "themes": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "description", "responses", "people", "comments",
                             "weighted_percent", "quotes"],
                "properties": {"name": {"type": "string"}, "description": {"type": "string"},
                               "responses": {**NULLABLE_INT, "description": (
                                   "Distinct people (one response each) whose text is in the "
                                   "theme; null under 10 (the same as people)")},
                               **_GROUP_FIGURES,
                               "quotes": {"type": "array", "items": {"type": "string"},
                                          "description": "Redacted quotes staff marked "
                                                         "publishable"}}}},
            "codes": {"type": "array", "description": (
                "Codes of the newest codeframe an analyst marked final (every text coded by "
                "a person, double-coding disagreements resolved)"), "items": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "description", "people", "comments", "weighted_percent"],
                "properties": {"name": {"type": "string"}, "description": {"type": "string"},
                               **_GROUP_FIGURES}}},
        },
    },
}

# The partnership plan (issue 18): open data, no token, no personal data.
_POINT = {"type": "object", "additionalProperties": False, "required": ["value", "date"],
          "properties": {"value": {"type": "number"}, "date": {"type": "string", "format": "date"}}}
_ACTION_STATUS = {"enum": ["not_started", "on_track", "at_risk", "delayed", "done"]}
SCHEMAS["Plan"] = {
    "type": "object", "additionalProperties": False,
    "required": ["title", "start_year", "end_year", "updated", "priorities"],
    "properties": {
        "title": {"type": "string"}, "start_year": {"type": "integer"},
        "end_year": {"type": "integer"}, "updated": {"type": "string", "format": "date-time"},
        "priorities": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["id", "title", "description", "outcomes", "actions", "indicators"],
            "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"},
                "description": {"type": "string"},
                "outcomes": {"type": "array", "items": {"type": "string"}},
                "actions": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["id", "title", "owner", "status", "due"],
                    "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                   "owner": {"type": "string",
                                             "description": "The partner organisation"},
                                   "status": _ACTION_STATUS,
                                   "due": {"type": "string", "format": "date"}}}},
                "indicators": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["id", "name", "unit", "owner", "direction", "frequency",
                                 "baseline", "target", "latest", "status"],
                    "properties": {
                        "id": {"type": "integer"}, "name": {"type": "string"},
                        "unit": {"type": "string"}, "owner": {"type": "string"},
                        "direction": {"enum": ["higher", "lower"],
                                      "description": "Which way is better"},
                        "frequency": {"enum": ["monthly", "quarterly", "annually"]},
                        "baseline": _POINT, "target": _POINT,
                        "latest": {"oneOf": [_POINT, {"type": "null"}]},
                        "status": {"enum": ["green", "amber", "red", None], "description": (
                            "Against the straight line from baseline to target on the latest "
                            "update's date: green within 5% of the planned change, amber "
                            "within 15%, red beyond; null before any update")}}}},
            }}},
    },
}
PLAN_PATH = {"get": {
    "summary": "The published partnership plan (open data: no token, no personal data)",
    "security": [],
    "responses": {
        "200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Plan"}}}},
        "404": {"description": "No plan published", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}},
        "429": {"description": "Too many requests"},
    },
}}


def _op(summary: str, schema: str, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    def ref(name: str) -> dict[str, Any]:
        return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}

    return {"get": {
        "summary": summary,
        "parameters": [{"name": "slug", "in": "path", "required": True,
                        "schema": {"type": "string"}}, *(extra or [])],
        "responses": {
            "200": {"description": "OK", "content": ref(schema)},
            "401": {"description": "No valid token", "content": ref("Error")},
            **({"400": {"description": "A malformed page, per_page or after",
                        "content": ref("Error")}} if extra else {}),
            "404": {"description": "No such survey for this token", "content": ref("Error")},
            "429": {"description": "Too many requests"},
        },
    }}


def spec(server: str) -> dict[str, Any]:
    """The OpenAPI document, with this server's URL."""
    paging = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1},
         "description": "A page by number (counted to: slower deep in a large survey; prefer "
                        "`after`). Ignored with `after`."},
        {"name": "after", "in": "query", "schema": {"type": "string"},
         "description": "The `next_cursor` of the previous page. Anything else is a 400."},
        {"name": "per_page", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Engage partner API", "version": "1.1.0",
                 "description": "Read-only access to survey responses (free text redacted), "
                                "results per question and themes, for partners' tools. Ask "
                                "an administrator for a token scoped to your surveys."},
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": {
            "/surveys/{slug}/responses": _op("A page of responses", "ResponsePage", paging),
            "/surveys/{slug}/results": _op("Results per closed question", "Results"),
            "/surveys/{slug}/themes": _op("Approved themes with publishable quotes, and the codes "
                                         "of a final codeframe", "Themes"),
            "/consultations": {"get": {
                "summary": "Open data: every public consultation (no token needed)",
                "security": [], "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Consultations"}}}},
                    "429": {"description": "Too many requests"}}}},
            "/plan": PLAN_PATH,
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
    }
