"""The bare Flask "hello" app that bench/http_bench.py measures Engage against."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The cheapest page Flask can serve: the baseline for the ratios."""
    return "Hello, World!"
