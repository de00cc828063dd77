"""Routes: /staff/surveys (list with response counts), CSV and XLSX exports, insight report."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WResponse

from engage.blueprints import results_required, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.blueprints.staff.themes import equity_group_labels
from engage.forms import options
from engage.forms.insight import ExportJobForm
from engage.forms.messages import DIMENSION_LABELS
from engage.forms.messages import RESPONSE_CHANNEL_LABELS as CHANNEL_LABELS
from engage.models._types import utcnow
from engage.services.code.themes import equity
from engage.services.collect import response_timeline
from engage.services.report import (
    export_jobs,
    export_rows,
    export_spss,
    export_xlsx,
    exports,
    report_pdf,
)
from engage.services.report import insight_report as insight
from surveys.errors import NotFound

READERS = ("engagement_officer", "analyst")
AGGREGATE_READERS = (*READERS, "partner_viewer")


@bp.route("/surveys")
@staff_required(*AGGREGATE_READERS)
def surveys() -> str:
    """Every survey, with responses sent and in progress by channel, and its exports."""
    summaries = exports.survey_summaries(staff_user(), str(get_locale() or "en"))
    # The same counts the cards already show to everyone who sees them, per day and channel.
    charts = response_timeline.timelines(s.slug for s in summaries if s.submitted)
    return render_template("staff/surveys.html", summaries=summaries, charts=charts,
                           channel_labels=CHANNEL_LABELS,
                           rows_allowed=export_rows.may_export_rows(staff_user()),
                           redacted=not export_rows.sees_personal_data(staff_user()))


def _download(export: exports.Export, mimetype: str = "text/csv") -> Response:
    response = Response(stream_with_context(export.chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Row-Count"] = str(export.rows)
    return response


@bp.route("/surveys/<slug>/responses.csv", methods=["POST"])
@staff_required(*READERS)
@results_required
def export_responses(slug: str) -> Response:
    """Download every sent response as CSV (logged with its row count)."""
    try:
        return _download(exports.responses_csv(slug, staff_user(), request.remote_addr or ""))
    except NotFound:
        abort(404)
    except PermissionError:
        abort(403)


@bp.route("/surveys/<slug>/responses.sav", methods=["POST"])
@staff_required(*READERS)
@results_required
def export_responses_sav(slug: str) -> Response:
    """Download every sent response as an SPSS .sav file (the CSV's roles and redaction)."""
    try:
        export = export_spss.responses_sav(slug, staff_user(), request.remote_addr or "")
    except NotFound:
        abort(404)
    except PermissionError:
        abort(403)
    return _download(export, "application/x-spss-sav")


@bp.route("/surveys/<slug>/codebook.csv", methods=["POST"])
@staff_required(*READERS)
@results_required
def export_codebook(slug: str) -> Response:
    """Download the codebook that explains every column of the responses CSV."""
    try:
        return _download(exports.codebook_csv(slug, staff_user(), request.remote_addr or ""))
    except NotFound:
        abort(404)
    except PermissionError:
        abort(403)


@bp.route("/surveys/<slug>/insight.xlsx", methods=["POST"])
@staff_required(*AGGREGATE_READERS)
@results_required
def export_workbook(slug: str) -> Response:
    """Download the workbook: responses (not for partners), codebook, results and themes."""
    try:
        return _download(export_xlsx.workbook_xlsx(slug, staff_user(),
                                                   request.remote_addr or ""),
                         mimetype=export_xlsx.MIME)
    except NotFound:
        abort(404)
    except PermissionError:
        abort(403)


@bp.route("/surveys/<slug>/report")
@staff_required(*AGGREGATE_READERS)
@results_required
def insight_report(slug: str) -> str:
    """The insight report for one survey: printable, charts with their numbers; audited."""
    try:
        report = insight.build_report(slug, str(get_locale() or "en"))
    except NotFound:
        abort(404)
    insight.record_view(report, staff_user(), request.remote_addr or "")
    return render_template("staff/insight/report.html", report=report,
                           group_labels=equity_group_labels(),
                           dimension_labels=DIMENSION_LABELS,
                           min_highlight=equity.HIGHLIGHT_MIN_TEXTS)


@bp.route("/surveys/<slug>/report.pdf")
@staff_required(*AGGREGATE_READERS)
@results_required
def insight_report_pdf(slug: str) -> Response | str:
    """The insight report as a tagged PDF (same roles and content as the page); audited."""
    language = str(get_locale() or "en")
    try:
        report = insight.build_report(slug, language)
    except NotFound:
        abort(404)
    context = {"report": report, "language": language, "made": utcnow(),
               "group_labels": equity_group_labels(), "dimension_labels": DIMENSION_LABELS,
               "min_highlight": equity.HIGHLIGHT_MIN_TEXTS, "titled_svg": report_pdf.titled_svg}
    html = render_template("staff/insight/report_pdf.html", **context)
    missing = report_pdf.needs_font(html)
    if missing and language in missing:  # a PDF of empty boxes: say so, in the page's font
        return render_template("staff/insight/report_pdf_missing.html", report=report,
                               reason="font")
    if missing:
        html = render_template("staff/insight/report_pdf.html", font_note=True, **context)
    label = report_pdf.page_label_css(_("Page %(number)s of %(total)s", **report_pdf.PAGE_PLACES),
                                      language)
    try:
        pdf = report_pdf.render_pdf(html, label)
    except report_pdf.Unavailable:
        return render_template("staff/insight/report_pdf_missing.html", report=report,
                               reason="library")
    response = Response(pdf, mimetype=report_pdf.MIME)
    insight.record_view(report, staff_user(), request.remote_addr or "", action="report.pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-report.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/surveys/<slug>/export-job", methods=["POST"])
@staff_required(*AGGREGATE_READERS)
@results_required
def export_job(slug: str) -> WResponse:
    """Start a large export in the background and go to its progress page."""
    form = ExportJobForm()
    form.format.choices = options((fmt, fmt) for fmt in export_jobs.FORMATS)
    if not form.validate_on_submit():
        abort(400)
    try:
        job = export_jobs.start_export(slug, form.format.data, staff_user())
    except NotFound:
        abort(404)
    except ValueError:
        abort(400)
    except PermissionError:
        abort(403)
    return redirect(url_for("staff.job_page", job_id=job.id), code=303)


@bp.route("/exports/<int:job_id>/download")
@staff_required(*AGGREGATE_READERS)
def export_download(job_id: int) -> Response | tuple[str, int]:
    """Download a finished background export (its creator only, while they may still see the
    survey's results, until the link expires)."""
    try:
        path, filename, fmt = export_jobs.download(job_id, staff_user())
    except NotFound:
        abort(404)
    except PermissionError:
        abort(403)
    except export_jobs.Expired:
        return render_template("staff/insight/export_expired.html",
                               hours=export_jobs.link_hours()), 410
    response = send_file(path, mimetype=export_xlsx.MIME if fmt == "xlsx" else "text/csv",
                         as_attachment=True, download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
