"""Issue 12, "never record on the wrong task": codes, look-alikes, several tasks, pasted
reminders, the pick menu and corrections, through the conversation core on both backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner, Result

from bot.chat import callbacks, texts
from bot.chat.conversation import Answer, Button
from bot.cli import app
from data.models import Assignment, PendingPrompt, Progress, Reminder, StatusUpdate, Task
from data.people import find_officer
from data.plans.importer import import_plan
from data.plans.text_plan import read_plan_bytes
from data.task_codes import clean, find_codes
from data.work_items import open_items
from scheduler.planner import plan_reminders
from tests.chat_target_corpus import CASES, EXTRA_PLANS, LE, MAI, XUAN, Case
from tests.planning_helpers import START, seed_with_officers
from tests.test_cli import SEED
from tests.test_conversation import Chat


async def _seed(sessions: async_sessionmaker[AsyncSession]) -> None:
    await seed_with_officers(sessions)
    async with sessions.begin() as session:
        for prefix, text in EXTRA_PLANS:
            plan = read_plan_bytes(text.encode(), source=f"{prefix}.txt")
            await import_plan(session, plan, prefix=prefix)


@pytest.fixture
async def chat(sessions: async_sessionmaker[AsyncSession]) -> Chat:
    await _seed(sessions)
    return Chat(sessions)


async def states(chat: Chat, name: str) -> dict[str, str]:
    """``{code: "state[:percent]"}`` of every progress row of ``name``'s unit."""
    async with chat.sessions() as s:
        officer = await find_officer(s, name)
        rows = await s.execute(
            select(Task.code, Progress.state, Progress.percent)
            .join(Assignment, Assignment.id == Progress.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(Assignment.unit_id == officer.unit_id)
        )
        return {
            code: f"{state}:{percent}" if state == "in_progress" and percent else state
            for code, state, percent in rows
        }


def changed(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    return {code: state for code, state in after.items() if before.get(code) != state}


async def play(chat: Chat, case: Case) -> tuple[dict[str, str], list[Answer]]:
    """Send ``case.before`` then ``case.text``; what the last message changed, and its answers."""
    for text in case.before:
        await chat.say(case.who, text)
    first = await states(chat, case.who)
    answers = await chat.say(case.who, case.text)
    return changed(first, await states(chat, case.who)), answers


def outcome(diff: dict[str, str], answers: list[Answer]) -> dict[str, str] | str:
    """What the bot did, in the corpus's terms."""
    if diff:
        return diff
    howto = getattr(texts, "PASTED_REMINDER", None)
    return "howto" if howto and any(a.text == howto for a in answers) else "ask"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.who[:4]}:{c.text[:30]!r}" for c in CASES])
async def test_the_corpus_is_recorded_on_the_named_task_or_asked_back(
    chat: Chat, case: Case
) -> None:
    diff, answers = await play(chat, case)
    assert outcome(diff, answers) == case.expect, [a.text for a in answers]


def test_the_corpus_covers_every_point() -> None:
    assert len(CASES) >= 40
    assert {"ask", "howto"} <= {c.expect for c in CASES if isinstance(c.expect, str)}
    assert any(isinstance(c.expect, dict) and len(c.expect) > 1 for c in CASES)
    assert any(c.before for c in CASES)


async def test_a_correction_keeps_both_updates_in_the_audit(chat: Chat) -> None:
    await chat.say("Mai Thị Xuân", "xong BDT22-V.1")
    await chat.say("Mai Thị Xuân", "à nhầm, đang làm 50% thôi")
    async with chat.sessions() as s:
        audit = list(await s.scalars(select(StatusUpdate).order_by(StatusUpdate.id)))
    assert [u.state_after for u in audit] == ["done", "in_progress"]


# --- 1. codes officers can type -------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("QD982-1.2", "QD982-1.2"),
        ("nq116-i.5", "NQ116-I.5"),
        ("BDT22 lV.2A", "BDT22-IV.2a"),
        ("bdt22.iv.2-2", "BDT22-IV.2-2"),
        ("KH24-5", "KH24-5"),
        ("ＢＤＴ２２－Ｉ．１", "BDT22-I.1"),
        ("BDT22-\u0406.1", "BDT22-I.1"),
        ("BDT\u00ad22-I\u200d.1", "BDT22-I.1"),
        ("v.3", "V.3"),
        ("BDT22-I", "BDT22-I"),
    ],
)
def test_every_code_shape_and_slip_is_read(typed: str, code: str) -> None:
    assert [found for _, _, found in find_codes(clean(f"xong {typed} rồi"))] == [code]


