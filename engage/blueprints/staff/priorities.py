"""Routes: Task and Finish groups and their priority boards (/staff/priorities)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engage.blueprints import found_or_404, staff_required, staff_user
from engage.blueprints.staff import bp
from engage.extensions import db
from engage.formatting import format_date
from engage.forms import messages
from engage.forms.messages import (
    BOARD_ERROR_DEFAULT,
    BOARD_ERRORS,
    BOARD_EVENT_LABELS,
    BOARD_STATE_LABELS,
)
from engage.forms.priorities import (
    BoardForm,
    CriterionForm,
    GroupForm,
    ShortlistForm,
    default_criteria,
    parse_weight,
    score_form,
    weights_form,
)
from engage.forms.themes import ButtonForm
from engage.models import BoardCriterion, BoardItem, PriorityBoard, TaskGroup
from engage.services.code.coding import final, frames
from engage.services.code.themes import views
from engage.services.decide.priorities import boards, evidence, groups
from engage.services.decide.priorities.groups import BoardError, Forbidden
from engage.services.decide.priorities.shortlists import shortlist
from engage.services.platform import results_policy

VIEWERS = ("analyst", "engagement_officer", "group_member", "partner_viewer")
ACTORS = ("analyst", "engagement_officer", "group_member")  # the services check the rest




def _error(exc: BoardError) -> str:
    return str(BOARD_ERRORS.get(exc.code, BOARD_ERROR_DEFAULT))


def _group(group_id: int) -> TaskGroup:
    return found_or_404(groups.get_group(group_id))


def _board(board_id: int) -> PriorityBoard:
    return found_or_404(boards.get_board(board_id))


def _errors(*forms: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for form in forms:
        for field in form:
            if field.errors:
                out.append((field.id, str(field.errors[0])))
    return out


# ---------------------------------------------------------------- groups


@bp.route("/priorities")
@staff_required(*VIEWERS)
def priorities_index() -> str:
    """Every Task and Finish group and its boards."""
    user = staff_user()
    rows = [(g, boards.boards_of(g)) for g in groups.all_groups()]
    return render_template("staff/priorities/index.html", rows=rows, mine=groups.groups_of(user),
                           can_manage=groups.can_manage(user), state_labels=BOARD_STATE_LABELS)


def _group_form(group: TaskGroup | None = None) -> GroupForm:
    if group is not None and request.method == "GET":
        form = GroupForm(data={"name": group.name, "remit": group.remit,
                               "chair": str(group.chair_id or ""),
                               "members": sorted(groups.member_ids(group))})
    else:
        form = GroupForm()
    people = groups.member_choices()
    labels = messages.ROLE_LABELS

    def label(u: Any) -> str:
        return f"{u.name or u.email} ({labels.get(u.role, u.role)})"

    form.chair.choices = [("", _("Select the chair"))] + [(str(u.id), label(u)) for u in people]
    form.members.choices = [(u.id, label(u)) for u in people]
    return form


def _save_group(form: GroupForm, group: TaskGroup | None) -> TaskGroup | None:
    chair = int(form.chair.data) if (form.chair.data or "").isdigit() else None
    try:
        if group is None:
            return groups.create_group(staff_user(), form.name.data, form.remit.data or "", chair,
                                       form.members.data or [])
        return groups.update_group(group, staff_user(), form.name.data, form.remit.data or "",
                                   chair, form.members.data or [])
    except BoardError as exc:
        field = {"chair_missing": form.chair, "member_unknown": form.members}.get(
            exc.code, form.name)
        field.errors = [_error(exc)]
    except Forbidden:
        abort(403)
    return None


@bp.route("/priorities/groups/new", methods=["GET", "POST"])
@staff_required(*groups.MANAGERS)
def priorities_group_new() -> str | Response | tuple[str, int]:
    """Set up a Task and Finish group: name, remit, chair and members."""
    form = _group_form()
    if form.validate_on_submit():
        group = _save_group(form, None)
        if group is not None:
            flash(_("Group created"), "success")
            return redirect(url_for("staff.priorities_group", group_id=group.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/priorities/group_form.html", form=form, group=None,
                           page_errors=_errors(form)), status


@bp.route("/priorities/groups/<int:group_id>")
@staff_required(*VIEWERS)
def priorities_group(group_id: int) -> str:
    """A group: its remit, chair, members and boards."""
    group = _group(group_id)
    user = staff_user()
    return render_template(
        "staff/priorities/group.html", group=group, members=groups.members(group),
        boards=boards.boards_of(group), state_labels=BOARD_STATE_LABELS,
        can_edit=groups.can_manage(user) or groups.can_chair(group, user),
        role_labels=messages.ROLE_LABELS)


@bp.route("/priorities/groups/<int:group_id>/edit", methods=["GET", "POST"])
@staff_required(*ACTORS)
def priorities_group_edit(group_id: int) -> str | Response | tuple[str, int]:
    """Change a group's name, remit, chair or members (managers or the chair)."""
    group = _group(group_id)
    user = staff_user()
    if not (groups.can_manage(user) or groups.can_chair(group, user)):
        abort(403)
    form = _group_form(group)
    if form.validate_on_submit() and _save_group(form, group) is not None:
        flash(_("Group saved"), "success")
        return redirect(url_for("staff.priorities_group", group_id=group.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/priorities/group_form.html", form=form, group=group,
                           page_errors=_errors(form)), status


@bp.route("/priorities/groups/<int:group_id>/boards/new", methods=["GET", "POST"])
@staff_required(*ACTORS)
def priorities_board_new(group_id: int) -> str | Response | tuple[str, int]:
    """Start a board from the approved themes of chosen analysis runs."""
    group = _group(group_id)
    user = staff_user()
    if not (groups.can_manage(user) or groups.can_chair(group, user)):
        abort(403)
    form = BoardForm()
    runs = [r for r in boards.scorable_runs() if results_policy.may_see_run(user, r.id)]
    form.runs.choices = [(r.id, _("Run %(id)s of %(date)s: %(n)s texts", id=r.id,
                                  date=format_date(r.created_at), n=r.text_count))
                         for r in runs]
    finals = [f for f in final.final_codeframes() if frames.may_see(user, f)]
    form.codeframes.choices = [(f.id, _("%(title)s: %(n)s texts", title=f.title,
                                        n=f.text_count)) for f in finals]
    if form.validate_on_submit():
        try:
            board = boards.create_board(group, user, form.title.data, form.runs.data or [],
                                        default_criteria(),
                                        codeframe_ids=form.codeframes.data or [])
        except BoardError as exc:
            (form.title if exc.code == "title_missing" else form.runs).errors = [_error(exc)]
        except Forbidden:
            abort(403)
        else:
            flash(_("Board created: agree the criteria, then open scoring"), "success")
            return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("staff/priorities/board_new.html", form=form, group=group,
                           has_runs=bool(runs or finals), page_errors=_errors(form)), status


# ---------------------------------------------------------------- a board


def _board_page(board: PriorityBoard, status: int = 200,
                criterion_form: CriterionForm | None = None,
                weight_errors: dict[int, str] | None = None,
                weights_typed: dict[int, str] | None = None) -> tuple[str, int]:
    user = staff_user()
    group = boards.group_of(board)
    ranking = boards.ranking(board)
    history = boards.history(board)
    comments = boards.comments(board)
    ids = {e.actor_id for e in history} | {m for rows in comments.values() for m, *_ in rows}
    criterion_form = criterion_form or CriterionForm()
    errors = _errors(criterion_form) + [
        (f"weight-{cid}", msg) for cid, msg in (weight_errors or {}).items()]
    return render_template(
        "staff/priorities/board.html", board=board, group=group, ranking=ranking,
        criteria=boards.criteria(board),
        cards=evidence.cards([r.item for r in ranking], user), comments=comments,
        history=history, names=views.user_names(ids), chosen=shortlist(board),
        can_chair=groups.can_chair(group, user), can_score=boards.can_score(board, user),
        scorers=boards.scorer_count(board), member_count=len(groups.member_ids(group)),
        criterion_form=criterion_form,
        button_form=ButtonForm(), weight_errors=weight_errors or {},
        weights_typed=weights_typed or {}, page_errors=errors, state_labels=BOARD_STATE_LABELS,
        event_labels=BOARD_EVENT_LABELS, dimension_labels=messages.DIMENSION_LABELS,
        sees_personal=views.sees_personal_data(user)), status


@bp.route("/priorities/boards/<int:board_id>")
@staff_required(*VIEWERS)
def priorities_board(board_id: int) -> tuple[str, int]:
    """A board: criteria, the ranking with ties and disagreement, evidence cards, history."""
    return _board_page(_board(board_id))


def _chair_board(board_id: int) -> PriorityBoard:
    """The board, when the user may do the chair's work on it (else 403)."""
    board = _board(board_id)
    if not groups.can_chair(boards.group_of(board), staff_user()):
        abort(403)
    return board


def _back(board: PriorityBoard, message: str, anchor: str = "") -> Response:
    flash(message, "success")
    return redirect(url_for("staff.priorities_board", board_id=board.id) + anchor, code=303)


@bp.route("/priorities/boards/<int:board_id>/criteria", methods=["POST"])
@staff_required(*ACTORS)
def priorities_criterion_add(board_id: int) -> Response | tuple[str, int]:
    """Add a criterion (the chair, before scoring)."""
    board = _chair_board(board_id)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            boards.add_criterion(board, staff_user(), form.name.data, form.description.data or "",
                                 parse_weight(form.weight.data) or 0.0)
        except BoardError as exc:
            form.name.errors = [_error(exc)]
        except Forbidden:
            abort(403)
        else:
            return _back(board, _("Criterion added"), "#criteria")
    return _board_page(board, 400, criterion_form=form)


@bp.route("/priorities/boards/<int:board_id>/weights", methods=["POST"])
@staff_required(*ACTORS)
def priorities_weights(board_id: int) -> Response | tuple[str, int]:
    """Change the criteria's weights (the chair, before scoring)."""
    board = _chair_board(board_id)
    criteria = boards.criteria(board)
    form = weights_form(criteria)
    valid = form.validate_on_submit()
    if form.csrf_token.errors:
        abort(400)
    typed = {c.id: form[f"weight-{c.id}"].data for c in criteria}
    if valid:
        try:
            boards.set_weights(board, staff_user(),
                               {cid: parse_weight(text) or 0.0 for cid, text in typed.items()})
        except BoardError as exc:
            flash(_error(exc), "error")
            return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)
        except Forbidden:
            abort(403)
        return _back(board, _("Weights saved"), "#criteria")
    bad = {c.id: str(form[f"weight-{c.id}"].errors[0]) for c in criteria
           if form[f"weight-{c.id}"].errors}
    return _board_page(board, 400, weight_errors=bad, weights_typed=typed)


