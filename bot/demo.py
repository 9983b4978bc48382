"""``make demo``: the whole loop on a fresh SQLite file, no token needed.

Each step runs a real ``nhacviec`` command (echoed as a person would type it),
so the demo shows exactly what a secretary, an officer and a leader will see:
the plan imported, the reminders of the first quarter of 2022 on simulated time
(Tết and an escalation included), officers answering through the console channel
(the same conversation core as Telegram and Zalo: a done task, an extension asked,
a blocker, a snooze, a promise), the leader's summary counting tasks, who has not
reported and the extension approved, then the rest of the year reflecting those
answers: the snoozed reminder back once, the promise followed up, the escalation.
The rest of the year's answers are recorded on their days, and the year's report is
written as Word, Excel and PDF (as of 31/12/2022) with the header an office sets once.
Then the plan as a Word file (the same plan: no difference) and its amended Word
version: the difference shown, then applied. It ends with a sign-in link to the web
pages for the sample administrator and the command that serves them.

``schedule simulate`` plays on a throw-away copy of the database, so each
simulation starts from what the earlier steps stored (plans, officers, answers),
never from what an earlier simulation sent.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import typer
from rich.text import Text

from bot.cli import app
from bot.commands.runner import console

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
PLAN_FILE = "ke-hoach-thi-dua-khen-thuong-2022"
DEMO_DB = Path("nhacviec-demo.db")
EVENING = "2022-03-28T16:00"
EXCHANGES = (
    ("Lê Văn Hùng", ["/viec", "xong BDT22-I.1 ạ"]),
    (
        "Lâm Văn Sơn",
        ["dang lam 60% BDT22-I.1", "xin gia hạn BDT22-I.1 đến 15/4 vì chờ số liệu các huyện"],
    ),
    ("Ngô Thanh Tùng", ["vướng BDT22-V.1: chờ hồ sơ của các huyện"]),
    # A snooze: the reminder of this morning comes back once, at a working time.
    ("Đặng Văn Lợi", ["nhắc lại sau 2 ngày"]),
    # A promise: its date is recorded and one follow-up asks the morning after it.
    ("Trịnh Công Minh", ["thứ 6 em gửi báo cáo BDT22-VI.1 ạ"]),
    ("Phạm Quốc Bảo", ["/tonghop", "/chuabaocao", "/giahan", "1"]),
)
LATER = (
    # The answers of the rest of the year, each on its day: I.1 done within the
    # extension, V.1 late, I.2 on time by both lead units, the mid-year report of VI.1,
    # II.1 and IV.3 under way. The report as of 31/12 counts them by state.
    ("Lâm Văn Sơn", "2022-04-14T10:00", "xong BDT22-I.1"),
    ("Ngô Thanh Tùng", "2022-04-08T09:00", "xong BDT22-V.1"),
    ("Đặng Văn Lợi", "2022-04-11T15:00", "xong BDT22-V.1 ạ"),
    ("Lê Văn Hùng", "2022-06-20T09:30", "xong BDT22-I.2"),
    ("Lâm Văn Sơn", "2022-06-28T14:00", "xong BDT22-I.2"),
    ("Trịnh Công Minh", "2022-06-24T16:00", "đã gửi báo cáo sơ kết BDT22-VI.1, xong"),
    ("Trần Thị Mai", "2022-09-15T10:00", "dang lam 50% BDT22-II.1"),
    ("Đỗ Thị Hạnh", "2022-11-30T09:00", "đang làm 80% BDT22-IV.3, chờ số liệu các huyện"),
)
REPORT_FORMATS = ("docx", "xlsx", "pdf")
OFFICE = {
    "NHACVIEC_REPORT_PARENT": "UBND TỈNH BÌNH PHƯỚC",
    "NHACVIEC_REPORT_ISSUER": "BAN DÂN TỘC",
    "NHACVIEC_REPORT_SIGNER_TITLE": "TRƯỞNG BAN",
    "NHACVIEC_REPORT_RECIPIENTS": "UBND tỉnh (b/c); Lãnh đạo Ban; Lưu: VT, VP",
}
"""What an office sets once for its reports' header and "Nơi nhận" (.env or environment)."""


