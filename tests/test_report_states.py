"""Issue 14: a report's states are the audit replayed to the end of its date.

The seed plan (16 tasks) gets updates at chosen times through the real recording
functions; the expected figures below are counted by hand from those events. D1 is
15/07/2022, D2 30/09/2022.

Events (Vietnam time) and what they make of each task:
- I.1 (Ban Dân tộc + Cơ quan cấp huyện, due 31/3): done 25/3 and 30/3 → done on time.
- V.1 (Hội đồng + UBND huyện, due 31/3): done 20/3 and 05/4 → done late (April).
- I.2 (Ban Dân tộc + Cơ quan cấp huyện, due 30/6): Ban Dân tộc done 10/6; the
  huyện asks on 20/6 to move it to 31/7, approved 25/6 → at D1 in progress on
  time (without the extension it would be late); done 05/8 → at D2 done late.
- VI.1 (Thường trực, due 30/6 and 31/12): 40% on 01/6, asks on 28/6 for 31/8,
  approved 20/7 (after D1) → at D1 in progress late; first due done 25/8 →
  at D2 in progress on time (the second due is open, not late).
- V.3 (Hội đồng, due 31/12): 30% on 10/5; dropped by version 2 imported 01/8 →
  at D1 in progress on time, at D2 stopped.
- III.1 (Ban Dân tộc, on request): started 01/2 → in progress on time, never late.
- I.4 (Ban Dân tộc): only a "dạ" on 01/4 → still not started.
- II.1 (Ban Dân tộc): started 01/8 → not started at D1, in progress at D2.
- IV.3 (Văn phòng + Phòng Tuyên truyền): Văn phòng done 01/9 → in progress at D2.
- Products: I.1 on 30/3, II.1 on 20/8.

D1: 1 done on time, 1 done late, 3 in progress on time, 1 in progress late,
10 not started, 0 stopped. D2: 1, 2, 4, 0, 8, 1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.errors import UserError
from data.models import Assignment, Due, Plan, PlanVersion, Product, Progress, Task
from data.people import find_officer, find_unit
from data.plans.importer import import_plan, read_plan_file
from data.progress import WorkKey, decide_extension, record_mark, record_update
from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    STOPPED,
    MonthFigures,
    Period,
    PlanReport,
    ReportRow,
)
from data.report_states import build_report, period_for
from data.status import Reply
from scheduler.clock import TZ
from tests.planning_helpers import BAO, LE, MAI, MONTHLY, PHUONG, XUAN, seed_with_officers

Sessions = async_sessionmaker[AsyncSession]
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
NGOC = "Thị Bích Ngọc"  # officer, Cơ quan công tác dân tộc cấp huyện
HANH = "Đỗ Thị Hạnh"  # officer, Văn phòng (Ban Dân tộc)
D1, D2 = date(2022, 7, 15), date(2022, 9, 30)
STATE_ORDER = (DONE_ON_TIME, DONE_LATE, IN_PROGRESS_ON_TIME, IN_PROGRESS_LATE, NOT_STARTED, STOPPED)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


async def _key(session: AsyncSession, officer: str, code: str) -> WorkKey:
    """The officer's unit's work on the task's first due."""
    unit_id = (await find_officer(session, officer)).unit_id
    row = (
        await session.execute(
            select(Assignment.id, Due.id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Due, Due.task_id == Task.id)
            .where(Task.code == code, Assignment.unit_id == unit_id, Due.position == 0)
        )
    ).one()
    return WorkKey(row[0], row[1])


async def _say(
    sessions: Sessions, officer: str, code: str, reply: Reply, day: date, *, instance: str = "-"
) -> int | None:
    """Record ``reply`` as ``officer`` said it at 10:00 on ``day``; the extension id, if any."""
    async with sessions.begin() as s:
        recorded = await record_update(
            s,
            officer=await find_officer(s, officer),
            key=replace(await _key(s, officer, code), instance=instance),
            reply=reply,
            raw_text=f"{code} {reply.reason or ''}",
            channel="telegram",
            provider_update_id=None,
            now=_at(day),
            today=day,
        )
    return recorded.extension_id


async def _approve(sessions: Sessions, request_id: int | None, day: date) -> None:
    assert request_id is not None
    async with sessions.begin() as s:
        await decide_extension(
            s,
            request_id=request_id,
            leader=await find_officer(s, BAO),
            approve=True,
            channel="telegram",
            provider_update_id=None,
            now=_at(day),
        )


