"""Issue 12, "Leaders see the truth": every point through the conversation core, on both backends.

1 coordinating units in counts · 3 who has not reported · 4 no stale or wrong notices ·
5 leader commands do what they say · 6 scope.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.console.sender import render_bundle
from bot.chat import texts
from data.digest import EMPTY, Digest, digest_text
from data.errors import UserError
from data.leaders import add_scope, unit_named
from data.models import Assignment, ExtensionRequest, PolicySetting, Reminder, Task
from data.people import OfficerInput, add_officer, add_unit, find_officer, find_unit
from data.plans.importer import import_plan, read_plan_file
from data.plans.view import find_plan
from scheduler.clock import TZ
from scheduler.dispatch_rules import SAME_ESCALATION, select_items
from scheduler.dispatcher import Dispatcher
from scheduler.outbox import ClaimedRow, load_row_info
from scheduler.planner import plan_reminders
from scheduler.sender import Bundle, ReminderItem
from tests.fakes import FakeSender
from tests.planning_helpers import BAO, HUNG, MAI, MONTHLY, XUAN
from tests.test_conversation import Chat, flat

AFTER_DUE = datetime(2022, 4, 5, 9, 0, tzinfo=TZ)
"""A Tuesday: BDT22-I.1 and V.1 (due 31/3) are 5 days overdue."""
SON = "Lâm Văn Sơn"  # unit head, Cơ quan công tác dân tộc cấp huyện (a lead unit of I.1)


@pytest.fixture
async def chat(sessions: async_sessionmaker[AsyncSession]) -> Chat:
    from tests.planning_helpers import seed_with_officers

    await seed_with_officers(sessions)
    return Chat(sessions)


async def _coordinate(chat: Chat, code: str, unit_name: str) -> None:
    """Add ``unit_name`` as a coordinating unit of task ``code``."""
    async with chat.sessions.begin() as s:
        task = await s.scalar(select(Task).where(Task.code == code))
        unit = await find_unit(s, unit_name)
        assert task is not None
        s.add(Assignment(task_id=task.id, unit_id=unit.id, role="coordinate", position=9))


async def _monthly_plan(chat: Chat, tmp_path: Path) -> None:
    path = tmp_path / "monthly.txt"
    path.write_text(MONTHLY, "utf-8")
    async with chat.sessions.begin() as s:
        await import_plan(s, read_plan_file(path), prefix="BC22")


# --- 1. coordinating units ------------------------------------------------------------


async def test_a_summary_counts_tasks_and_says_so(chat: Chat) -> None:
    answer = await chat.one(BAO, "/tonghop BDT22")
    assert "\n16 nhiệm vụ, 24 lượt giao việc.\n" in answer.text
    assert "Nhiệm vụ theo báo cáo của đơn vị chủ trì: Chưa thực hiện: 16" in answer.text


async def test_the_lead_units_decide_and_coordinators_are_not_counted_separately(
    chat: Chat,
) -> None:
    await _coordinate(chat, "BDT22-I.1", "Văn phòng (Ban Dân tộc)")
    await _coordinate(chat, "BDT22-I.1", "Ban Dân tộc")  # already its lead: one assignment
    before = await chat.one(BAO, "/tonghop BDT22")
    assert "16 nhiệm vụ, 25 lượt giao việc." in before.text
    chat.clock.set(AFTER_DUE)
    late = await chat.one(BAO, "/quahan")
    assert "BDT22-I.1 · Ban Dân tộc: quá hạn 5 ngày" in late.text
    assert "BDT22-I.1 · Cơ quan công tác dân tộc cấp huyện: quá hạn 5 ngày" in late.text
    assert "Văn phòng" not in late.text
    assert late.text.count("BDT22-I.1 · Ban Dân tộc") == 1
    await chat.one(MAI, "xong BDT22-I.1")
    half = await chat.one(BAO, "/tonghop BDT22")
    assert "Hoàn thành:" not in half.text  # one lead unit of two
    await chat.one(SON, "xong BDT22-I.1")
    done = await chat.one(BAO, "/tonghop BDT22")
    assert "Hoàn thành: 1" in done.text  # the coordinator (Văn phòng) has not answered
    assert "Hoàn thành đúng hạn: 0 · trễ hạn: 1" in done.text


# --- 3. who has not reported ----------------------------------------------------------


async def _sent_to(chat: Chat, name: str, code: str, at: datetime) -> None:
    """A reminder about ``code`` the dispatcher sent to ``name`` at ``at``."""
    assignment_id, due_id = await chat.work(code, name)
    async with chat.sessions.begin() as s:
        officer = await find_officer(s, name)
        s.add(
            Reminder(
                key=f"test:{officer.id}:{code}:{at.isoformat()}",
                due_id=due_id,
                assignment_id=assignment_id,
                recipient_id=officer.id,
                kind="overdue",
                slot=f"test@{at.isoformat()}",
                scheduled_at=at,
                sent_at=at,
                state="sent",
                channel="telegram",
            )
        )


async def test_chuabaocao_lists_silent_units_and_officers_with_their_reminders(
    chat: Chat,
) -> None:
    chat.clock.set(AFTER_DUE)
    await _sent_to(chat, XUAN, "BDT22-V.1", AFTER_DUE - timedelta(days=4))
    await _sent_to(chat, XUAN, "BDT22-V.1", AFTER_DUE - timedelta(days=1))
    await chat.one(MAI, "đang làm 50% BDT22-I.2")
    answer = await chat.one(BAO, "/chuabaocao BDT22")
    lines = answer.text.splitlines()
    assert lines[0].startswith("Chưa báo cáo — Kế hoạch BDT22 «Triển khai thực hiện")
    assert lines[1] == "6/7 đơn vị chưa báo cáo (chưa có cập nhật nào từ sau ngày 01/01/2022):"
    assert "• Ban Dân tộc" not in answer.text  # Mai reported
    assert "• UBND các huyện, thị, thành phố (1 việc đang mở)" in lines
    assert "   – Mai Thị Xuân: đã nhắc 2 lần" in lines
    vp = lines.index("• Văn phòng (Ban Dân tộc) (2 việc đang mở)")  # nobody reminded or in charge:
    assert lines[vp + 1] == "   – Nguyễn Minh Đức: đã nhắc 0 lần"  # its people are still named
    own = await chat.one(HUNG, "/chuabaocao")  # a unit head: their own unit
    assert (
        "Tất cả 1 đơn vị đã báo cáo (có cập nhật từ sau ngày 01/01/2022)." in own.text
        and "UBND" not in own.text
    )
    assert (await chat.one(MAI, "/chuabaocao")).text == texts.NOT_ALLOWED


async def test_chuabaocao_counts_from_the_plans_reporting_deadline(chat: Chat) -> None:
    async with chat.sessions.begin() as s:
        plan = await find_plan(s, "BDT22")
        s.add(
            PolicySetting(
                plan_id=plan.id, settings={"reporting_deadline": "Trước ngày 05 hằng tháng"}
            )
        )
    chat.clock.set(datetime(2022, 3, 2, 9, 0, tzinfo=TZ))
    await chat.one(MAI, "đang làm 50% BDT22-I.2")  # before the 4/3 point: the last period's
    chat.clock.set(AFTER_DUE)
    answer = await chat.one(BAO, "/chuabaocao Ban Dân tộc")
    assert "kỳ báo cáo 04/04/2022" in answer.text.splitlines()[0]
    assert "chưa có cập nhật nào từ sau ngày 04/03/2022" in answer.text
    assert "• Ban Dân tộc (" in answer.text
    await chat.one(MAI, "đang làm 60% BDT22-I.2")  # late for the 4/4 point, still counted
    again = await chat.one(BAO, "/chuabaocao ban dan toc")
    assert "Tất cả 1 đơn vị đã báo cáo" in again.text


# --- 4. no stale or wrong notices -----------------------------------------------------


async def test_a_decided_request_is_not_asked_again_and_the_notice_shows_the_new_due(
    chat: Chat,
) -> None:
    chat.clock.set(datetime(2022, 3, 28, 22, 0, tzinfo=TZ))  # at night: notices wait for 8:00
    await chat.one(MAI, "xin gia hạn BDT22-I.1 đến 30/6")
    listing = await chat.one(BAO, "/giahan")
    [approve, _refuse] = flat(listing)
    await chat.press(BAO, approve)
    async with chat.sessions() as s:
        bao, mai = await find_officer(s, BAO), await find_officer(s, MAI)
        notices = (await s.scalars(select(Reminder).where(Reminder.kind == "notice"))).all()
        to_leader = [n for n in notices if n.recipient_id == bao.id]
        [to_officer] = [n for n in notices if n.recipient_id == mai.id]
        claimed = ClaimedRow(
            to_officer.id, mai.id, to_officer.due_id, to_officer.assignment_id, "-",
            "notice", to_officer.slot, to_officer.scheduled_at, 0, to_officer.scheduled_at,
        )  # fmt: skip
        info = (await load_row_info(s, [claimed]))[to_officer.id]
    assert [n.state for n in to_leader] == ["cancelled"]
    assert "30/06/2022" in (to_officer.body or "")
    assert info.due == date(2022, 6, 30)  # the "Hạn:" line of the notice, not 31/03


def _bundle(*items: ReminderItem) -> Bundle:
    return Bundle(1, "Phạm Quốc Bảo", "console", "x", date(2022, 4, 4), items)


def test_a_leaders_message_carries_no_reply_footer_and_an_empty_digest_is_one_line() -> None:
    digest = ReminderItem(1, "digest", None, "", None, None, note="…")
    escalation = ReminderItem(2, "escalation", "BDT22-I.1", "Phát động", "Ban Dân tộc", None)
    own = ReminderItem(3, "before", "BDT22-I.2", "Triển khai", "Ban Dân tộc", None)
    assert "Trả lời:" not in render_bundle(_bundle(digest, escalation))
    assert "Trả lời:" in render_bundle(_bundle(digest, own))
    assert digest_text(Digest((), (), ()), date(2022, 4, 4)) == EMPTY


def test_an_escalation_lists_each_item_once() -> None:
    at = datetime(2022, 4, 11, 1, 0, tzinfo=UTC)

    def row(rid: int, slot: str) -> ClaimedRow:
        return ClaimedRow(rid, 9, 5, 7, "-", "escalation", slot, at, 0, at)

    selection = select_items(
        [row(1, "escalation-leader@2022-03-31"), row(2, "unreachable-4")], {}, set(), at.date()
    )
    assert [r.id for r, _ in selection.items] == [2]
    assert selection.superseded == ((1, SAME_ESCALATION),)


# --- 5. leader commands do what they say ----------------------------------------------


async def test_tonghop_and_quahan_honour_the_plan(chat: Chat, tmp_path: Path) -> None:
    await _monthly_plan(chat, tmp_path)
    chat.clock.set(AFTER_DUE)
    head = await chat.one(HUNG, "/tonghop BDT22")
    assert head.text.startswith(
        "Tổng hợp tiến độ — Kế hoạch BDT22 «Triển khai thực hiện công tác thi đua, khen thưởng"
    )
    assert " — Ban Dân tộc (05/04/2022)" in head.text.splitlines()[0]
    monthly = await chat.one(BAO, "/quahan BC22")
    assert "BC22-I.1" in monthly.text and "BDT22" not in monthly.text
    seed = await chat.one(BAO, "/quahan BDT22")
    assert "BDT22-I.1" in seed.text and "BC22" not in seed.text


async def test_donvi_finds_units_by_folded_words_and_abbreviations(chat: Chat) -> None:
    async with chat.sessions.begin() as s:
        await add_unit(s, "Bộ Khoa học và Công nghệ")
        await add_unit(s, "Sở Khoa học và Công nghệ")
        for typed in ("bo khoa hoc", "Bộ KH&CN", "bo khoa hoc cong nghe"):
            assert (await unit_named(s, typed)).name == "Bộ Khoa học và Công nghệ"
        with pytest.raises(UserError, match="khớp nhiều đơn vị"):
            await unit_named(s, "khoa hoc")
    answer = await chat.one(BAO, "/donvi bo khoa hoc")
    assert answer.text.startswith("Tổng hợp tiến độ — Bộ Khoa học và Công nghệ")


async def test_the_lowest_first_list_ranks_by_overdue_work(chat: Chat) -> None:
    chat.clock.set(AFTER_DUE)
    answer = await chat.one(BAO, "/tonghop")
    units = [line for line in answer.text.splitlines() if line.startswith("• ") and ": 0/" in line]
    late = [n for n, line in enumerate(units) if "quá hạn" in line]
    assert late == list(range(len(late))) and len(late) == 4  # overdue first, not A→Z
    assert units[0] == "• Ban Dân tộc: 0/7 (0%) · quá hạn 1"


async def test_viec_shows_each_tasks_short_content(chat: Chat) -> None:
    answer = await chat.one(MAI, "/viec")
    assert (
        "2. BDT22-I.2 · Triển khai thực hiện phong trào “Vì sự nghiệp phát triển các dân tộc”…\n"
        in (answer.text)
    )


# --- 6. scope -------------------------------------------------------------------------


async def test_a_leader_given_a_plan_sees_only_that_plan(chat: Chat, tmp_path: Path) -> None:
    await _monthly_plan(chat, tmp_path)
    async with chat.sessions.begin() as s:
        await add_scope(s, await find_officer(s, BAO), plan=await find_plan(s, "BC22"))
    summary = await chat.one(BAO, "/tonghop")
    assert "1 nhiệm vụ, 1 lượt giao việc." in summary.text
    refused = await chat.one(BAO, "/tonghop BDT22")
    assert refused.text == texts.NOT_YOUR_PLAN.format(plan="BDT22")
    chat.clock.set(AFTER_DUE)
    assert "BDT22" not in (await chat.one(BAO, "/quahan")).text
    assert "BDT22" not in (await chat.one(BAO, "/chuabaocao")).text


async def test_a_scoped_leader_neither_sees_nor_decides_other_plans_requests(
    chat: Chat, tmp_path: Path
) -> None:
    await _monthly_plan(chat, tmp_path)
    async with chat.sessions.begin() as s:
        await add_scope(s, await find_officer(s, BAO), plan=await find_plan(s, "BC22"))
    await chat.one(MAI, "xin gia hạn BDT22-I.1 đến 30/6")
    async with chat.sessions() as s:
        [request_id] = (await s.scalars(select(ExtensionRequest.id))).all()
    assert (await chat.one(BAO, "/giahan")).text == texts.NO_PENDING_EXTENSIONS
    async with chat.sessions() as s:
        notices = (await s.scalars(select(Reminder).where(Reminder.kind == "notice"))).all()
    assert notices == []  # BDT22's request is not announced to BC22's leader
    refused = await chat.press(BAO, f"g:a:{request_id}")
    assert refused.toast == texts.NO_SUCH_REQUEST
    async with chat.sessions() as s:
        assert (await s.scalars(select(ExtensionRequest.state))).all() == ["pending"]


async def test_a_leader_given_an_issuer_sees_its_plans(chat: Chat) -> None:
    async with chat.sessions.begin() as s:
        await add_scope(s, await find_officer(s, BAO), issuer="Sở Tư pháp")
    assert "0 nhiệm vụ, 0 lượt giao việc." in (await chat.one(BAO, "/tonghop")).text


async def test_an_officer_without_a_unit_is_refused_but_a_leader_may_have_none(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as s:
        with pytest.raises(UserError, match="cần có đơn vị"):
            await add_officer(s, OfficerInput("Trần Văn Lẻ", None))
        leader = await add_officer(s, OfficerInput("Nguyễn Lãnh Đạo", None, "leader"))
    assert leader.unit_id is None


async def test_a_forged_buttons_refusal_reveals_nothing(chat: Chat) -> None:
    other = await chat.work("BDT22-IV.2", "Bùi Thị Lệ")
    someone_elses = await chat.press(MAI, f"s:d:w{other[0]}.{other[1]}")
    missing = await chat.press(MAI, "s:d:w999.999")
    assert someone_elses == missing
    assert someone_elses.toast == texts.BUTTON_GONE and "Hội đồng" not in str(someone_elses)


async def test_a_scheduled_message_at_each_reporting_point_says_who_has_not_reported(
    chat: Chat,
) -> None:
    async with chat.sessions.begin() as s:
        plan = await find_plan(s, "BDT22")
        monthly = {"reporting_deadline": "Trước ngày 05 hằng tháng"}
        s.add(PolicySetting(plan_id=plan.id, settings=monthly))
        await s.flush()
        await plan_reminders(s, chat.clock.now())
        bao = await find_officer(s, BAO)
        query = select(Reminder).where(Reminder.kind == "report_due")
        rows = (await s.scalars(query.order_by(Reminder.scheduled_at))).all()
    assert [(r.recipient_id, r.slot, r.scheduled_at) for r in rows] == [
        (bao.id, f"report-{plan.id}@2022-04-04", datetime(2022, 4, 5, 8, 0, tzinfo=TZ)),
        (bao.id, f"report-{plan.id}@2022-05-04", datetime(2022, 5, 5, 8, 0, tzinfo=TZ)),
    ]
    chat.clock.set(datetime(2022, 4, 4, 10, 0, tzinfo=TZ))
    await chat.one(MAI, "đang làm 50% BDT22-I.2")  # on the point's day: it counts
    await chat.link(BAO)
    chat.clock.set(datetime(2022, 4, 5, 8, 0, tzinfo=TZ))
    sender = FakeSender("telegram")
    await Dispatcher(chat.sessions, {"telegram": sender}, chat.clock).dispatch_once()
    [bundle] = [b for b in sender.sent if b.recipient_id == bao.id]
    [item] = [i for i in bundle.items if i.kind == "report_due"]
    assert "kỳ báo cáo 04/04/2022" in item.note
    assert "chưa có cập nhật nào từ sau ngày 04/03/2022" in item.note
    assert "• Ban Dân tộc" not in item.note and "• UBND các huyện, thị, thành phố" in item.note
    assert "Trả lời:" not in render_bundle(bundle)
