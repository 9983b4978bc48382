"""The summaries' counts, kept by the transactions that change what they count.

A leader's /tonghop, /quahan, /chuabaocao and the overview counted every item of a
plan on each call: seconds at 100,000 assignments. ``summary_counts`` keeps those
counts per plan, unit, officer, state and due date (a few rows per unit), and
``task_counts`` each task's share of them. Any transaction that touched a task —
its progress, dues, assignments, the task itself, its plan's archiving or the
renaming of one of its units — gets
that task's share recounted from its rows just before it commits: the old share is
taken back from the plan's counts and the new one added, in the same transaction.

Why a hook on the session instead of a call in each writer: progress, dues and
assignments are written by a dozen functions (answers, decisions, imports,
amendments, corrections, unit merges, undo) and a forgotten call would make the
counts silently wrong; every one of them goes through the ORM, so noting the
objects each flush wrote catches them all. The one bulk UPDATE of progress
(``plans/versions._cancel_progress``) runs in a transaction that also marks its
tasks removed, so they are recounted anyway.

What is counted (the definitions of ``data/work_items``, recounted per task):

- ``task``: tasks without a recurring due by ``task_state`` and "done late", once
  judged on all their deciding items (unit 0) and once per deciding unit on its own;
- ``item``: deciding one-off items per unit, officer and state, an open one with its
  due in force (extension first), so "overdue" is ``due_on < today`` at read time;
- ``counted``: assignments × dues per unit (a lead and coordinating unit once);
- ``point``: report tasks' due dates, the plan's reporting points (a recurring one
  marked, its dates expanded when read);
- ``report``: each task's state in the report as of now, whole and per deciding unit
  (``data/report_counts``): the overview's figures.

Tasks with a recurring due are still expanded per occurrence when read (their
items depend on today); archived plans and removed tasks count nothing.

On PostgreSQL the tasks are locked (``FOR NO KEY UPDATE``, which leaves foreign keys
free) before their share is read, so two answers about one task recount one after
the other and neither takes back a share the other already replaced.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Insert,
    Select,
    bindparam,
    cast,
    delete,
    event,
    insert,
    inspect,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction
from sqlalchemy.sql.dml import ReturningDelete
from sqlalchemy.sql.elements import TextClause

from data.models import Assignment, Due, Plan, Progress, SummaryCount, Task, TaskCount, Unit
from data.report_counts import (
    REPORT,
    deciding_row_dues,
    itemless_standing,
    report_row_dues,
    report_standing,
    said_late,
    undecided,
)
from data.reporting import POINT_DUE_KINDS, is_report
from data.work_items import (
    _ITEM_COLUMNS,
    _PROGRESS_COLUMNS,
    CLOSED,
    Tally,
    _Found,
    _joined,
    _Progress,
    task_state,
)

NO_DATE = date(9999, 12, 31)
"""The due of an undated or closed item: never before today."""
WHOLE_TASK = 0
"""``unit_id`` of a task judged on every deciding unit's items."""
CHUNK = 2000
"""Tasks recounted per query (IN lists stay well under both drivers' parameter limits)."""
_TOUCHED = "summary_counts.touched"
_HELD = "summary_counts.held"
_LOCKED = "summary_counts.locked"
_RECOUNTED = "summary_counts.recounted"
NOTED = "summary_counts_noted"
"""Execution option of a bulk UPDATE whose tasks the same transaction writes through the ORM."""
_COUNTED_FROM = (Progress, Assignment, Due, Task, Plan)
_COUNTED: set[type[Any]] = set(_COUNTED_FROM)


class Key(NamedTuple):
    plan_id: int
    measure: str
    unit_id: int
    officer_id: int
    state: str
    late: bool
    due_on: date


Shares = dict[int, Counter[Key]]
"""Per task id, its counts."""
Labels = dict[tuple[int, int], tuple[str, str]]
"""Per (task id, unit id), the task's code and the unit's name (an item row's order)."""
RowDues = dict[int, dict[int, date | None]]
"""Per task id, its report row's due, whole (unit 0) and per deciding unit (a ``report``
row's ``row_due``: the plan page's due-month filter)."""


class Counted(NamedTuple):
    """Tasks' shares of the counts, and what their ``task_counts`` rows carry besides."""

    shares: Shares
    labels: Labels
    row_dues: RowDues


