"""Routes: /consultations (search, filters, pages; a GET form that works without JavaScript),
/consultations/<slug> (about, how to take part, results) and its documents."""

from __future__ import annotations

from datetime import date

from flask import abort, make_response, render_template, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from engage.blueprints.mayor_public.routes import pager, ward_names
from engage.blueprints.public import bp
from engage.forms.consultations import SubscribeForm
from engage.routing import int_arg
from engage.services.consultations import public
from engage.services.mayor.public import active_topics


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


@bp.route("/consultations")
def consultations() -> str:
    """Every public consultation: open, closed awaiting results, and with results."""
    lang = _lang()
    wards = ward_names(lang)
    topics = active_topics()
    organisations = public.organisations()
    filters = _filters(wards, {t.slug for t in topics}, organisations)
    page = public.list_page(filters, int_arg("page", 1) or 1)
    return render_template(
        "public/consultations.html", page=page, filters=filters, wards=wards, topics=topics,
        organisations=organisations, lang=lang,
        pager=pager(page.page, page.pages, "public.consultations"))


def subscribe_form(lang: str) -> SubscribeForm:
    """The subscription form with its ward and topic choices."""
    from flask_babel import gettext as _

    form = SubscribeForm(formdata=None)
    form.ward.choices = [("", _("Any ward")), *ward_names(lang).items()]
    form.topic.choices = [("", _("Any topic")),
                          *((str(t.id), t.name(lang)) for t in active_topics())]
    return form


@bp.route("/consultations/<slug>")
def consultation_page(slug: str) -> str:
    """A consultation: what, why, who, what next, how to take part; then its results."""
    try:
        found = public.by_slug(slug)
    except LookupError:
        abort(404)
    lang = _lang()
    names = ward_names(lang)
    return render_template(
        "public/consultation.html", c=found, lang=lang,
        surveys=public.survey_links(found, lang, date.today()),
        documents=public.documents_of(found.id), wards=[names.get(w.ward, w.ward)
                                                        for w in found.wards],
        topic_names=[t.name(lang) for t in found.topics],
        results=public.results(found, lang))


@bp.route("/consultations/<slug>/documents/<int:document_id>")
def consultation_document(slug: str, document_id: int) -> Response:
    """An uploaded document, always as a download with its checked type (never run in the
    browser, never sniffed)."""
    try:
        found = public.document(slug, document_id)
    except LookupError:
        abort(404)
    response = make_response(found.content or b"")
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