def step(*args: str, stdin: str | None = None) -> None:
    """Echo and run one ``nhacviec`` command (typing ``stdin`` into it); stop if it fails."""
    console.rule(Text(f"$ nhacviec {' '.join(args)}", style="bold"), align="left")
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        app(list(args), standalone_mode=False)
    except typer.Exit as exc:
        if exc.exit_code:
            sys.exit(exc.exit_code)
    finally:
        sys.stdin = saved


def main() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{DEMO_DB.resolve()}"
    plan = SAMPLES / f"{PLAN_FILE}.txt"
    step("plan", "import", str(plan))
    step("plan", "import", str(plan))
    step("plan", "show")
    step("plan", "dues", "--from", "2022-01-01", "--days", "90")
    step("officer", "import", str(SAMPLES / "officers.csv"))
    step("unit", "list")
    step("plan", "check")
    step("schedule", "preview", "--from", "2022-03-28", "--until", "2022-04-01")
    # January and Tết in full: nothing from 31/1 to 4/2, February's check-ins on 7/2.
    step("schedule", "simulate", "--from", "2022-01-01", "--until", "2022-02-11")
    # The first "14 working days before", shown as Telegram and Zalo would show it.
    step(
        "schedule",
        "simulate",
        "--from",
        "2022-02-12",
        "--until",
        "2022-03-28",
        "--show",
        "2022-03-11",
        "--channels",
    )
    for officer, lines in EXCHANGES:
        step("chat", "--as", officer, "--now", EVENING, stdin="\n".join(lines) + "\n")
    # The rest of the year: BDT22-I.1 is done for Ban Dân tộc and moved to 15/4 for the
    # districts; Đặng Văn Lợi's snoozed reminder comes back on 30/3; Trịnh Công Minh is
    # asked about his promise on Monday 4/4; the unanswered part of V.1 escalates to the
    # leader on 7/4; the check-ins of May wait until after 30/4–3/5.
    step(
        "schedule",
        "simulate",
        "--from",
        "2022-03-29",
        "--until",
        "2022-12-31",
        *(f"--show={day}" for day in ("2022-03-30", "2022-04-04", "2022-04-07", "2022-05-04")),
    )
    for officer, when, line in LATER:
        step("chat", "--as", officer, "--now", when, stdin=line + "\n")
    step(
        "chat",
        "--as",
        "Phạm Quốc Bảo",
        "--now",
        "2022-12-31T17:00",
        stdin="/tonghop\n/chuabaocao\n",
    )
    # The year's report as leaders sign it: Word, Excel and PDF as of 31/12/2022, with
    # the header the office set once.
    console.rule(
        Text("Thiết lập một lần cho báo cáo của cơ quan (.env)", style="bold"), align="left"
    )
    for name, value in OFFICE.items():
        os.environ.setdefault(name, value)
        console.print(f"{name}={os.environ[name]}", markup=False)
    for fmt in REPORT_FORMATS:
        step("report", "BDT22", "--as-of", "31/12/2022", "--format", fmt)
    # The plan as the Word file the office received: nothing differs from the text.
    # Then the amended Word version: the difference first, written only with --apply.
    step("plan", "import", str(SAMPLES / f"{PLAN_FILE}.docx"), "--update", "BDT22")
    amended = str(SAMPLES / f"{PLAN_FILE}-sua-doi.docx")
    step("plan", "import", amended, "--update", "BDT22")
    step("plan", "import", amended, "--update", "BDT22", "--apply")
    # The web pages: a sign-in link for the sample administrator, and how to serve them.
    step("web", "link", "Hoàng Thị Thu")
    console.print(
        "Mở trang web: chạy lệnh dưới đây rồi mở liên kết trên trong 15 phút (dùng một lần).\n"
        f"DATABASE_URL={os.environ['DATABASE_URL']} nhacviec run --role web --port 8080",
        markup=False,
        soft_wrap=True,
    )


if __name__ == "__main__":
    main()
