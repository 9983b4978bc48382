"""``/nhap-ke-hoach``: a plan uploaded on a page, shown before anything is written.

The preview is the import itself run in a savepoint that is rolled back, as
``nhacviec plan import --dry-run`` (and ``--update`` without ``--apply``) does, so
what the page shows is exactly what the confirmation writes. The uploaded bytes
wait for the confirmation in ``web_uploads`` (any instance behind the load balancer
may take the confirming POST): the confirm form carries only the row's id and the
options it was previewed with, only its uploader may use it, and it is deleted once
used. Rows older than a day are stale and swept at the next upload.

A new unit that looks like a registered one (the importer's near-miss warning, which
tells the CLI user to run ``nhacviec unit merge``) is offered for merging here: the
pairs the secretary ticks are merged right after the import, in its transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from aiohttp import web
from multidict import MultiMapping
from sqlalchemy import delete, select

from bot.commands.plan import import_parsed
from bot.commands.plan_update import update_parsed
from bot.commands.types import EARLIEST, LATEST
from bot.web.visit import Visit, page
from bot.web.words import word
from data.errors import UserError
from data.models import Plan, WebUpload
from data.people import load_registry
from data.plans.columns import MAPPABLE, Column
from data.plans.importer import ImportReport, TaskDraft, parse_plan, similar_plan
from data.plans.parsed import ParsedPlan
from data.plans.versions import AmendReport
from data.plans.view import load_plan, plan_problems
from data.task_codes import valid_prefix
from data.unit_merge import merge_units
from scheduler.planner import plan_reminders

ADMIN = "admin"
STALE = timedelta(days=1)
FILE_FIELD = "tep"
UPLOAD_FIELD = "tai-len"
MERGE_FIELD = "gop"
COLUMN_FIELDS = {column: f"cot-{column.value}" for column in MAPPABLE}
OPTION_FIELDS = ("nam", "ma", "trang-tinh", "sua-doi", *COLUMN_FIELDS.values())
"""The form's options, carried unchanged from the preview to the confirmation."""
NAME_MAX = 255


@dataclass(frozen=True)
class Options:
    """The CLI's ``--year``, ``--prefix``, ``--sheet``, ``--column`` and ``--update``."""

    year: int | None
    prefix: str | None
    sheet: str | None
    named: dict[Column, str]
    amends: int | None
    """The id of the plan the file is an amended version of."""


def read_options(form: MultiMapping[Any], language: str) -> Options:
    """The options of a posted form; a value the form would not send is refused."""
    text = {name: str(form.get(name, "")).strip() for name in OPTION_FIELDS}
    year, prefix, amends = text["nam"], text["ma"].upper(), text["sua-doi"]
    if year and not (year.isdigit() and EARLIEST.year <= int(year) <= LATEST.year):
        raise UserError(word("imp_bad_year", language, year=year))
    if prefix and not valid_prefix(prefix):
        raise UserError(word("imp_bad_prefix", language, prefix=prefix))
    if amends and not amends.isdigit():
        raise UserError(word("imp_bad_plan", language))
    return Options(
        year=int(year) if year else None,
        prefix=prefix or None,
        sheet=text["trang-tinh"] or None,
        named={column: text[field] for column, field in COLUMN_FIELDS.items() if text[field]},
        amends=int(amends) if amends else None,
    )


@dataclass(frozen=True)
class Outcome:
    """What writing the file does: plain values only, read before the preview's rollback."""

    report: ImportReport
    amended: AmendReport | None
    plan_code: str
    problems: list[str]
    """What ``nhacviec plan check`` would list for the plan as written."""
    near_misses: list[tuple[str, str]]
    """(new unit, the registered unit it looks like), offered for merging."""

    @property
    def already_imported(self) -> bool:
        return (self.amended or self.report).already_imported

    @property
    def sections(self) -> list[tuple[str, str, list[TaskDraft]]]:
        """The tasks by section, in the plan's order: (number, title, tasks)."""
        grouped: dict[str, tuple[str, str, list[TaskDraft]]] = {}
        for task in self.report.tasks:
            number = task.section_number
            grouped.setdefault(number, (number, task.section_title, []))[2].append(task)
        return list(grouped.values())


async def _write(visit: Visit, parsed: ParsedPlan, options: Options) -> Outcome:
    """Import ``parsed`` (or write it as the next version of a plan) in the visit's session."""
    session, language = visit.session, visit.language
    registry, _ = await load_registry(session)
    amended = None
    if options.amends is not None:
        plan = await session.get(Plan, options.amends)
        if plan is None:
            raise UserError(word("imp_bad_plan", language))
        plan_id = plan.id
        amended = await update_parsed(session, parsed, plan, options.year, visit.now)
        report, code = amended.report, amended.code
    else:
        await _refuse_guesses(visit, parsed, options)
        report = await import_parsed(session, parsed, options.year, options.prefix, visit.now)
        assert report.plan_id is not None
        plan_id, code = report.plan_id, report.code_prefix
    done = (amended or report).already_imported
    problems = [] if done else plan_problems(await load_plan(session, plan_id))
    near = [(n, hint.name) for n in report.new_units for hint in registry.suggest(n, limit=1)]
    return Outcome(report, amended, code, problems, near)