def _share(rows: list[tuple[_Found, _Progress | None]]) -> Counter[Key]:
    """One task's counts from its rows (``deciding`` of ``_Found`` is decided here, from
    the task's own assignments: the query's subquery over every lead cost 50 ms a task)."""
    share: Counter[Key] = Counter()
    leads = {found.unit_id for found, _ in rows if found.role == "lead"}
    recurring = any(found.due_kind == "recurring" and found.rule for found, _ in rows)
    tallies: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for found, progress in rows:
        plan = found.plan_id
        if found.role == "lead" or found.unit_id not in leads:
            share[Key(plan, "counted", found.unit_id, 0, "", False, NO_DATE)] += 1
        if recurring or not (found.role == "lead" or not leads):
            continue
        state = progress.state if progress is not None else "not_started"
        late = bool(progress is not None and progress.late and state == "done")
        due = (progress.extended_to if progress is not None else None) or found.due_on
        open_due = due if state not in CLOSED and due is not None else NO_DATE
        officer = found.officer_id or 0
        share[Key(plan, "item", found.unit_id, officer, state, False, open_due)] += 1
        tallies[WHOLE_TASK].append((state, late))
        tallies[found.unit_id].append((state, late))
    plan_id = rows[0][0].plan_id
    for unit, states in tallies.items():
        tally = _tally(states)
        key = Key(plan_id, "task", unit, 0, task_state(tally), tally.late > 0, NO_DATE)
        share[key] += 1
    return share


def _tally(states: list[tuple[str, bool]]) -> Tally:
    count = Counter(state for state, _ in states)
    return Tally(
        items=len(states),
        done=count["done"],
        cancelled=count["cancelled"],
        blocked=count["blocked"],
        asked=count["extension_requested"],
        started=count["in_progress"],
        late=sum(1 for state, late in states if late),
    )


def count_tasks(session: Session, task_ids: Collection[int] | None) -> Shares:
    """The counts of these tasks (every task when None) from their rows, as they are now."""
    return _counted(session, task_ids).shares


_COLUMNS = _ITEM_COLUMNS[:-1]
"""The item columns but ``deciding``: ``_share`` decides it per task."""
_ITEM_ROW = (*_COLUMNS, *_PROGRESS_COLUMNS, Task.id)
"""A row of ``_items``: the item, its progress, its task."""
TASK_IDS: BindParameter[list[int]] = bindparam("task_ids", expanding=True)
"""The tasks a scoped statement of this module reads or writes, bound at each execution."""


def _scoped(query: Select[*tuple[Any, ...]], scoped: bool) -> Select[*tuple[Any, ...]]:
    return query.where(Task.id.in_(TASK_IDS)) if scoped else query


def _run(session: Session, query: Any, task_ids: Collection[int] | None) -> Any:
    """``query`` (built for ``task_ids is not None``) run on these tasks or on all."""
    return session.execute(query, None if task_ids is None else {"task_ids": sorted(task_ids)})


@functools.cache
def _items(scoped: bool, removed: bool = False) -> Select[*tuple[Any, ...]]:
    """``_counted``'s read, built once per process (with ``_points``, ``_taken_back`` and the
    replacing of a share, building the recount's statements at each answer's commit cost
    about as much CPU as running them); ``removed``: the removed tasks' items instead."""
    columns = select(*_ITEM_ROW)
    return _scoped(_joined(columns, None, None, removed=removed), scoped)


Grouped = dict[int, list[tuple[_Found, _Progress | None]]]
"""Per task id, its item rows."""


def _grouped(session: Session, query: Any, task_ids: Collection[int] | None) -> Grouped:
    """The rows of ``_items`` by task."""
    return _by_task(_run(session, query, task_ids).all())


def _by_task(found_rows: Sequence[Any]) -> Grouped:  # typed by the dataclasses
    width = len(_COLUMNS)
    grouped: Grouped = defaultdict(list)
    for row in found_rows:
        found = _Found(*(*row[:width], False))  # ``deciding``: see ``_share``
        progress = _Progress(*row[width:-1]) if row[width] is not None else None
        grouped[row[-1]].append((found, progress))
    return grouped


_POINT_PLACES = tuple(
    next(i for i, held in enumerate(_ITEM_ROW) if held is column)
    for column in (Task.id, Task.plan_id, Unit.name, Task.content, Due.kind, Due.due_on)
)
"""Where ``_point_dues``' columns (task, plan, product, content, due kind and date) sit in a
row of ``_items_and_points``: the item columns of the same meaning, the product in the
unit name's place."""


