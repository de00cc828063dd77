"""Absolute links the service shows or sends, built from BASE_URL and never from the Host
header of a request (S22): resume links, emails and the OpenAPI servers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    """The configured address of the service, without a trailing slash."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of one of the service's pages, under BASE_URL; works inside a
    request or outside one (a job, a command)."""
    base = urlsplit(base_url())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