@pytest.mark.parametrize("text", ["vướng do covid-19", "đến 30.6", "quý I.2022", "làm 1.5 phần"])
def test_words_and_numbers_are_not_codes(text: str) -> None:
    assert find_codes(clean(text)) == []


@pytest.fixture
def nhacviec(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``nhacviec ARGS`` on the test database, in Vietnamese."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    return lambda *args: CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("prefix", ["Q", "9QD", "QĐ982", "QD-982", "ABCDEFGHIJKLM"])
def test_plan_import_refuses_a_prefix_officers_could_not_type(
    nhacviec: Callable[..., Result], prefix: str
) -> None:
    result = nhacviec("plan", "import", str(SEED), "--prefix", prefix)
    assert result.exit_code == 2
    assert "2–12 chữ cái hoặc chữ số" in result.output
    assert "Traceback" not in result.output


def test_plan_import_takes_a_valid_prefix_in_upper_case(nhacviec: Callable[..., Result]) -> None:
    result = nhacviec("plan", "import", str(SEED), "--prefix", "qd982")
    assert result.exit_code == 0, result.output
    assert "QD982-I.1" in nhacviec("plan", "show").stdout


# --- 5. the pick menu ---------------------------------------------------------------------


async def test_the_pick_menu_shows_each_tasks_short_content(chat: Chat) -> None:
    [answer] = await chat.say("Bùi Thị Lệ", "xong rồi ạ")
    labels = [button.label for row in answer.buttons for button in row]
    assert any(label.startswith("BDT22-V.2 · Bình xét và ban hành") for label in labels), labels
    assert all(len(label) <= 64 for label in labels)


def _flat(answer: Answer) -> list[Button]:
    return [button for row in answer.buttons for button in row]


_MANY = "\n".join(
    ["Số: 77/KH-BDT", "", "**KẾ HOẠCH**", "", "**Rà soát số liệu năm 2022**", ""]
    + ["Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện"]
    + [
        f"{n}\tRà soát số liệu xã thứ {n}.\tBan Dân tộc\tTrước ngày 30/11/2022"
        for n in range(1, 16)
    ]
)


async def import_fifteen_more(sessions: async_sessionmaker[AsyncSession]) -> None:
    """A plan of 15 tasks for Ban Dân tộc (Trần Thị Mai's unit), codes RS77-1 … RS77-15:
    with the seed plan she holds 22 open items, 23 with ``EXTRA_PLANS``."""
    async with sessions.begin() as s:
        await import_plan(s, read_plan_bytes(_MANY.encode(), source="RS77.txt"), prefix="RS77")


async def test_the_pick_menu_pages_through_23_open_items(chat: Chat) -> None:
    await import_fifteen_more(chat.sessions)
    async with chat.sessions() as s:
        assert len(await open_items(s, await find_officer(s, MAI), START.date())) == 23
    first = await chat.one(MAI, "xong rồi ạ")
    pages = [first]
    while (forward := [b for b in _flat(pages[-1]) if b.label == texts.PICK_NEXT]) != []:
        pages.append(await chat.press(MAI, forward[0].payload))
    items = [
        [b for b in _flat(p) if b.label not in (texts.PICK_NEXT, texts.PICK_PREVIOUS)]
        for p in pages
    ]
    assert [len(page) for page in items] == [10, 10, 3]
    assert len({b.payload for page in items for b in page}) == 23
    assert [[b.label for b in p.buttons[-1]] for p in pages] == [
        [texts.PICK_NEXT],
        [texts.PICK_PREVIOUS, texts.PICK_NEXT],
        [texts.PICK_PREVIOUS],
    ]
    assert all(p.edit for p in pages[1:]) and "Trang 3/3" in pages[-1].text
    every = [b for p in pages for b in _flat(p)]
    assert all(len(b.payload.encode()) <= 64 and callbacks.parse(b.payload) for b in every)
    back = await chat.press(MAI, pages[-1].buttons[-1][0].payload)
    assert back.text == pages[1].text and back.buttons == pages[1].buttons
    before = await states(chat, MAI)
    recorded = await chat.press(MAI, items[2][0].payload)
    assert recorded.toast == texts.RECORDED_TOAST
    assert len(changed(before, await states(chat, MAI))) == 1


async def test_a_pick_menus_page_is_its_officers_alone(chat: Chat) -> None:
    menu = await chat.one(LE, "xong rồi ạ")
    assert len(_flat(menu)) == 7  # one page: no page moves
    prompt_id = await _live_prompt_id(chat)
    forged = await chat.press(MAI, callbacks.pick_page_payload(prompt_id, 0))
    assert forged.toast == texts.BUTTON_GONE and not forged.buttons
    gone = await chat.press(LE, callbacks.pick_page_payload(prompt_id + 1, 0))
    assert gone.toast == texts.BUTTON_GONE


async def _live_prompt_id(chat: Chat) -> int:
    async with chat.sessions() as s:
        found = await s.scalar(select(func.max(PendingPrompt.id)))
    assert found is not None
    return int(found)


async def test_picking_the_task_records_what_was_already_said(chat: Chat) -> None:
    menu = await chat.one(LE, "vướng do chưa có kinh phí")
    [v2] = [b for b in _flat(menu) if b.label.startswith("BDT22-V.2 ·")]
    answer = await chat.press(LE, v2.payload)
    assert not answer.force_reply and "chưa có kinh phí" in answer.text, answer.text
    progress = await chat.progress("BDT22-V.2", LE)
    assert progress is not None and progress.state == "blocked"
    async with chat.sessions() as s:
        audit = await s.scalar(select(StatusUpdate).order_by(StatusUpdate.id.desc()))
    assert audit is not None and audit.raw_text == "vướng do chưa có kinh phí"
    assert audit.note == "chưa có kinh phí"
    assert await chat.count(PendingPrompt) == 0


async def test_typing_a_code_answers_the_pick_menu(chat: Chat) -> None:
    await chat.one(LE, "đang làm 40% nhé")
    before = await states(chat, LE)
    answer = await chat.one(LE, "V.3")
    assert changed(before, await states(chat, LE)) == {"BDT22-V.3": "in_progress:40"}, answer.text


async def test_a_status_button_elsewhere_ignores_the_menus_kept_reply(chat: Chat) -> None:
    await chat.one(LE, "vướng do chưa có kinh phí")
    work = await chat.work("BDT22-V.2", LE)
    answer = await chat.press(LE, callbacks.status_payload("d", work=work))
    progress = await chat.progress("BDT22-V.2", LE)
    assert progress is not None and progress.state == "done", answer.text


# --- 6. corrections -----------------------------------------------------------------------


async def _pending_reminders(chat: Chat, code: str, unit_of: str) -> set[str]:
    """Keys of the pending reminders of ``code`` for the unit of ``unit_of``."""
    assignment_id, _ = await chat.work(code, unit_of)
    async with chat.sessions() as s:
        rows = await s.scalars(
            select(Reminder.key).where(
                Reminder.assignment_id == assignment_id, Reminder.state == "pending"
            )
        )
        return set(rows)


async def test_a_correction_reopening_done_work_brings_its_reminders_back(chat: Chat) -> None:
    async with chat.sessions.begin() as s:
        await plan_reminders(s, chat.clock.now())
    planned = await _pending_reminders(chat, "BDT22-V.1", XUAN)
    assert planned
    await chat.say(XUAN, "xong BDT22-V.1")
    assert await _pending_reminders(chat, "BDT22-V.1", XUAN) == set()
    await chat.say(XUAN, "à nhầm, đang làm 50% thôi")
    assert await _pending_reminders(chat, "BDT22-V.1", XUAN) == planned