async def _refuse_guesses(visit: Visit, parsed: ParsedPlan, options: Options) -> None:
    """The importer's refusals said for this page: its own sentences name the CLI's options."""
    if options.prefix is None:
        twin = await similar_plan(visit.session, parsed)
        if twin is not None and twin.checksum != parsed.checksum:
            raise UserError(word("imp_twin", visit.language, code=twin.code_prefix))
    if options.year is None and parsed.year is None:
        raise UserError(word("imp_no_year", visit.language))


def _uploaded(visit: Visit) -> tuple[str, bytes]:
    """The posted file's name (no folders, at most ``NAME_MAX`` characters) and bytes."""
    field = visit.form.get(FILE_FIELD)
    if not isinstance(field, web.FileField):
        raise UserError(word("imp_no_file", visit.language))
    content = field.file.read()
    if not content:
        raise UserError(word("imp_no_file", visit.language))
    name = PurePath((field.filename or "").replace("\\", "/")).name or "ke-hoach"
    return name[-NAME_MAX:], content


async def _plans(visit: Visit) -> list[Plan]:
    """The plans a file may amend: those not archived, newest first."""
    query = select(Plan).where(Plan.archived_at.is_(None)).order_by(Plan.id.desc())
    return list((await visit.session.scalars(query)).all())


@page(ADMIN)
async def form(visit: Visit) -> web.StreamResponse:
    """``GET /nhap-ke-hoach``: the upload form."""
    return visit.render(
        "imports_form.html", plans=await _plans(visit), columns=COLUMN_FIELDS.items()
    )


@page(ADMIN)
async def preview(visit: Visit) -> web.StreamResponse:
    """``POST /nhap-ke-hoach``: what the file would create or change; nothing is written."""
    assert visit.officer is not None
    options = read_options(visit.form, visit.language)
    name, content = _uploaded(visit)
    parsed = parse_plan(content, source=name, sheet=options.sheet, named=options.named)
    savepoint = await visit.session.begin_nested()
    try:
        outcome = await _write(visit, parsed, options)
    finally:
        await savepoint.rollback()
    upload_id = None
    if not outcome.already_imported:
        await visit.session.execute(
            delete(WebUpload).where(WebUpload.created_at < visit.now - STALE)
        )
        row = WebUpload(
            officer_id=visit.officer.id,
            file_name=name,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=visit.now,
        )
        visit.session.add(row)
        await visit.session.flush()
        upload_id = row.id
    carried = [(n, str(visit.form[n])) for n in OPTION_FIELDS if str(visit.form.get(n, ""))]
    return visit.render(
        "imports_preview.html",
        outcome=outcome,
        file_name=name,
        upload_id=upload_id,
        carried=carried,
    )


async def _own_upload(visit: Visit) -> WebUpload:
    """The upload the confirm form names, if this officer made it within the day."""
    assert visit.officer is not None
    given = str(visit.form.get(UPLOAD_FIELD, ""))
    row = await visit.session.get(WebUpload, int(given)) if given.isdigit() else None
    if row is None or row.officer_id != visit.officer.id or row.created_at < visit.now - STALE:
        raise UserError(word("imp_upload_gone", visit.language))
    return row


@page(ADMIN)
async def confirm(visit: Visit) -> web.StreamResponse:
    """``POST /nhap-ke-hoach/xac-nhan``: write the previewed file, merge the ticked units."""
    upload = await _own_upload(visit)
    options = read_options(visit.form, visit.language)
    parsed = parse_plan(
        upload.content, source=upload.file_name, sheet=options.sheet, named=options.named
    )
    outcome = await _write(visit, parsed, options)
    ticked = set(visit.form.getall(MERGE_FIELD, []))
    merged = [pair for pair in outcome.near_misses if pair[0] in ticked]
    for new, registered in merged:
        await merge_units(visit.session, new, registered, visit.now)
    if merged:
        await plan_reminders(visit.session, visit.now)
    await visit.session.delete(upload)
    return web.Response(status=303, headers={"Location": f"/ke-hoach/{outcome.plan_code}"})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/nhap-ke-hoach", form)
    app.router.add_post("/nhap-ke-hoach", preview)
    app.router.add_post("/nhap-ke-hoach/xac-nhan", confirm)
