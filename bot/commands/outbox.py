"""``nhacviec schedule simulate`` and ``nhacviec outbox …``: running and inspecting the outbox."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time
from typing import Annotated

import typer
from rich.table import Table

from bot.channels.console.sender import ConsoleSender
from bot.channels.registry import CHANNELS
from bot.commands.runner import console, run
from bot.commands.types import as_date, row_id, whole, window
from bot.i18n import t
from bot.render import slot_label
from data.db import open_database
from data.errors import UserError
from data.scratch_copy import scratch_copy
from data.vn_dates import vn_weekday_date
from scheduler.clock import TZ, FakeClock, SystemClock
from scheduler.dispatcher import Dispatcher, list_outbox, retry_reminder
from scheduler.sender import Bundle
from scheduler.simulation import SimulationReport, simulate

app = typer.Typer(help="Hàng đợi nhắc việc (outbox).", no_args_is_help=True)


def channel_views(bundle: Bundle) -> str:
    """The same bundle as every channel with a preview shows it (Telegram, Zalo …)."""
    return "\n".join(p.preview(bundle) for p in CHANNELS.values() if p.preview is not None)


class _ShowSome:
    """The console channel, printing only the days a person asked to see in full."""

    channel = "console"
    accepts_unlinked = True

    def __init__(
        self, clock: FakeClock, show: set[date], full_until: date | None, styled: bool
    ) -> None:
        self._clock, self._show, self._full_until = clock, show, full_until
        self._loud, self._quiet = ConsoleSender(console), ConsoleSender(io.StringIO())
        self._styled = styled

    async def send(self, bundle: Bundle) -> str:
        day = self._clock.now().astimezone(TZ).date()
        loud = day in self._show or (self._full_until is not None and day <= self._full_until)
        if loud and self._styled:
            console.rule(f"{bundle.recipient_name}", align="left", style="dim")
            console.print(channel_views(bundle), markup=False, highlight=False)
            return await self._quiet.send(bundle)
        return await (self._loud if loud else self._quiet).send(bundle)


def _by_month(report: SimulationReport) -> Table:
    months: Counter[str] = Counter()
    for day, count in report.messages_by_day.items():
        months[f"{day:%m/%Y}"] += count
    table = Table(title="Số tin nhắn theo tháng")
    table.add_column("Tháng")
    table.add_column("Tin nhắn", justify="right")
    for month, count in sorted(months.items(), key=lambda kv: kv[0][3:] + kv[0][:2]):
        table.add_row(month, str(count))
    return table


async def _simulate(
    first: date, last: date, show: set[date], full_until: date | None, styled: bool
) -> SimulationReport:
    clock = FakeClock(datetime.combine(first, time(0), TZ))
    async with open_database() as live, scratch_copy(live) as sessions:
        sender = _ShowSome(clock, show, full_until, styled)
        dispatcher = Dispatcher(sessions, {"console": sender}, clock)
        return await simulate(sessions, dispatcher, clock, first, last)


def simulate_command(
    start: Annotated[
        date, typer.Option("--from", parser=as_date, help="Ngày bắt đầu, ví dụ 2022-01-01")
    ],
    until: Annotated[date, typer.Option("--until", parser=as_date, help="Ngày kết thúc")],
    full_until: Annotated[
        date | None,
        typer.Option(parser=as_date, help="In đầy đủ tin nhắn đến ngày này (mặc định: tất cả)"),
    ] = None,
    show: Annotated[
        list[date] | None, typer.Option(parser=as_date, help="In đầy đủ tin nhắn của ngày này")
    ] = None,
    channels: Annotated[
        bool, typer.Option("--channels", help="In như Telegram (HTML, nút) và Zalo (văn bản)")
    ] = False,
) -> None:
    """Chạy lập lịch và gửi nhắc việc qua thời gian giả lập, trên một bản sao tạm của cơ sở
    dữ liệu (hàng đợi thật không đổi), in ra màn hình (kênh console)."""
    first, last = window(start, until)
    days = set(show or [])
    for day in sorted(days):
        if not first <= day <= last:  # it would print nothing, silently
            raise UserError(t("show_outside", day=day.isoformat(), start=start, until=until))
    cutoff = full_until or (None if days else last)
    console.print(t("simulated_on_copy"), style="bold", markup=False)
    report = run(_simulate(first, last, days, cutoff, channels))
    console.print(_by_month(report))
    console.print(
        f"Tổng: {report.messages} tin nhắn ({report.rows_sent} mục nhắc), "
        f"{report.failed} lỗi, {report.planned} mục đã lập lịch."
    )


@app.command("list")
def list_command(
    state: Annotated[
        str | None, typer.Option(help="pending | sending | sent | failed | cancelled")
    ] = None,
    limit: Annotated[int, typer.Option(parser=whole(1, 10_000), help="Số dòng tối đa")] = 100,
) -> None:
    """Các mục trong hàng đợi, sớm nhất trước."""

    async def work() -> Table:
        async with open_database() as sessions:
            rows = await list_outbox(sessions, state, limit)
        table = Table()
        for column in ("#", "Thời điểm", "Người nhận", "Loại", "Trạng thái", "Lỗi"):
            table.add_column(column)
        for row in rows:
            at = row.scheduled_at.astimezone(TZ)
            table.add_row(
                str(row.id),
                f"{vn_weekday_date(at.date())} {at:%H:%M}",
                str(row.recipient_id),
                slot_label(row.kind, row.slot),
                row.state,
                row.last_error or "",
            )
        return table

    console.print(run(work()))


@app.command("retry")
def retry_command(
    reminder_id: Annotated[int, typer.Argument(parser=row_id, help="Số # của mục lỗi")],
) -> None:
    """Gửi lại một mục đã lỗi ở lần chạy tới."""

    async def work() -> None:
        async with open_database() as sessions:
            await retry_reminder(sessions, reminder_id, SystemClock().now())

    run(work())
    console.print(f"Mục #{reminder_id} sẽ được gửi lại.")