@functools.cache
def _items_and_points(scoped: bool) -> CompoundSelect[*tuple[Any, ...]]:
    """``_items`` and ``_point_dues`` in one statement (UNION ALL), built once per process:
    the recount at each answer's commit read them in a statement each (issue 16). A point's
    row has no assignment (its first column NULL); its other columns are typed NULLs."""
    items = _items(scoped)
    points = _point_dues(scoped).selected_columns
    placed = dict(zip(_POINT_PLACES, points, strict=True))
    padded = [
        placed.get(i, cast(null(), column.type)) for i, column in enumerate(items.selected_columns)
    ]
    return union_all(items, _point_dues(scoped).with_only_columns(*padded))


def _counted(session: Session, task_ids: Collection[int] | None) -> Counted:
    rows: Sequence[Any] = _run(session, _items_and_points(task_ids is not None), task_ids).all()
    grouped = _by_task([row for row in rows if row[0] is not None])
    point_rows = [[row[i] for i in _POINT_PLACES] for row in rows if row[0] is None]
    labels: Labels = {
        (task, found.unit_id): (found.task_code, found.unit_name)
        for task, rows in grouped.items()
        for found, _ in rows
    }
    shares = {task: _share(found) for task, found in grouped.items()}
    for task, share in _points(point_rows).items():
        shares.setdefault(task, Counter()).update(share)
    report, row_dues = _report(session, task_ids, grouped)
    for task, share in report.items():
        shares.setdefault(task, Counter()).update(share)
    return Counted(shares, labels, row_dues)


def _report(
    session: Session,
    task_ids: Collection[int] | None,
    grouped: Grouped,
) -> tuple[Shares, RowDues]:
    """Each task's report state as of now (``data/report_counts``: the overview's figures),
    and its report row's due (a removed task's too: the report lists it, stopped)."""
    said = said_late(session, undecided(grouped.values()))
    found = {task: report_standing(rows, said) for task, rows in grouped.items()}
    row_dues = {task: report_row_dues(rows, said) for task, rows in grouped.items()}
    itemless = None if task_ids is None else set(task_ids) - set(grouped)
    if itemless is None or itemless:
        found.update(itemless_standing(session, itemless))
        removed = _grouped(session, _items(itemless is not None, removed=True), itemless)
        row_dues.update((task, deciding_row_dues(rows)) for task, rows in removed.items())
    shares = {
        task: Counter(
            {
                Key(plan, REPORT, unit, 0, state, False, due or NO_DATE): n
                for (plan, unit, state, due), n in standing.items()
            }
        )
        for task, standing in found.items()
    }
    return shares, row_dues


def _points(found: Sequence[Sequence[Any]]) -> Shares:
    """Report tasks' dues: a plan's reporting points (``data/reporting``), which asked every
    task's product or content at each /chuabaocao. Kept whatever the task's assignments,
    removal or plan's archiving, as ``reporting_points`` read them (``_point_dues``' rows)."""
    points: Shares = defaultdict(Counter)
    for task, plan, product, content, kind, due_on in found:
        if not is_report(product or "", content or ""):
            continue
        if kind == "recurring":  # its dates depend on the window asked: expanded when read
            points[task][Key(plan, "point", 0, 0, "recurring", False, NO_DATE)] += 1
        elif due_on is not None:
            points[task][Key(plan, "point", 0, 0, "", False, due_on)] += 1
    return points


@functools.cache
def _point_dues(scoped: bool) -> Select[*tuple[Any, ...]]:
    """``_points``'s read (in ``_items_and_points``), built once per process."""
    query = (
        select(Task.id, Task.plan_id, Task.product, Task.content, Due.kind, Due.due_on)
        .join(Due, Due.task_id == Task.id)
        .where(Due.kind.in_(POINT_DUE_KINDS))
    )
    return _scoped(query, scoped)


def recount(session: Session, task_ids: Collection[int]) -> None:
    """Replace these tasks' shares of the counts by their shares as they are now."""
    ordered = sorted(set(task_ids))
    for start in range(0, len(ordered), CHUNK):
        _recount(session, ordered[start : start + CHUNK])