@bp.route("/priorities/boards/<int:board_id>/criteria/<int:criterion_id>/remove",
          methods=["POST"])
@staff_required(*ACTORS)
def priorities_criterion_remove(board_id: int, criterion_id: int) -> Response:
    """Remove a criterion (the chair, before scoring)."""
    board = _chair_board(board_id)
    criterion = db.one_or_404(select(BoardCriterion).filter_by(id=criterion_id,
                                                               board_id=board.id))
    if ButtonForm().validate_on_submit():
        try:
            boards.remove_criterion(board, criterion, staff_user())
        except BoardError as exc:
            flash(_error(exc), "error")
        except Forbidden:
            abort(403)
        else:
            return _back(board, _("Criterion removed"), "#criteria")
    return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)


@bp.route("/priorities/boards/<int:board_id>/open", methods=["POST"])
@staff_required(*ACTORS)
def priorities_open(board_id: int) -> Response:
    """Agree the criteria and open the board for scoring (the chair)."""
    board = _chair_board(board_id)
    if ButtonForm().validate_on_submit():
        try:
            boards.open_scoring(board, staff_user())
        except BoardError as exc:
            flash(_error(exc), "error")
        except Forbidden:
            abort(403)
        else:
            return _back(board, _("Scoring is open"))
    return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)