async def _product(sessions: Sessions, code: str, day: date) -> None:
    async with sessions.begin() as s:
        task_id = await s.scalar(select(Task.id).where(Task.code == code))
        assert task_id is not None
        s.add(
            Product(
                task_id=task_id,
                channel="telegram",
                file_name="bien-ban.pdf",
                mime="application/pdf",
                size=3,
                sha256="0" * 64,
                store="db",
                content=b"pdf",
                created_at=_at(day),
            )
        )


async def _until_d1(sessions: Sessions) -> int | None:
    """The events up to D1; the id of VI.1's extension request, decided after D1."""
    await _say(sessions, MAI, "BDT22-III.1", Reply("in_progress"), date(2022, 2, 1))
    await _say(sessions, LE, "BDT22-V.1", Reply("done"), date(2022, 3, 20))
    await _say(sessions, MAI, "BDT22-I.1", Reply("done"), date(2022, 3, 25))
    await _say(sessions, NGOC, "BDT22-I.1", Reply("done"), date(2022, 3, 30))
    await _product(sessions, "BDT22-I.1", date(2022, 3, 30))
    async with sessions.begin() as s:
        await record_mark(
            s,
            officer=await find_officer(s, MAI),
            key=await _key(s, MAI, "BDT22-I.4"),
            kind="acknowledged",
            raw_text="dạ",
            channel="zalo",
            provider_update_id=None,
            now=_at(date(2022, 4, 1)),
        )
    await _say(sessions, XUAN, "BDT22-V.1", Reply("done"), date(2022, 4, 5))
    await _say(sessions, MAI, "BDT22-I.2", Reply("in_progress", percent=50), date(2022, 5, 1))
    await _say(sessions, NGOC, "BDT22-I.2", Reply("in_progress", percent=20), date(2022, 5, 2))
    await _say(sessions, LE, "BDT22-V.3", Reply("in_progress", percent=30), date(2022, 5, 10))
    await _say(sessions, PHUONG, "BDT22-VI.1", Reply("in_progress", percent=40), date(2022, 6, 1))
    await _say(sessions, MAI, "BDT22-I.2", Reply("done"), date(2022, 6, 10))
    asked = Reply("extension_requested", new_due=date(2022, 7, 31), reason="chờ số liệu xã")
    request = await _say(sessions, NGOC, "BDT22-I.2", asked, date(2022, 6, 20))
    await _approve(sessions, request, date(2022, 6, 25))
    asked = Reply("extension_requested", new_due=date(2022, 8, 31), reason="đợi ý kiến Sở")
    return await _say(sessions, PHUONG, "BDT22-VI.1", asked, date(2022, 6, 28))


async def _after_d1(sessions: Sessions, phuong_request: int | None) -> None:
    await _approve(sessions, phuong_request, date(2022, 7, 20))
    async with sessions.begin() as s:  # what plan import --update --apply does to a dropped task
        plan_id = await s.scalar(select(Task.plan_id).where(Task.code == "BDT22-V.3"))
        await s.execute(update(Task).where(Task.code == "BDT22-V.3").values(removed_in=2))
        v2 = PlanVersion(plan_id=plan_id, version=2, source="v2", checksum="v2")
        s.add(v2)
        v2.imported_at = _at(date(2022, 8, 1))
        dropped = select(Assignment.id).join(Task).where(Task.code == "BDT22-V.3")
        await s.execute(
            update(Progress).where(Progress.assignment_id.in_(dropped)).values(state="cancelled")
        )
    await _say(sessions, MAI, "BDT22-II.1", Reply("in_progress"), date(2022, 8, 1))
    await _say(sessions, NGOC, "BDT22-I.2", Reply("done"), date(2022, 8, 5))
    await _product(sessions, "BDT22-II.1", date(2022, 8, 20))
    await _say(sessions, PHUONG, "BDT22-VI.1", Reply("done"), date(2022, 8, 25))
    await _say(sessions, HANH, "BDT22-IV.3", Reply("done"), date(2022, 9, 1))


async def _report(
    sessions: Sessions,
    as_of: date,
    *,
    unit: str | None = None,
    period: Period | None = None,
    plan: str = "BDT22",
) -> PlanReport:
    async with sessions() as s:
        found = await s.scalar(select(Plan).where(Plan.code_prefix == plan))
        assert found is not None
        unit_id = (await find_unit(s, unit)).id if unit else None
        return await build_report(s, found, as_of, unit_id, period)


