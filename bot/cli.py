"""The ``nhacviec`` command: one Typer app gathering the command groups."""

from __future__ import annotations

import typer

from bot.commands import (
    audit,
    chat,
    corrections,
    db,
    invite,
    links,
    mute,
    outbox,
    people,
    plan,
    report,
    run,
    schedule,
    status,
    task,
    web,
)
from bot.commands.guard import OneLineErrors

app = typer.Typer(
    name="nhacviec",
    cls=OneLineErrors,
    help="Nhắc việc: nhắc hạn công việc cho cán bộ qua Telegram và Zalo.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(plan.app, name="plan")
plan.app.command("archive")(corrections.archive_command)
app.add_typer(task.app, name="task")
app.add_typer(people.units, name="unit")
people.units.command("rename")(corrections.rename_command)
app.add_typer(people.officers, name="officer")
people.officers.command("edit")(corrections.edit_officer_command)
people.officers.command("remove")(corrections.remove_officer_command)
app.command("audit")(audit.audit_command)
app.command("report")(report.report_command)
people.officers.command("show")(links.show)
people.officers.command("prefer")(links.prefer)
app.add_typer(schedule.schedule, name="schedule")
schedule.schedule.command("simulate")(outbox.simulate_command)
app.add_typer(outbox.app, name="outbox")
app.command("run")(run.run_command)
app.command("status")(status.status_command)
app.add_typer(schedule.policy, name="policy")
app.add_typer(schedule.calendar, name="calendar")
app.add_typer(chat.chat, name="chat")
app.add_typer(chat.remind, name="remind")
chat.remind.command("mute")(mute.mute_command)
chat.remind.command("unmute")(mute.unmute_command)
app.add_typer(invite.invite, name="invite")
app.add_typer(web.app, name="web")


def main() -> None:
    """Console-script entry point."""
    app()
