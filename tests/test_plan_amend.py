"""An amended plan re-imported with --update: matched tasks keep code, progress and history."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands.plan_update import update_file
from bot.render import plan_summary
from data.errors import UserError
from data.models import Due, PlanVersion, Progress, Reminder, StatusUpdate, Task
from data.people import find_officer
from data.plans.amend import OldTask, match_tasks
from data.plans.importer import draft_tasks, import_plan, read_plan_file
from data.plans.text_plan import read_plan_bytes
from data.plans.view import plan_json
from data.progress import WorkKey, record_update
from data.status import Reply
from scheduler.planner import plan_reminders
from tests.planning_helpers import SEED, seed_with_officers, work_ids

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2022, 3, 28, 2, 0, tzinfo=UTC)
ROMAN = ("VII", "VI", "V", "IV", "III", "II", "I")
NEW_SECTION = (
    "<b>I</b>\t<b>Công tác tuyên truyền</b>\t\t\n"
    "1\tTuyên truyền Luật Thi đua, khen thưởng trên Cổng thông tin điện tử của Ban.\t"
    "Ban Dân tộc\tQuý III/2022\n"
)


def amended_text() -> str:
    """The seed with a section added in front (every section renumbered), I.1 reworded,
    V.1's deadline moved, VII.1 given to another unit and V.3 dropped."""
    text = SEED.read_text("utf-8")
    for number, roman in enumerate(ROMAN):
        text = text.replace(f"<b>{roman}</b>", f"<b>@{len(ROMAN) - number + 1}</b>")
    text = text.replace("<b>VII Công tác khác</b>", "<b>VIII Công tác khác</b>")
    text = re.sub(r"<b>@(\d)</b>", lambda m: f"<b>{ROMAN[len(ROMAN) - int(m[1])]}</b>", text)
    text = text.replace("<b>VIII</b>", "<b>VII</b>")
    text = text.replace("Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện\n", "")
    head, _, rest = text.partition("<b>II</b>")
    header = "Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện\n"
    text = head + header + NEW_SECTION + "<b>II</b>" + rest
    text = text.replace(
        "Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ công tác dân tộc năm 2022.",
        "Phát động phong trào thi đua hoàn thành thắng lợi các nhiệm vụ công tác dân tộc năm 2022.",
    )
    text = text.replace("thị, thành phố\tQuý I/2022", "thị, thành phố\tTrước ngày 15/4/2022")
    text = re.sub(r"3\tKhen thưởng đột xuất[^\n]*\n", "", text)
    text = text.replace(
        "chỉ đạo của Ủy ban Dân tộc, UBND tỉnh.\tThường trực Hội đồng Thi đua - Khen thưởng cơ sở",
        "chỉ đạo của Ủy ban Dân tộc, UBND tỉnh.\tBan Dân tộc",
    )
    return text


@pytest.fixture
def amended(tmp_path: Path) -> Path:
    path = tmp_path / "ke-hoach-sua-doi.txt"
    path.write_text(amended_text(), "utf-8")
    return path


def test_the_amended_text_is_what_the_test_says() -> None:
    plan = read_plan_bytes(amended_text().encode(), source="x.txt")
    assert [s.number for s in plan.sections] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert plan.sections[0].title == "Công tác tuyên truyền"
    assert sum(len(s.tasks) for s in plan.sections) == 16  # 16 - 1 dropped + 1 added


def test_matching_is_by_content_not_by_number() -> None:
    old = [
        OldTask(1, "KH-I.1", "A", "1", "Tổ chức hội nghị tổng kết năm 2022", "X", "", "Quý I"),
        OldTask(2, "KH-I.2", "A", "2", "Báo cáo kết quả công tác thi đua", "X", "", "Quý II"),
    ]
    plan = read_plan_bytes(
        "KẾ HOẠCH\nnăm 2022\nSố TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện\n"
        "1\tBáo cáo kết quả công tác thi đua khen thưởng\tX\tQuý II/2022\n"
        "2\tTổ chức hội nghị tổng kết năm 2022\tX\tQuý I/2022\n".encode(),
        source="x.txt",
    )
    drafts, _ = draft_tasks(plan, 2022)
    diff = match_tasks(old, drafts)
    assert [(m.old.id, m.new.content) for m in diff.matched] == [
        (2, "Báo cáo kết quả công tác thi đua khen thưởng"),
        (1, "Tổ chức hội nghị tổng kết năm 2022"),
    ]
    assert not diff.added and not diff.removed


async def _progress_on_i1(sessions: Sessions) -> None:
    async with sessions.begin() as s:
        mai = await find_officer(s, "Trần Thị Mai")
        key = WorkKey(*await work_ids(s, "BDT22-I.1", mai.unit_id))
        await record_update(
            s,
            officer=mai,
            key=key,
            reply=Reply("in_progress", percent=60),
            raw_text="đang làm 60% BDT22-I.1",
            channel="zalo",
            provider_update_id=None,
            now=NOW,
            today=date(2022, 3, 28),
        )
        await plan_reminders(s, NOW)


