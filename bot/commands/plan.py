"""``nhacviec plan …``: import, list, show and check plans."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.plan_update import print_amendment, update_file
from bot.commands.runner import console, errors, fail, in_session, run
from bot.commands.types import MAX_DAYS, as_date, plan_year, whole
from bot.i18n import t
from bot.render import plan_summary, plan_table
from data.models import Plan, Task
from data.plans.columns import MAPPABLE, Column
from data.plans.importer import ImportReport, import_plan, read_plan_file
from data.plans.parsed import ParsedPlan
from data.plans.view import (
    dues_between,
    find_plan,
    load_plan,
    officers_without_chat,
    plan_json,
    plan_problems,
    units_without_officers,
)
from data.task_codes import valid_prefix
from data.vn_dates import vn_date
from scheduler.clock import SystemClock
from scheduler.planner import replan_plan
from scheduler.settings import load_policy

app = typer.Typer(help="Kế hoạch: nhập, xem, kiểm tra.", no_args_is_help=True)


def _print_report(report: ImportReport, *, dry_run: bool) -> None:
    for warning in report.warnings:
        errors.print(t("warning", message=warning), style="yellow", markup=False)
    if report.already_imported:
        console.print(t("already_imported", code=report.code_prefix), markup=False)
        return
    console.print(
        t(
            "imported",
            code=report.code_prefix,
            sections=len({task.section_number for task in report.tasks}),
            tasks=len(report.tasks),
            dues=report.due_count,
            units=len(report.units),
            new_units=len(report.new_units),
        ),
        markup=False,
    )
    plan = report.plan
    console.print(t("plan_year", year=plan.year, reason=plan.year_reason), markup=False)
    if dry_run:
        console.print(t("dry_run"), style="bold")


async def import_file(
    session: AsyncSession,
    path: Path,
    year: int | None,
    prefix: str | None,
    *,
    sheet: str | None = None,
    named: Mapping[Column, str] | None = None,
) -> ImportReport:
    """Parse, write and plan the reminders; the caller commits or rolls back as a whole."""
    plan = read_plan_file(path, sheet=sheet, named=named)
    return await import_parsed(session, plan, year, prefix, SystemClock().now())


async def import_parsed(
    session: AsyncSession, plan: ParsedPlan, year: int | None, prefix: str | None, now: datetime
) -> ImportReport:
    """Write a parsed plan and plan its reminders (the CLI's file, or a page's upload)."""
    strict = (await load_policy(session)).before_is_previous_day
    report = await import_plan(
        session, plan, year=year, prefix=prefix, before_is_previous_day=strict
    )
    if not report.already_imported and report.plan_id is not None:
        await replan_plan(session, now, report.plan_id)
    return report


@dataclass(frozen=True)
class ColumnName:
    """One ``--column KIND=HEADER``: which column of the file holds ``column``."""

    column: Column
    header: str


def column_option(text: str) -> ColumnName:
    """``--column task=HEADER``: the secretary names the header of a column the
    readers cannot recognise (a legal-documents list's "Tên văn bản")."""
    kind, sep, header = text.partition("=")
    column = next((c for c in MAPPABLE if c.value == kind.strip().lower()), None)
    if not sep or column is None or not header.strip():
        kinds = ", ".join(c.value for c in MAPPABLE)
        raise typer.BadParameter(t("bad_column", text=text, kinds=kinds))
    return ColumnName(column, header.strip())


def code_prefix(text: str) -> str:
    """``--prefix``: what officers type before every code, so plain ASCII they can type
    on any phone and the reply parser reads (``data/task_codes.py``), upper case."""
    if not valid_prefix(text.strip()):
        raise typer.BadParameter(t("bad_prefix", text=text))
    return text.strip().upper()


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Tệp kế hoạch: văn bản, Word hoặc Excel")],
    year: Annotated[
        int | None,
        typer.Option(parser=plan_year, help="Năm của kế hoạch, nếu tệp không ghi"),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(parser=code_prefix, help="Mã kế hoạch dùng trong mã nhiệm vụ (vd. QD982)"),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra, không ghi")] = False,
    sheet: Annotated[str | None, typer.Option(help="Tệp Excel: tên sheet chứa kế hoạch")] = None,
    column: Annotated[
        list[ColumnName] | None,
        typer.Option(
            parser=column_option,
            metavar="LOẠI=TÊN CỘT",
            help='Tên cột của tệp cho một loại cột, vd. --column task="Tên văn bản" '
            "(task, lead, coordinate, deadline, officer); lặp lại cho mỗi cột",
        ),
    ] = None,
    update: Annotated[
        str | None,
        typer.Option("--update", help="Tệp là bản sửa đổi của kế hoạch này (mã): xem khác biệt"),
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Cùng --update: ghi bản sửa đổi và lập lại nhắc việc")
    ] = False,
) -> None:
    """Nhập một kế hoạch: mọi thứ hoặc không gì cả."""
    named = {choice.column: choice.header for choice in column or []}
    if update is not None:
        now = SystemClock().now()
        amended = run(
            in_session(
                lambda s: update_file(s, file, update, year, now, sheet=sheet, named=named),
                commit=apply,
            )
        )
        print_amendment(amended, applied=apply)
        return
    if apply:
        raise fail(t("apply_without_update"))
    report = run(
        in_session(
            lambda s: import_file(s, file, year, prefix, sheet=sheet, named=named),
            commit=not dry_run,
        )
    )
    _print_report(report, dry_run=dry_run)


async def _plan_rows(session: AsyncSession) -> list[tuple[Plan, int]]:
    query = (
        select(Plan, func.count(Task.id))
        .outerjoin(Task, Task.plan_id == Plan.id)
        .group_by(Plan.id)
        .order_by(Plan.id)
    )
    return [(plan, count) for plan, count in (await session.execute(query)).all()]


@app.command("list")
def list_command() -> None:
    """Các kế hoạch đã nhập."""
    rows = run(in_session(_plan_rows))
    if not rows:
        console.print(t("no_plans"))
        return
    table = Table()
    for column in ("col_code", "col_plan", "col_year", "col_tasks"):
        table.add_column(t(column))
    for plan, count in rows:
        code = plan.code_prefix
        if plan.archived_at is not None:  # still listed: its history is there to read
            code = t("archived_mark", code=code)
        table.add_row(code, plan.title, str(plan.year or ""), str(count))
    console.print(table)


async def _document(session: AsyncSession, ref: str | None) -> dict[str, object]:
    plan = await find_plan(session, ref)
    return await plan_json(session, plan.id)


@app.command("show")
def show_command(
    plan: Annotated[str | None, typer.Argument(help="Mã, số hoặc id kế hoạch")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In JSON cho script")] = False,
) -> None:
    """Xem một kế hoạch: mục, nhiệm vụ, đơn vị, thời hạn."""
    document = run(in_session(lambda s: _document(s, plan)))
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    console.print(plan_table(document))
    console.print(plan_summary(document), style="bold")


async def _problems(
    session: AsyncSession, ref: str | None
) -> tuple[list[str], list[str], list[str]]:
    plan = await load_plan(session, (await find_plan(session, ref)).id)
    return (
        plan_problems(plan),
        await units_without_officers(session, plan.id),
        await officers_without_chat(session, plan.id),
    )


@app.command("check")
def check_command(
    plan: Annotated[str | None, typer.Argument(help="Mã, số hoặc id kế hoạch")] = None,
) -> None:
    """Những gì cần người sửa: thời hạn không đọc được, nhiệm vụ thiếu đơn vị."""
    problems, lonely, unlinked = run(in_session(lambda s: _problems(s, plan)))
    for problem in problems:
        console.print(f"• {problem}", markup=False)
    if lonely:
        console.print(t("units_without_officers", names="; ".join(lonely)), markup=False)
    if unlinked:
        console.print(t("officers_without_chat", names="; ".join(unlinked)), markup=False)
    if not problems and not lonely and not unlinked:
        console.print(t("no_problems"))


async def _dues(session: AsyncSession, ref: str | None, start: date, until: date) -> Table:
    plan = await find_plan(session, ref)
    table = Table(title=t("dues_title", start=vn_date(start), until=vn_date(until)))
    for column in ("col_dues", "col_code", "col_task", "col_deadline"):
        table.add_column(t(column))
    for due, task in await dues_between(session, start, until, plan.id):
        assert due.due_on is not None
        table.add_row(vn_date(due.due_on), task.code, task.content[:90], due.text)
    return table


@app.command("dues")
def dues_command(
    plan: Annotated[str | None, typer.Argument(help="Mã, số hoặc id kế hoạch")] = None,
    start: Annotated[
        date | None, typer.Option("--from", parser=as_date, help="Từ ngày (mặc định hôm nay)")
    ] = None,
    days: Annotated[
        int, typer.Option(parser=whole(1, MAX_DAYS), help="Số ngày tính từ ngày bắt đầu")
    ] = 90,
) -> None:
    """Các thời hạn trong N ngày tới."""
    first = start or date.today()
    table = run(in_session(lambda s: _dues(s, plan, first, first + timedelta(days=days))))
    if table.row_count:
        console.print(table)
    else:
        console.print(t("no_dues"))
