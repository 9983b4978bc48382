"""Issue 12, "never record on the wrong task": codes, look-alikes, several tasks, pasted
reminders, the pick menu and corrections, through the conversation core on both backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner, Result

from bot.chat import texts
from bot.chat.conversation import Answer
from bot.cli import app
from data.models import Assignment, Progress, StatusUpdate, Task
from data.people import find_officer
from data.plans.importer import import_plan
from data.plans.text_plan import read_plan_bytes
from data.task_codes import clean, find_codes
from tests.chat_target_corpus import CASES, EXTRA_PLANS, Case
from tests.planning_helpers import seed_with_officers
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
