"""A group's priority board: criteria, members' scores, the ranking, shortlist and lock.

Who may do what: any staff viewer sees a board; only members of the board's group score (never
a partner viewer); only the group's chair (or an admin) changes the criteria, opens scoring,
shortlists and locks. Every change is one transaction with one history entry (what changed) and
one audit row that points to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from engage.extensions import db
from engage.models import (
    BoardCriterion,
    BoardEvent,
    BoardItem,
    BoardScore,
    Code,
    Codeframe,
    PriorityBoard,
    TaskGroup,
    Theme,
    ThemeRun,
    User,
)
from engage.models._types import utcnow
from engage.services.code import groupings
from engage.services.code.coding import final
from engage.services.decide.priorities import scoring
from engage.services.decide.priorities.groups import (
    BoardError,
    Forbidden,
    can_chair,
    can_manage,
    is_member,
)
from engage.services.platform import audit
from engage.services.platform.transactions import in_transaction

SHORTLIST_MIN = 3
SHORTLIST_MAX = 4
MAX_WEIGHT = 100.0


def get_board(board_id: int) -> PriorityBoard | None:
    """A board by id."""
    return db.session.get(PriorityBoard, board_id)


def group_of(board: PriorityBoard) -> TaskGroup:
    """The board's group."""
    group = db.session.get(TaskGroup, board.group_id)
    assert group is not None
    return group


def boards_of(group: TaskGroup) -> list[PriorityBoard]:
    """The group's boards, newest first."""
    return list(db.session.scalars(select(PriorityBoard).where(
        PriorityBoard.group_id == group.id).order_by(PriorityBoard.id.desc())))


def items(board: PriorityBoard) -> list[BoardItem]:
    """The board's themes in the order they were put on it."""
    return list(db.session.scalars(select(BoardItem).where(BoardItem.board_id == board.id)
                                   .order_by(BoardItem.position, BoardItem.id)))


def criteria(board: PriorityBoard) -> list[BoardCriterion]:
    """The board's criteria in order."""
    return list(db.session.scalars(select(BoardCriterion).where(
        BoardCriterion.board_id == board.id).order_by(BoardCriterion.position,
                                                      BoardCriterion.id)))


def scorable_runs() -> list[ThemeRun]:
    """Runs that succeeded and have approved themes, newest first."""
    return list(db.session.scalars(
        select(ThemeRun).where(ThemeRun.status == "succeeded", ThemeRun.id.in_(
            select(Theme.run_id).where(Theme.approved.is_(True), Theme.active.is_(True))))
        .order_by(ThemeRun.id.desc())))


def _event(board: PriorityBoard, user: User, kind: str, detail: dict[str, object]) -> None:
    """One change in the board's history (what changed, for the board's page) and its audit
    row (who did which action to which board, when), which points to the history entry
    rather than repeating what changed (docs/architecture.md, History)."""
    event = BoardEvent(board_id=board.id, actor_id=user.id, kind=kind, detail=detail)
    db.session.add(event)
    db.session.flush()
    audit.record(f"priorities.{kind}", actor=user, object_type="priority_board",
                 object_id=board.id, detail={"board_event_id": event.id})


def _chair_only(board: PriorityBoard, user: User) -> None:
    if not can_chair(group_of(board), user):
        raise Forbidden()


def _in_setup(board: PriorityBoard) -> None:
    if board.state == "locked":
        raise BoardError("locked")
    if board.state != "setup":
        raise BoardError("scoring_started")


def _clean_weight(weight: float) -> float:
    if not 0 < weight <= MAX_WEIGHT:
        raise BoardError("weight_range")
    return float(weight)


def _codes_of(codeframe_ids: Sequence[int]) -> list[Code]:
    """The active codes of these codeframes that people gave to texts (a parent code: to it
    or to a sub-code), newest codeframe first, then most texts first (``groupings``)."""
    found: list[Code] = []
    for frame in db.session.scalars(select(Codeframe).where(Codeframe.id.in_(codeframe_ids))
                                    .order_by(Codeframe.id.desc())):
        _groupings, rows = groupings.code_rows(frame)
        sizes = groupings.count(rows)
        used = {int(key.partition(":")[2]): c.comments for key, c in sizes.items()}
        found += sorted(db.session.scalars(select(Code).where(Code.id.in_(used))),
                        key=lambda c: (-used[c.id], c.id))
    return found