def _recount(session: Session, task_ids: list[int]) -> None:
    old = _taken_back(session, task_ids)
    new = _counted(session, task_ids)
    change: Counter[Key] = Counter()
    for row in old:
        change[Key(*row[:-1])] -= row[-1]
    for share in new.shares.values():
        change.update(share)
    rows = _task_rows(new)
    added = {key: n for key, n in sorted(change.items()) if n}
    if rows and added and session.get_bind().dialect.name == "postgresql":
        session.execute(_keep_and_add(), _arrays(rows, _count_rows(added)))
        return
    if rows:
        session.execute(_keep_shares(), rows)
    _add(session, added)


def _taken_back(session: Session, task_ids: list[int]) -> Sequence[Any]:
    """The tasks' shares as kept (key columns, n), deleted by the statement that reads them.

    On PostgreSQL the tasks are locked first, in id order (two transactions never wait on
    each other's tasks in a cycle), by a statement of its own or by an earlier read of this
    transaction (``note_locked``: an answer's read of its due and task): a read that waited
    for the lock would see the shares as they were before the transaction it waited for
    replaced them, and take back a share already taken back. The delete after it sees that
    transaction's shares; returning them spares a read (5 statements at an answer's commit
    on both backends)."""
    unlocked = sorted(set(task_ids) - session.info.get(_LOCKED, set()))
    if unlocked and session.get_bind().dialect.name == "postgresql":
        session.execute(_lock_tasks(), {"task_ids": unlocked})
    return session.execute(_forget_shares(), {"task_ids": task_ids}).all()


@functools.cache
def _lock_tasks() -> Select[int]:
    """The tasks' rows locked (``FOR NO KEY UPDATE``: foreign keys to them stay free)."""
    query = select(Task.id).where(Task.id.in_(TASK_IDS)).order_by(Task.id)
    return query.with_for_update(key_share=True)


@functools.cache
def _forget_shares() -> ReturningDelete[*tuple[Any, ...]]:
    """The tasks' kept shares deleted and returned, built once per process."""
    statement = delete(TaskCount).where(TaskCount.task_id.in_(TASK_IDS))
    returning = statement.returning(*_KEY_COLUMNS, TaskCount.n)
    return returning.execution_options(synchronize_session=False)


@functools.cache
def _keep_shares() -> Insert:
    """The tasks' new shares inserted, built once per process; a row without a due
    (``row_due`` NULL) in the same statement as the others (the ORM's bulk insert
    leaves a None out by default, and sent them as a second INSERT)."""
    return insert(TaskCount).execution_options(render_nulls=True)


_ARRAY_OF = {int: "INTEGER[]", str: "TEXT[]", bool: "BOOLEAN[]", date: "DATE[]"}


@functools.cache
def _keep_and_add() -> TextClause:
    """On PostgreSQL, the tasks' new shares inserted (``_keep_shares``) and the change added
    to the plans' counts (``_add``, in key order) in one statement, each table's rows bound
    as a column of arrays (``_arrays``): the answer's commit paid a round trip for each
    (issue 16). Built once per process from the tables' columns."""
    parts = []
    for model, prefix in ((TaskCount, "kept_"), (SummaryCount, "added_")):
        columns = model.__table__.columns
        names = ", ".join(column.name for column in columns)
        arrays = ", ".join(
            f"CAST(:{prefix}{column.name} AS {_ARRAY_OF[column.type.python_type]})"
            for column in columns
        )
        parts.append(f"INSERT INTO {model.__tablename__} ({names}) SELECT * FROM unnest({arrays})")
    keys = ", ".join(Key._fields)
    return text(
        f"WITH kept AS ({parts[0]}) {parts[1]} ON CONFLICT ({keys}) "
        "DO UPDATE SET n = summary_counts.n + excluded.n"
    )