def _counts(report: PlanReport) -> tuple[int, ...]:
    return tuple(report.figures[state] for state in STATE_ORDER)


def _rows(report: PlanReport) -> dict[str, ReportRow]:
    return {row.code: row for section in report.sections for row in section.rows}


async def test_states_as_of_two_dates_and_the_past_does_not_move(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    phuong_request = await _until_d1(sessions)
    first = await _report(sessions, D1)
    await _after_d1(sessions, phuong_request)
    assert await _report(sessions, D1) == first  # printed later, it reads the same
    second = await _report(sessions, D2)

    assert _counts(first) == (1, 1, 3, 1, 10, 0) and first.figures.total == 16
    assert _counts(second) == (1, 2, 4, 0, 8, 1) and second.figures.total == 16
    assert (first.figures.with_products, second.figures.with_products) == (1, 2)
    at_d1, at_d2 = _rows(first), _rows(second)
    assert at_d1["BDT22-I.1"].state == DONE_ON_TIME
    assert at_d1["BDT22-I.1"].done_on == date(2022, 3, 30)
    assert at_d1["BDT22-I.1"].progress == "Hoàn thành ngày 30/03/2022"
    assert at_d1["BDT22-V.1"].state == DONE_LATE
    # extension approved before D1: on time at D1 (its due in force is 31/7), late when done 5/8
    assert at_d1["BDT22-I.2"].state == IN_PROGRESS_ON_TIME
    assert at_d1["BDT22-I.2"].due_on == date(2022, 7, 31)
    assert at_d1["BDT22-I.2"].progress.splitlines() == [
        "Đang thực hiện (60%)",
        "Gia hạn đến 31/07/2022",
        "chờ số liệu xã",
    ]
    assert at_d2["BDT22-I.2"].state == DONE_LATE
    assert at_d2["BDT22-I.2"].done_on == date(2022, 8, 5)
    # extension approved after D1: not counted at D1, counted at D2
    assert at_d1["BDT22-VI.1"].state == IN_PROGRESS_LATE
    assert at_d1["BDT22-VI.1"].due_on == date(2022, 6, 30)
    assert "Đang đề nghị gia hạn" in at_d1["BDT22-VI.1"].progress
    assert "Gia hạn" not in at_d1["BDT22-VI.1"].progress
    assert at_d2["BDT22-VI.1"].state == IN_PROGRESS_ON_TIME
    assert at_d2["BDT22-VI.1"].due_on == date(2022, 12, 31)
    # removed after D1: reported as it stood at D1, stopped at D2
    assert at_d1["BDT22-V.3"].state == IN_PROGRESS_ON_TIME
    assert at_d1["BDT22-V.3"].progress == "Đang thực hiện (30%)"
    assert at_d2["BDT22-V.3"].state == STOPPED
    assert at_d2["BDT22-V.3"].progress == "Đã bỏ khỏi kế hoạch"
    assert at_d1["BDT22-III.1"].state == at_d2["BDT22-III.1"].state == IN_PROGRESS_ON_TIME
    assert at_d1["BDT22-I.4"].state == NOT_STARTED
    assert at_d1["BDT22-I.4"].progress == "Chưa có báo cáo"
    assert (at_d1["BDT22-II.1"].state, at_d2["BDT22-II.1"].state) == (
        NOT_STARTED,
        IN_PROGRESS_ON_TIME,
    )
    assert at_d2["BDT22-IV.3"].state == IN_PROGRESS_ON_TIME
    assert at_d2["BDT22-IV.3"].progress == "Đang thực hiện (50%)"  # one unit of two done
    assert (at_d1["BDT22-II.1"].products, at_d2["BDT22-II.1"].products) == (0, 1)
    assert at_d2["BDT22-I.1"].lead == "Ban Dân tộc; Cơ quan công tác dân tộc cấp huyện"
    assert [s.number for s in second.sections] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert [r.code for r in second.sections[0].rows] == [f"BDT22-I.{n}" for n in range(1, 6)]


@SQLITE_ONLY
async def test_figures_by_unit_and_by_month(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    await _after_d1(sessions, await _until_d1(sessions))
    report = await _report(sessions, D2)
    by_unit = {u.unit: tuple(u.counts[s] for s in STATE_ORDER) for u in report.by_unit}
    assert list(by_unit) == [
        "Ban Dân tộc",
        "Cơ quan công tác dân tộc cấp huyện",
        "Hội đồng Thi đua - Khen thưởng cơ sở",
        "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)",
        "Thường trực Hội đồng Thi đua - Khen thưởng cơ sở",
        "UBND các huyện, thị, thành phố",
        "Văn phòng (Ban Dân tộc)",
    ]
    assert by_unit == {
        "Ban Dân tộc": (2, 0, 2, 0, 3, 0),  # its own I.2 was done 10/6, on time
        "Cơ quan công tác dân tộc cấp huyện": (1, 1, 0, 0, 2, 0),
        "Hội đồng Thi đua - Khen thưởng cơ sở": (1, 0, 0, 0, 2, 1),
        "Phòng Tuyên truyền và Địa bàn (Ban Dân tộc)": (0, 0, 0, 0, 2, 0),
        "Thường trực Hội đồng Thi đua - Khen thưởng cơ sở": (0, 0, 1, 0, 2, 0),
        "UBND các huyện, thị, thành phố": (0, 1, 0, 0, 0, 0),
        "Văn phòng (Ban Dân tộc)": (1, 0, 0, 0, 1, 0),
    }
    assert report.by_unit[0].counts.with_products == 2
    expected = [MonthFigures(date(2022, m, 1), 0, 0) for m in range(1, 10)]
    expected[2], expected[3] = (
        MonthFigures(date(2022, 3, 1), 1, 0),
        MonthFigures(date(2022, 4, 1), 0, 1),
    )
    expected[7] = MonthFigures(date(2022, 8, 1), 0, 1)
    assert list(report.by_month) == expected


@SQLITE_ONLY
async def test_one_unit_judged_by_its_own_part(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    await _after_d1(sessions, await _until_d1(sessions))
    report = await _report(sessions, D2, unit="Ban Dân tộc")
    assert report.unit == "Ban Dân tộc"
    rows = _rows(report)
    assert list(rows) == [f"BDT22-I.{n}" for n in range(1, 6)] + ["BDT22-II.1", "BDT22-III.1"]
    assert [s.number for s in report.sections] == ["I", "II", "III"]
    assert rows["BDT22-I.2"].state == DONE_ON_TIME  # the huyện's late part is not its own
    assert rows["BDT22-I.2"].done_on == date(2022, 6, 10)
    assert _counts(report) == (2, 0, 2, 0, 3, 0)
    assert [(u.unit, u.counts.total) for u in report.by_unit] == [("Ban Dân tộc", 7)]
    assert {a.unit for a in report.audit} == {"Ban Dân tộc"}


@SQLITE_ONLY
async def test_the_audit_of_the_period(sessions: Sessions) -> None:
    await seed_with_officers(sessions)
    await _after_d1(sessions, await _until_d1(sessions))
    report = await _report(sessions, D2, period=period_for("quy-3", 2022, D2))
    assert report.period.label == "Quý III năm 2022"
    assert [(a.task_code, a.officer, a.state_before, a.state_after) for a in report.audit] == [
        ("BDT22-VI.1", BAO, "extension_requested", "in_progress"),
        ("BDT22-II.1", MAI, "not_started", "in_progress"),
        ("BDT22-I.2", NGOC, "in_progress", "done"),
        ("BDT22-VI.1", PHUONG, "in_progress", "done"),
        ("BDT22-IV.3", HANH, "not_started", "done"),
    ]
    assert report.audit[2].unit == "Cơ quan công tác dân tộc cấp huyện"
    assert report.audit[2].channel == "telegram" and report.audit[2].percent == 100
    assert (await _report(sessions, D2)).period == Period(date(2022, 1, 1), D2, "Năm 2022")


@SQLITE_ONLY
async def test_a_monthly_report_is_late_while_an_occurrence_due_is_open(
    sessions: Sessions, tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    path = tmp_path / "bc22.txt"
    path.write_text(MONTHLY, "utf-8")
    async with sessions.begin() as s:
        await import_plan(s, read_plan_file(path), prefix="BC22")
    # "Trước ngày 05 hằng tháng" is due on the 4th: January's sent on 3/1, February's on 10/2
    for instance, day in (("2022-01-04", date(2022, 1, 3)), ("2022-02-04", date(2022, 2, 10))):
        await _say(sessions, MAI, "BC22-I.1", Reply("done"), day, instance=instance)
    states = {}
    for as_of in (date(2022, 1, 2), date(2022, 2, 3), date(2022, 2, 15), date(2022, 3, 20)):
        [row] = _rows(await _report(sessions, as_of, plan="BC22")).values()
        states[as_of.isoformat()] = (row.state, row.due_on)
    assert states == {
        "2022-01-02": (NOT_STARTED, date(2022, 1, 4)),
        "2022-02-03": (IN_PROGRESS_ON_TIME, date(2022, 2, 4)),
        "2022-02-15": (IN_PROGRESS_ON_TIME, date(2022, 3, 4)),
        "2022-03-20": (IN_PROGRESS_LATE, date(2022, 3, 4)),  # March's, due 4/3, is not sent
    }
    [row] = _rows(await _report(sessions, date(2022, 3, 20), plan="BC22")).values()
    assert row.progress == "Đang thực hiện (đã xong 2/12 kỳ)"


COORDINATED = """Số: 08/KH-BDT

Bình Phước, ngày 10 tháng 01 năm 2022

**KẾ HOẠCH**

**Phối hợp năm 2022**

Số TT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện
<b>I</b>\t<b>Phối hợp</b>\t\t\t
1\tTổng hợp báo cáo quý.\tBan Dân tộc\tVăn phòng (Ban Dân tộc)\tNgày 31/3/2022
"""


@SQLITE_ONLY
async def test_coordinating_units_do_not_decide_but_have_their_own_report(
    sessions: Sessions, tmp_path: Path
) -> None:
    await seed_with_officers(sessions)
    path = tmp_path / "pp22.txt"
    path.write_text(COORDINATED, "utf-8")
    async with sessions.begin() as s:
        await import_plan(s, read_plan_file(path), prefix="PP22")
    await _say(sessions, HANH, "PP22-I.1", Reply("done"), date(2022, 3, 20))
    whole = await _report(sessions, date(2022, 3, 31), plan="PP22")
    [row] = _rows(whole).values()
    assert (row.lead, row.coordinate, row.state) == (
        "Ban Dân tộc",
        "Văn phòng (Ban Dân tộc)",
        NOT_STARTED,
    )
    assert [u.unit for u in whole.by_unit] == ["Ban Dân tộc"]
    office = await _report(sessions, date(2022, 3, 31), plan="PP22", unit="Văn phòng (Ban Dân tộc)")
    [row] = _rows(office).values()
    assert row.state == DONE_ON_TIME and office.plan_number == "08/KH-BDT"
    assert [(u.unit, u.counts[DONE_ON_TIME]) for u in office.by_unit] == [
        ("Văn phòng (Ban Dân tộc)", 1)
    ]


@pytest.mark.parametrize(
    ("spec", "as_of", "expected"),
    [
        (None, date(2022, 7, 15), Period(date(2022, 1, 1), date(2022, 7, 15), "Năm 2022")),
        ("quy-1", date(2022, 7, 15), Period(date(2022, 1, 1), date(2022, 3, 31), "Quý I năm 2022")),
        (
            "Quý 2",
            date(2022, 7, 15),
            Period(date(2022, 4, 1), date(2022, 6, 30), "Quý II năm 2022"),
        ),
        (
            "quy-3",
            date(2022, 7, 15),
            Period(date(2022, 7, 1), date(2022, 7, 15), "Quý III năm 2022"),
        ),
        (
            "quy-4",
            date(2023, 1, 5),
            Period(date(2022, 10, 1), date(2022, 12, 31), "Quý IV năm 2022"),
        ),
        (
            "6-thang",
            date(2022, 7, 15),
            Period(date(2022, 1, 1), date(2022, 6, 30), "6 tháng đầu năm 2022"),
        ),
        (
            "9-thang",
            date(2022, 9, 1),
            Period(date(2022, 1, 1), date(2022, 9, 1), "9 tháng năm 2022"),
        ),
        ("nam", date(2023, 2, 1), Period(date(2022, 1, 1), date(2022, 12, 31), "Năm 2022")),
    ],
)
def test_periods(spec: str | None, as_of: date, expected: Period) -> None:
    assert period_for(spec, 2022, as_of) == expected


def test_an_unknown_or_future_period_is_one_vietnamese_line() -> None:
    with pytest.raises(UserError, match="quy-1, quy-2, quy-3, quy-4, 6-thang, 9-thang, nam"):
        period_for("quy-5", 2022, date(2022, 7, 15))
    with pytest.raises(UserError, match="Quý IV năm 2022 chưa bắt đầu tại ngày 15/07/2022"):
        period_for("quy-4", 2022, date(2022, 7, 15))
