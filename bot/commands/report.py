"""``nhacviec report PLAN``: the report a leader signs, as a Word, Excel or PDF file.

Read-only: the report is built in a transaction that is rolled back, and the file
is written only once all of it has been built, so a wrong plan, unit or period
leaves neither a database change nor a half-written file behind. A wrong name is
a usage error (exit 2), like a wrong option.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.runner import console, fail, in_session, run
from bot.commands.types import as_date
from bot.i18n import t
from bot.reports.content import summary
from bot.reports.formats import file_name, render, report_format
from bot.reports.header import header_for
from data.errors import UserError
from data.people import find_unit
from data.plans.view import find_plan
from data.report_model import PlanReport
from data.report_states import PERIOD_SPECS, report_as_asked
from scheduler.clock import TZ, SystemClock

USAGE_EXIT = 2


def format_option(text: str) -> str:
    """``--format``: refused while the arguments are read, in the formats' own words."""
    try:
        return report_format(text)
    except UserError as exc:
        raise typer.BadParameter(str(exc)) from None


def output_option(text: str) -> Path:
    """``-o``: a file in a folder that exists, checked before the report is built."""
    path = Path(text).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        raise typer.BadParameter(t("bad_output", text=text))
    return path


@dataclass(frozen=True)
class Request:
    """What was asked for, before the plan is looked up."""

    plan: str
    unit: str | None
    as_of: date | None
    period: str | None


async def build(session: AsyncSession, request: Request, today: date) -> PlanReport:
    """The report asked for, the plan and unit found by the names typed."""
    plan = await find_plan(session, request.plan)
    unit = await find_unit(session, request.unit) if request.unit else None
    unit_id = unit.id if unit else None
    return await report_as_asked(
        session, plan, today, unit_id=unit_id, as_of=request.as_of, period=request.period
    )


def report_command(
    plan: Annotated[str, typer.Argument(help="Mã, số hoặc id kế hoạch")],
    fmt: Annotated[
        str, typer.Option("--format", parser=format_option, help="docx, xlsx hoặc pdf")
    ] = "docx",
    unit: Annotated[str | None, typer.Option(help="Chỉ các nhiệm vụ của đơn vị này")] = None,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=as_date,
            help="Tính đến ngày (mặc định hôm nay, hoặc ngày cuối của kỳ đã qua)",
        ),
    ] = None,
    period: Annotated[
        str | None, typer.Option(help=f"Kỳ báo cáo: {', '.join(PERIOD_SPECS)}")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", parser=output_option, help="Tệp ghi ra (mặc định bao-cao-….<đuôi>)"
        ),
    ] = None,
    issuer: Annotated[str, typer.Option(help="Cơ quan ban hành (mặc định: của kế hoạch)")] = "",
    number: Annotated[str, typer.Option(help="Số báo cáo, ví dụ 12/BC-BDT")] = "",
    signer: Annotated[str, typer.Option(help="Họ tên người ký")] = "",
    signer_title: Annotated[str, typer.Option(help="Chức vụ người ký, ví dụ TRƯỞNG BAN")] = "",
    place: Annotated[str, typer.Option(help="Địa danh, ví dụ Kon Tum")] = "",
) -> None:
    """Báo cáo kết quả thực hiện kế hoạch (Word, Excel hoặc PDF), tính đến một ngày."""
    request = Request(plan, unit, as_of, period)
    today = SystemClock().now().astimezone(TZ).date()
    report = run(in_session(lambda s: build(s, request, today), commit=False), refused=USAGE_EXIT)
    header = header_for(
        report,
        issuer=issuer,
        number=number,
        signer_name=signer,
        signer_title=signer_title,
        place=place,
    )
    content = render(report, header, fmt)
    path = output or Path(file_name(report, fmt))
    try:
        path.write_bytes(content)
    except OSError as exc:  # not the database's: runner would call any OSError an outage
        raise fail(t("cannot_write", path=path, reason=exc.strerror or exc), USAGE_EXIT) from None
    console.print(t("report_written", path=path), markup=False, highlight=False)
    console.print(summary(report), markup=False, highlight=False, soft_wrap=True)