def _item(board: PriorityBoard, item_id: int) -> BoardItem:
    item: BoardItem = db.one_or_404(select(BoardItem).filter_by(id=item_id, board_id=board.id))
    return item


@bp.route("/priorities/boards/<int:board_id>/items/<int:item_id>/score",
          methods=["GET", "POST"])
@staff_required(*ACTORS)
def priorities_score(board_id: int, item_id: int) -> str | Response | tuple[str, int]:
    """A member scores one theme 1-5 on each criterion, with comments."""
    board = _board(board_id)
    item = _item(board, item_id)
    user = staff_user()
    if not boards.can_score(board, user):
        abort(403)
    criteria = boards.criteria(board)
    if request.method == "POST":
        form = score_form(criteria)
    else:
        mine = boards.my_scores(item, user)
        data: dict[str, Any] = {}
        for cid, s in mine.items():
            data[f"score_{cid}"] = str(s.value)
            data[f"comment_{cid}"] = s.comment
        form = score_form(criteria, data=data)
    if board.state != "scoring":
        flash(_error(BoardError("locked" if board.state == "locked" else "not_open")), "error")
        return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)
    if form.validate_on_submit():
        values = {c.id: (int(form[f"score_{c.id}"].data), form[f"comment_{c.id}"].data or "")
                  for c in criteria}
        try:
            boards.score(board, item, user, values)
        except BoardError as exc:
            flash(_error(exc), "error")
            return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)
        return _back(board, _("Scores saved for %(label)s", label=item.label),
                     f"#item-{item.id}")
    status = 400 if request.method == "POST" else 200
    card = evidence.cards([item], user)[item.id]
    return render_template("staff/priorities/score.html", board=board, item=item, card=card,
                           form=form, criteria=criteria, page_errors=_errors(form),
                           dimension_labels=messages.DIMENSION_LABELS), status