def create_board(group: TaskGroup, user: User, title: str, run_ids: Sequence[int],
                 default_criteria: Sequence[tuple[str, str, float]],
                 codeframe_ids: Sequence[int] = ()) -> PriorityBoard:
    """A board over the approved themes of the chosen runs and the codes of the chosen final
    codeframes, with the default criteria."""
    if not (can_manage(user) or can_chair(group, user)):
        raise Forbidden()
    title = " ".join(title.split())
    if not title:
        raise BoardError("title_missing")
    if not run_ids and not codeframe_ids:
        raise BoardError("runs_missing")
    known = {r.id for r in scorable_runs()}
    if not set(run_ids) <= known:
        raise BoardError("runs_missing")
    if not set(codeframe_ids) <= {f.id for f in final.final_codeframes()}:
        raise BoardError("runs_missing")

    def work() -> PriorityBoard:
        themes = list(db.session.scalars(
            select(Theme).where(Theme.run_id.in_(run_ids), Theme.approved.is_(True),
                                Theme.active.is_(True))
            .order_by(Theme.run_id.desc(), Theme.size.desc(), Theme.id)))
        board = PriorityBoard(group_id=group.id, title=title[:200],
                              run_ids=sorted(set(run_ids)), state="setup",
                              created_by_id=user.id)
        db.session.add(board)
        db.session.flush()
        for i, theme in enumerate(themes):
            db.session.add(BoardItem(board_id=board.id, theme_id=theme.id, label=theme.label,
                                     description=theme.description, position=i))
        found = _codes_of(codeframe_ids)
        parents = {c.id: c.name for c in db.session.scalars(
            select(Code).where(Code.codeframe_id.in_(list(codeframe_ids))))}
        for i, code in enumerate(found, len(themes)):
            db.session.add(BoardItem(board_id=board.id, code_id=code.id,
                                     label=groupings.code_label(code, parents)[:200],
                                     description=code.definition, position=i))
        for i, (name, description, weight) in enumerate(default_criteria):
            db.session.add(BoardCriterion(board_id=board.id, name=name, description=description,
                                          weight=weight, position=i))
        _event(board, user, "created", {"title": board.title, "runs": board.run_ids,
                                        "themes": len(themes),
                                        "codeframes": sorted(set(codeframe_ids)),
                                        "codes": len(found)})
        return board

    return in_transaction(work)


def add_criterion(board: PriorityBoard, user: User, name: str, description: str,
                  weight: float) -> BoardCriterion:
    """Add a criterion (the chair, before scoring starts)."""
    _chair_only(board, user)
    _in_setup(board)
    name = " ".join(name.split())
    if not name:
        raise BoardError("criterion_missing")
    if any(c.name.lower() == name.lower() for c in criteria(board)):
        raise BoardError("criterion_taken")
    weight = _clean_weight(weight)

    def work() -> BoardCriterion:
        position = (db.session.scalar(select(func.max(BoardCriterion.position)).where(
            BoardCriterion.board_id == board.id)) or 0) + 1
        criterion = BoardCriterion(board_id=board.id, name=name[:120],
                                   description=description.strip(), weight=weight,
                                   position=position)
        db.session.add(criterion)
        _event(board, user, "criterion_added", {"name": criterion.name, "weight": weight})
        return criterion

    return in_transaction(work)


def remove_criterion(board: PriorityBoard, criterion: BoardCriterion, user: User) -> None:
    """Remove a criterion (the chair, before scoring starts; one must remain)."""
    _chair_only(board, user)
    _in_setup(board)
    if criterion.board_id != board.id:
        raise BoardError("criterion_unknown")
    if len(criteria(board)) <= 1:
        raise BoardError("last_criterion")

    def work() -> None:
        _event(board, user, "criterion_removed", {"name": criterion.name})
        db.session.delete(criterion)

    in_transaction(work)


def set_weights(board: PriorityBoard, user: User, weights: Mapping[int, float]) -> None:
    """Change the criteria's weights (the chair, before scoring starts)."""
    _chair_only(board, user)
    _in_setup(board)
    current = {c.id: c for c in criteria(board)}
    if set(weights) != set(current):
        raise BoardError("criterion_unknown")
    clean = {cid: _clean_weight(w) for cid, w in weights.items()}

    def work() -> None:
        changed = {}
        for cid, weight in clean.items():
            if current[cid].weight != weight:
                changed[current[cid].name] = [current[cid].weight, weight]
                current[cid].weight = weight
        _event(board, user, "weights_changed", {"changed": changed})

    in_transaction(work)


def open_scoring(board: PriorityBoard, user: User) -> None:
    """Agree the criteria and let members score (the chair)."""
    _chair_only(board, user)
    _in_setup(board)
    if not items(board):
        raise BoardError("no_themes")

    def work() -> None:
        board.state = "scoring"
        _event(board, user, "scoring_opened", {
            "criteria": {c.name: c.weight for c in criteria(board)}})

    in_transaction(work)


def can_score(board: PriorityBoard, user: User) -> bool:
    """True when the user may score on this board (a member of its group, not a viewer)."""
    return user.role != "partner_viewer" and is_member(group_of(board), user)