async def test_an_amended_version_keeps_codes_progress_and_history(
    sessions: Sessions, amended: Path
) -> None:
    plan_id = await seed_with_officers(sessions)
    await _progress_on_i1(sessions)
    async with sessions() as s:
        before = {t.code: t.id for t in (await s.scalars(select(Task))).all()}
        pending_v3 = await s.scalar(
            select(Reminder.id)
            .join(Due, Due.id == Reminder.due_id)
            .join(Task, Task.id == Due.task_id)
            .where(Task.code == "BDT22-V.3", Reminder.state == "pending")
            .limit(1)
        )
        assert pending_v3 is not None
        # Preview: the difference, nothing written.
        preview = await update_file(s, amended, "BDT22", None, NOW)
        await s.rollback()
    summary = preview.diff.summary()
    assert summary == {
        "matched": 15,
        "reworded": 1,
        "deadlines_changed": 1,
        "units_changed": 1,
        "added": 1,
        "removed": 1,
    }
    assert [m.old.code for m in preview.diff.reworded] == ["BDT22-I.1"]
    assert [m.old.code for m in preview.diff.deadlines_changed] == ["BDT22-V.1"]
    assert [m.old.code for m in preview.diff.units_changed] == ["BDT22-VII.1"]
    assert [r.code for r in preview.diff.removed] == ["BDT22-V.3"]
    async with sessions() as s:
        assert {t.code: t.id for t in (await s.scalars(select(Task))).all()} == before
        assert await s.scalar(select(Task.removed_in).where(Task.code == "BDT22-V.3")) is None
        assert len((await s.scalars(select(PlanVersion))).all()) == 1
    # Apply.
    async with sessions.begin() as s:
        applied = await update_file(s, amended, "BDT22", None, NOW)
    assert applied.version == 2
    async with sessions() as s:
        tasks = {t.code: t for t in (await s.scalars(select(Task))).all()}
        assert {code: tasks[code].id for code in before} == before  # every code kept
        i1 = tasks["BDT22-I.1"]
        assert i1.content.startswith("Phát động phong trào thi đua hoàn thành")
        progress = (await s.scalars(select(Progress))).all()
        assert [(p.state, p.percent) for p in progress] == [("in_progress", 60)]
        audit = (await s.scalars(select(StatusUpdate))).one()
        assert audit.progress_id == progress[0].id and audit.raw_text == "đang làm 60% BDT22-I.1"
        v1_due = await s.scalar(select(Due.due_on).where(Due.task_id == tasks["BDT22-V.1"].id))
        assert v1_due == date(2022, 4, 14)  # "trước ngày 15/4": the day before, by policy
        v1_pending = (
            await s.scalars(
                select(Reminder.scheduled_at)
                .join(Due, Due.id == Reminder.due_id)
                .where(Due.task_id == tasks["BDT22-V.1"].id, Reminder.state == "pending")
            )
        ).all()
        assert v1_pending and max(v1_pending) > datetime(2022, 4, 1, tzinfo=UTC)  # replanned
        assert tasks["BDT22-V.3"].removed_in == 2
        v3_states = (
            await s.scalars(
                select(Reminder.state)
                .join(Due, Due.id == Reminder.due_id)
                .where(Due.task_id == tasks["BDT22-V.3"].id)
            )
        ).all()
        assert v3_states and set(v3_states) == {"cancelled"}
        added = [code for code in tasks if code not in before]
        assert len(added) == 1 and tasks[added[0]].content.startswith("Tuyên truyền Luật")
        assert added[0] == "BDT22-I.1-2"  # the kept I.1 holds the plain code
        versions = (await s.scalars(select(PlanVersion).order_by(PlanVersion.version))).all()
        assert [(v.version, v.source) for v in versions] == [
            (1, SEED.name),
            (2, "ke-hoach-sua-doi.txt"),
        ]
        assert versions[1].summary["removed"] == 1
        assert all(v.plan_id == plan_id for v in versions)
        document = await plan_json(s, plan_id)
    assert document["plan"]["version"] == 2
    shown = {t["code"]: t for sec in document["sections"] for t in sec["tasks"]}
    assert shown["BDT22-V.3"]["removed_in"] == 2 and shown["BDT22-V.1"]["removed_in"] is None
    assert "16 nhiệm vụ" in plan_summary(document)  # 16 kept or added, the dropped one not


async def test_a_plan_that_looks_imported_is_refused_without_update(
    sessions: Sessions, amended: Path
) -> None:
    await seed_with_officers(sessions)
    async with sessions() as s:
        with pytest.raises(UserError, match="--update BDT22"):
            await import_plan(s, read_plan_file(amended))


SAMPLES = SEED.parent


async def test_the_shipped_word_samples_are_the_plan_then_its_amendment(
    sessions: Sessions,
) -> None:
    """``make demo``'s Word files: the same plan as the text (nothing differs), then the
    amended version (I.5 reworded, V.2 due earlier, VI.3 added, V.3 dropped). A dropped
    task and an added one of similar wording must not be taken for one reworded task."""
    await seed_with_officers(sessions)
    word = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.docx"
    amended = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022-sua-doi.docx"
    assert word.read_bytes()[:2] == b"PK" == amended.read_bytes()[:2]
    async with sessions() as s:
        same = (await update_file(s, word, "BDT22", None, NOW)).diff.summary()
        await s.rollback()
        diff = (await update_file(s, amended, "BDT22", None, NOW)).diff
        await s.rollback()
    assert same == {
        "matched": 16,
        "reworded": 0,
        "deadlines_changed": 0,
        "units_changed": 0,
        "added": 0,
        "removed": 0,
    }
    assert [m.old.code for m in diff.reworded] == ["BDT22-I.5"]
    assert [m.old.code for m in diff.deadlines_changed] == ["BDT22-V.2"]
    assert diff.units_changed == []
    assert [d.code for d in diff.added] == ["BDT22-VI.3"]
    assert [r.code for r in diff.removed] == ["BDT22-V.3"]