@bp.route("/priorities/boards/<int:board_id>/shortlist", methods=["GET", "POST"])
@staff_required(*ACTORS)
def priorities_shortlist(board_id: int) -> str | Response | tuple[str, int]:
    """The chair shortlists 3 or 4 priorities with the rationale; the board is then locked."""
    board = _chair_board(board_id)
    user = staff_user()
    if board.state != "scoring":
        flash(_error(BoardError("locked" if board.state == "locked" else "not_open")), "error")
        return redirect(url_for("staff.priorities_board", board_id=board.id), code=303)
    ranking = boards.ranking(board)
    form = ShortlistForm()
    form.priorities.choices = [
        (r.item.id, (f"{r.result.rank}{'=' if r.result.tied else ''}. " if r.result.rank else "")
         + r.item.label + (f" ({r.result.score:.2f})" if r.result.score is not None else ""))
        for r in ranking]
    if form.validate_on_submit():
        try:
            boards.shortlist_and_lock(board, user, form.priorities.data, form.rationale.data)
        except BoardError as exc:
            (form.rationale if exc.code == "rationale_missing" else form.priorities).errors = [
                _error(exc)]
        except Forbidden:
            abort(403)
        else:
            return _back(board, _("Priorities shortlisted; the board is locked"))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/priorities/shortlist.html", board=board, form=form,
                           page_errors=_errors(form)), status