def score(board: PriorityBoard, item: BoardItem, user: User,
          values: Mapping[int, tuple[int, str]]) -> None:
    """Record (or change) the user's scores of one theme: {criterion id: (1-5, comment)}."""
    if not can_score(board, user):
        raise Forbidden()
    if board.state == "locked":
        raise BoardError("locked")
    if board.state != "scoring":
        raise BoardError("not_open")
    if item.board_id != board.id:
        raise BoardError("item_unknown")
    known = {c.id for c in criteria(board)}
    if not values or not set(values) <= known:
        raise BoardError("criterion_unknown")
    for value, _comment in values.values():
        if not scoring.MIN_SCORE <= value <= scoring.MAX_SCORE:
            raise BoardError("score_range")

    def work() -> None:
        existing = {s.criterion_id: s for s in db.session.scalars(select(BoardScore).where(
            BoardScore.item_id == item.id, BoardScore.member_id == user.id))}
        for cid, (value, comment) in values.items():
            row = existing.get(cid)
            if row is None:
                db.session.add(BoardScore(board_id=board.id, item_id=item.id, criterion_id=cid,
                                          member_id=user.id, value=value,
                                          comment=comment.strip()[:2000]))
            else:
                row.value, row.comment, row.updated_at = value, comment.strip()[:2000], utcnow()
        _event(board, user, "scored", {"item": item.label, "item_id": item.id,
                                       "criteria": len(values)})

    in_transaction(work)


def my_scores(item: BoardItem, user: User) -> dict[int, BoardScore]:
    """The user's scores of one theme, by criterion id."""
    return {s.criterion_id: s for s in db.session.scalars(select(BoardScore).where(
        BoardScore.item_id == item.id, BoardScore.member_id == user.id))}


def comments(board: PriorityBoard) -> dict[int, list[tuple[int, str, int, str]]]:
    """Members' comments per item: (member id, criterion name, score, comment)."""
    names = {c.id: c.name for c in criteria(board)}
    out: dict[int, list[tuple[int, str, int, str]]] = {}
    for s in db.session.scalars(select(BoardScore).where(
            BoardScore.board_id == board.id, BoardScore.comment != "")
            .order_by(BoardScore.item_id, BoardScore.member_id, BoardScore.criterion_id)):
        out.setdefault(s.item_id, []).append(
            (s.member_id, names.get(s.criterion_id, ""), s.value, s.comment))
    return out


@dataclass(frozen=True)
class Ranked:
    """An item of the ranking."""

    item: BoardItem
    result: scoring.ItemResult


def ranking(board: PriorityBoard) -> list[Ranked]:
    """The board's themes ranked by the weighted mean of the members' scores."""
    board_items = items(board)
    by_id = {i.id: i for i in board_items}
    weights = [scoring.Weight(c.id, c.weight) for c in criteria(board)]
    marks = [scoring.Mark(s.item_id, s.criterion_id, s.member_id, s.value)
             for s in db.session.scalars(select(BoardScore).where(
                 BoardScore.board_id == board.id))]
    results = scoring.rank([i.id for i in board_items], weights, marks)
    return [Ranked(by_id[int(str(r.item))], r) for r in results]


def scorer_count(board: PriorityBoard) -> int:
    """How many members have scored at least one theme."""
    return int(db.session.scalar(select(func.count(func.distinct(BoardScore.member_id))).where(
        BoardScore.board_id == board.id)) or 0)


def shortlist_and_lock(board: PriorityBoard, user: User, item_ids: Sequence[int],
                       rationale: str) -> None:
    """The chair's decision: 3-4 priorities with the rationale; the board is then locked."""
    _chair_only(board, user)
    if board.state == "locked":
        raise BoardError("locked")
    if board.state != "scoring":
        raise BoardError("not_open")
    chosen = list(dict.fromkeys(item_ids))
    if not SHORTLIST_MIN <= len(chosen) <= SHORTLIST_MAX:
        raise BoardError("shortlist_size")
    rationale = rationale.strip()
    if not rationale:
        raise BoardError("rationale_missing")
    ranked = ranking(board)
    order = [r.item.id for r in ranked]
    if not set(chosen) <= set(order):
        raise BoardError("item_unknown")

    def work() -> None:
        for r in ranked:
            r.item.final_score = r.result.score
            r.item.shortlist_rank = None
        for n, item_id in enumerate(sorted(chosen, key=order.index), start=1):
            next(r.item for r in ranked if r.item.id == item_id).shortlist_rank = n
        board.rationale = rationale
        board.state = "locked"
        board.locked_by_id = user.id
        board.locked_at = utcnow()
        _event(board, user, "shortlisted", {
            "items": [next(r.item.label for r in ranked if r.item.id == i)
                      for i in sorted(chosen, key=order.index)],
            "item_ids": sorted(chosen, key=order.index)})

    in_transaction(work)


def history(board: PriorityBoard) -> list[BoardEvent]:
    """The board's history, newest first."""
    return list(db.session.scalars(select(BoardEvent).where(BoardEvent.board_id == board.id)
                                   .order_by(BoardEvent.id.desc())))
