"""Routes: /consultations (search, filters, pages; a GET form that works without JavaScript),
/consultations/<slug> (about, how to take part, results) and its documents."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import abort, make_response, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from engage.blueprints.caching import cached_page
from engage.blueprints.mayor_public.routes import ward_names
from engage.blueprints.paging import page_arg, pager
from engage.blueprints.public import bp
from engage.forms.consultations import SubscribeForm
from engage.services.collect.consultations import public
from engage.services.collect.mayor.public import active_topics
from engage.services.platform.results_policy import min_count
from surveys.errors import NotFound


def _lang() -> str:
    return str(get_locale() or "en")


def _filters(wards: dict[str, str], topics: set[str], organisations: list[str]
             ) -> public.Filters:
    args = request.args
    ward, topic = args.get("ward", ""), args.get("topic", "")
    organisation, status = args.get("organisation", ""), args.get("status", "")
    return public.Filters(
        search=args.get("q", "")[:100].strip(),
        status=status if status in public.STATUS_FILTERS else "",
        topic=topic if topic in topics else "",
        ward=ward if ward in wards else "",
        organisation=organisation if organisation in organisations else "")


CACHE_SECONDS = 60
"""A consultation's page is rendered at most once a minute (per language and address) unless
it changes: its results come from the insight report, which is costly, and what it shows of
its surveys and updates is at most a minute old."""


@bp.route("/consultations")
def consultations() -> str | Response:
    """Every public consultation: open, closed awaiting results, and with results. The page is
    the same for everyone: cached until a consultation or a topic changes."""
    lang = _lang()
    topics = active_topics()

    def context() -> dict[str, Any]:
        wards = ward_names(lang)
        organisations = public.organisations()
        filters = _filters(wards, {t.slug for t in topics}, organisations)
        page = public.list_page(filters, page_arg())
        return {"page": page, "filters": filters, "wards": wards, "organisations": organisations,
                "pager": pager(page.page, page.pages, "public.consultations")}

    key = (public.stamp(), tuple((t.slug, t.name_en, t.name_bn) for t in topics))
    return cached_page(key, "public/consultations.html", context, topics=topics, lang=lang)


def subscribe_form(lang: str) -> SubscribeForm:
    """The subscription form with its ward and topic choices."""
    from flask_babel import gettext as _

    form = SubscribeForm(formdata=None)
    form.ward.choices = [("", _("Any ward")), *ward_names(lang).items()]
    form.topic.choices = [("", _("Any topic")),
                          *((str(t.id), t.name(lang)) for t in active_topics())]
    return form


@bp.route("/consultations/<slug>")
def consultation_page(slug: str) -> str | Response:
    """A consultation: what, why, who, what next, how to take part; then its results. Cached
    until it changes, for a minute at most."""
    try:
        found = public.by_slug(slug)
    except NotFound:
        abort(404)
    lang = _lang()

    def context() -> dict[str, Any]:
        names = ward_names(lang)
        return {"surveys": public.survey_links(found, lang, date.today()),
                "documents": public.documents_of(found.id),
                "wards": [names.get(w.ward, w.ward) for w in found.wards],
                "topic_names": [t.name(lang) for t in found.topics],
                "results": public.results(found, lang)}

    minute = int(time.time() // CACHE_SECONDS)
    key = (found.id, str(found.updated_at), found.status, date.today(), min_count(), minute,
           public.documents_stamp(found.id),
           tuple(s.id for s in found.surveys if not s.invitation_only))
    return cached_page(key, "public/consultation.html", context, c=found, lang=lang)


@bp.route("/consultations/<slug>/documents/<int:document_id>")
def consultation_document(slug: str, document_id: int) -> Response:
    """An uploaded document, always as a download with its checked type (never run in the
    browser, never sniffed)."""
    try:
        found = public.document(slug, document_id)
    except NotFound:
        abort(404)
    response = make_response(found.content or b"")
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