def _arrays(kept: list[dict[str, Any]], added: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """``_keep_and_add``'s parameters: each column of the rows as an array."""
    bound: dict[str, list[Any]] = {}
    for model, prefix, rows in ((TaskCount, "kept_", kept), (SummaryCount, "added_", added)):
        for column in model.__table__.columns:
            bound[prefix + column.name] = [row[column.name] for row in rows]
    return bound


def _task_rows(counted: Counted) -> list[dict[str, Any]]:
    return [
        {"task_id": task, **key._asdict(), "n": n, **_labelled(counted, task, key)}
        for task, share in counted.shares.items()
        for key, n in share.items()
    ]


def _labelled(counted: Counted, task: int, key: Key) -> dict[str, Any]:
    """An item row's code and unit name, a report row's due (the same keys on every row:
    they are inserted by one executemany)."""
    code, unit = counted.labels[task, key.unit_id] if key.measure == "item" else ("", "")
    due = counted.row_dues.get(task, {}).get(key.unit_id) if key.measure == REPORT else None
    return {"code": code, "unit_name": unit, "row_due": due}


_KEY_COLUMNS = (
    TaskCount.plan_id,
    TaskCount.measure,
    TaskCount.unit_id,
    TaskCount.officer_id,
    TaskCount.state,
    TaskCount.late,
    TaskCount.due_on,
)


def _add(session: Session, change: dict[Key, int]) -> None:
    """Add ``change`` to the plans' counts (an upsert per key, in key order)."""
    if not change:
        return
    statement = _upsert(session.get_bind().dialect.name == "postgresql")
    session.execute(statement, _count_rows(change))


def _count_rows(change: dict[Key, int]) -> list[dict[str, Any]]:
    return [{**key._asdict(), "n": n} for key, n in change.items()]


@functools.cache
def _upsert(postgres: bool) -> postgresql.Insert | sqlite.Insert:
    """``_add``'s statement, built once per process (building it anew at each answer's
    commit took a tenth of the counts' hook)."""
    statement = (postgresql.insert if postgres else sqlite.insert)(SummaryCount)
    return statement.on_conflict_do_update(
        index_elements=list(Key._fields), set_={"n": SummaryCount.n + statement.excluded.n}
    )


def rebuild(session: Session) -> None:
    """Every count recounted from scratch, in one read of every task (the migration that
    created the tables, and bulk loads that bypass the ORM, such as the benchmarks')."""
    session.execute(delete(TaskCount))
    session.execute(delete(SummaryCount))
    counted = _counted(session, None)
    rows = _task_rows(counted)
    for start in range(0, len(rows), CHUNK):
        session.execute(_keep_shares(), rows[start : start + CHUNK])
    total: Counter[Key] = Counter()
    for share in counted.shares.values():
        total.update(share)
    _add(session, dict(sorted(total.items())))


# --- noting what each transaction touched ---------------------------------------------


def _note(session: Session, _flush: UOWTransaction) -> None:
    """After each flush: the tasks whose counts the written objects may change."""
    touched = session.info.setdefault(_TOUCHED, _nothing())
    for thing in (*session.new, *session.dirty, *session.deleted):
        if isinstance(thing, Task):
            touched["tasks"].add(thing.id)
        elif isinstance(thing, Assignment | Due):
            touched["tasks"].add(thing.task_id)
        elif isinstance(thing, Progress):
            touched["dues"].add(thing.due_id)
        elif isinstance(thing, Plan) and _changed(thing, "archived_at"):
            touched["plans"].add(thing.id)
        elif isinstance(thing, Unit) and _changed(thing, "name"):
            touched["units"].add(thing.id)


def _on_execute(execution: ORMExecuteState) -> None:
    """A read of the counts first recounts what this transaction touched, so it sees its
    own writes (a task edit replans its reporting points before it commits). A bulk
    UPDATE or DELETE of what is counted names no objects: everything is recounted at
    commit, unless the statement says its tasks are noted otherwise (``NOTED``)."""
    session = execution.session
    if execution.is_select:  # its mappers cost its column descriptions: asked only when due
        if session.info.get(_TOUCHED) and _mapped(execution) & {SummaryCount, TaskCount}:
            _recount_touched(session)
        return
    bulk = (execution.is_update or execution.is_delete) and _mapped(execution) & _COUNTED
    if bulk and not execution.execution_options.get(NOTED):
        session.info.setdefault(_TOUCHED, _nothing())["all"] = {1}


def _mapped(execution: ORMExecuteState) -> set[type[Any]]:
    return {mapper.class_ for mapper in execution.all_mappers}


def _changed(thing: Plan | Unit, attribute: str) -> bool:
    state: Any = inspect(thing)
    return bool(state.attrs[attribute].history.has_changes())


def _nothing() -> dict[str, set[int]]:
    return {"tasks": set(), "dues": set(), "plans": set(), "units": set(), "all": set()}


def _recount_touched(session: Session) -> None:
    """Before commit (or a read of the counts): the touched tasks recounted, in the
    transaction that touched them."""
    held = session.info.pop(_HELD, [])
    touched = session.info.pop(_TOUCHED, None)
    session.flush()
    touched = _merge(touched, session.info.pop(_TOUCHED, None))
    if not touched:
        return
    recounted = _merge(session.info.get(_RECOUNTED), touched)
    session.info[_RECOUNTED] = recounted  # a savepoint's rollback undoes what follows
    if touched["all"]:
        rebuild(session)
        return
    tasks = set(touched["tasks"]) | _tasks_of_dues(session, touched["dues"], held)
    if touched["plans"]:
        plans = sorted(touched["plans"])
        tasks.update(session.scalars(select(Task.id).where(Task.plan_id.in_(plans))))
    if touched["units"]:  # a renamed unit: its items' rows carry the name
        units = sorted(touched["units"])
        tasks.update(
            session.scalars(select(Assignment.task_id).where(Assignment.unit_id.in_(units)))
        )
    recount(session, tasks)


def hold_due(session: Session, due: Due) -> None:
    """Keep ``due`` in the session until its counts are kept: the recount then takes the due's
    task from it. The answer path loads its due with the task, and paid a round trip per
    answer to read it again: the session holds what it loaded only weakly, so the due was
    gone by the commit."""
    session.info.setdefault(_HELD, []).append(due)


def note_locked(session: Session, task_id: int) -> None:
    """``task_id``'s row is locked (``FOR NO KEY UPDATE``) by a read of this transaction: the
    recount need not lock it again. An answer's read of its due and task takes the lock and
    spares the commit a round trip of its own. Forgotten at any commit or rollback, a
    savepoint's included: rolling a savepoint back releases the locks taken inside it.

    One answer locks one task; a message naming several tasks locks them all in id order
    first (``progress.lock_tasks``), so every transaction takes tasks' locks in id order and
    none waits on another in a cycle."""
    session.info.setdefault(_LOCKED, set()).add(task_id)


def _tasks_of_dues(session: Session, due_ids: Collection[int], held: list[Due]) -> set[int]:
    """The dues' tasks: from the ``held`` copy of a due (``hold_due``), the others read. The
    session was just flushed, so a held copy is the row as it is in this transaction; one
    deleted or expired since is read (and a deleted due found by neither)."""
    known = {}
    for due in held:
        state: Any = inspect(due)
        task_id = state.dict.get("task_id")
        if state.persistent and task_id is not None:
            known[due.id] = task_id
    tasks = {known[due_id] for due_id in due_ids if due_id in known}
    unread = sorted(set(due_ids) - set(known))
    for start in range(0, len(unread), CHUNK):
        part = unread[start : start + CHUNK]
        tasks.update(session.scalars(_due_tasks(), {"due_ids": part}))
    return tasks


@functools.cache
def _due_tasks() -> Select[int]:
    """``_tasks_of_dues``'s read, built once per process."""
    return select(Due.task_id).where(Due.id.in_(bindparam("due_ids", expanding=True)))


def _merge(
    first: dict[str, set[int]] | None, second: dict[str, set[int]] | None
) -> dict[str, set[int]] | None:
    if first is None or second is None:
        return first or second
    return {name: first[name] | second[name] for name in first}


def _unlocked(session: Session, *_: object) -> None:
    """The noted locks forgotten: released by the commit or rollback (a savepoint's, whose
    parent may still hold them, only makes the recount lock them again)."""
    session.info.pop(_LOCKED, None)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    """After a rollback. The transaction's: nothing it touched is left to count. A
    savepoint's: the writes before it stay, and a recount made since the transaction began
    may have been made inside it and undone with it, so everything recounted so far is
    touched again (counting a task once more is harmless; forgetting one left its counts
    as they were before the transaction's earlier writes)."""
    session.info.pop(_HELD, None)
    if transaction.nested:
        again = _merge(session.info.get(_TOUCHED), session.info.get(_RECOUNTED))
        if again is not None:
            session.info[_TOUCHED] = again
        return
    session.info.pop(_TOUCHED, None)
    session.info.pop(_RECOUNTED, None)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    """The recounts kept for a savepoint's rollback forgotten with the whole transaction."""
    if transaction.parent is None:
        session.info.pop(_RECOUNTED, None)


event.listen(Session, "after_flush", _note)
event.listen(Session, "do_orm_execute", _on_execute)
event.listen(Session, "before_commit", _recount_touched)
event.listen(Session, "after_soft_rollback", _forget)
event.listen(Session, "after_transaction_end", _ended)
event.listen(Session, "after_rollback", _unlocked)
event.listen(Session, "after_commit", _unlocked)
