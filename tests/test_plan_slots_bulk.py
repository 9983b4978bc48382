"""Many planned rows at once (PostgreSQL copies them) are written as the batched insert
writes a few: one row per key, repeats and existing keys skipped, nothing else touched."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import TextClause, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from data.models import Officer, Reminder
from scheduler import outbox_aside, outbox_copy
from scheduler.outbox import NewReminder, plan_slots
from tests.lock_waits import until_waiting_on_a_lock
from tests.planning_helpers import START

Sessions = async_sessionmaker[AsyncSession]


async def test_a_large_batch_keeps_one_row_per_key(sessions: Sessions) -> None:
    async with sessions() as s:
        officer_id = await _officer(s)
        rows = _batch(officer_id, 3000)
        await plan_slots(s, rows[:10], START)
        await s.execute(update(Reminder).where(Reminder.slot == "before-3").values(state="sent"))
        await plan_slots(s, [*rows, rows[5]], START + timedelta(days=1))
        await s.commit()
    async with sessions() as s:
        assert await s.scalar(select(func.count(Reminder.id))) == 3000
        states = dict(
            (await s.execute(select(Reminder.state, func.count()).group_by(Reminder.state))).all()
        )
        assert states == {"pending": 2999, "sent": 1}
        last = await s.scalar(select(Reminder).where(Reminder.slot == "before-2999"))
        assert last is not None and last.key == rows[-1].key
        assert last.scheduled_at == rows[-1].at and last.urgent is False and last.attempts == 0
        assert last.created_at == START + timedelta(days=1)


async def test_the_bulk_path_takes_its_keys_itself_and_hands_the_trigger_back(
    pg_sessions: Sessions,
) -> None:
    """PostgreSQL: while ``nhacviec.keys_taken`` is on, the key trigger leaves inserts alone
    (the bulk insert took their keys in one statement, migration 0020); after a bulk insert
    it is off again, so a later insert in the same transaction meets the trigger."""
    async with pg_sessions() as s:
        officer_id = await _officer(s)
        rows = _batch(officer_id, 2500)
        keys = text("SELECT count(*) FROM reminder_keys")
        before = await s.scalar(keys)
        await plan_slots(s, rows, START)
        await s.execute(_insert_row(rows[0].key, officer_id))  # a second row of a taken key
        await s.execute(text("SELECT set_config('nhacviec.keys_taken', 'on', true)"))
        await s.execute(_insert_row("taken-elsewhere", officer_id))
        await s.commit()
    async with pg_sessions() as s:
        assert await s.scalar(select(func.count(Reminder.id))) == 2501
        taken = await s.scalar(keys)
        assert taken == before + 2500  # "taken-elsewhere" was not the trigger's to take


def _insert_row(key: str, officer_id: int) -> TextClause:
    return text(
        "INSERT INTO reminders (key, instance, recipient_id, kind, slot, scheduled_at, state,"
        " attempts, created_at, urgent) VALUES (:key, '-', :officer, 'manual', 's', now(),"
        " 'pending', 0, now(), false)"
    ).bindparams(key=key, officer=officer_id)


async def _officer(s: AsyncSession) -> int:
    officer = Officer(name="Lê Văn C", role="officer")
    s.add(officer)
    await s.flush()
    return officer.id


def _batch(officer_id: int, count: int = 2500) -> list[NewReminder]:
    return [
        NewReminder(officer_id, "before", f"before-{n}", START + timedelta(minutes=n))
        for n in range(count)
    ]


async def _foreign_keys(s: AsyncSession) -> list[str]:
    names = "SELECT conname FROM pg_constraint WHERE conrelid = 'reminders'::regclass"
    return list(await s.scalars(text(f"{names} AND contype = 'f' ORDER BY conname")))


async def test_a_bulk_as_large_as_the_outbox_puts_its_foreign_keys_back_checked(
    pg_sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The foreign keys dropped for the COPY are back after it, and a row naming an officer
    who does not exist fails the insert as the per-row check fails it."""
    monkeypatch.setattr(outbox_copy, "RECHECK_FROM", 1)
    async with pg_sessions() as s:
        officer = await _officer(s)
        keys = await _foreign_keys(s)
        await plan_slots(s, _batch(officer), START)
        assert await _foreign_keys(s) == keys and len(keys) == 3
        await s.commit()
        assert await s.scalar(select(func.count(Reminder.id))) == 2500
        with pytest.raises(IntegrityError):
            await plan_slots(s, _batch(officer + 1000), START)
        await s.rollback()
        assert await _foreign_keys(s) == keys


async def test_a_bulk_that_cannot_lock_the_officers_checks_each_row(
    pg_sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone reading the officers holds off the drop of the foreign keys: the COPY waits
    ``LOCK_WAIT`` only, then checks row by row, and the rows are written all the same."""
    monkeypatch.setattr(outbox_copy, "RECHECK_FROM", 1)
    monkeypatch.setattr(outbox_copy, "LOCK_WAIT", "50ms")
    async with pg_sessions() as s:
        officer = await _officer(s)
        await s.commit()
    async with pg_sessions() as reader, pg_sessions() as s:
        await reader.execute(text("LOCK TABLE officers IN ACCESS SHARE MODE"))
        await plan_slots(s, _batch(officer), START)
        assert await s.scalar(text("SELECT current_setting('lock_timeout')")) == "0"
        await s.commit()
        await reader.rollback()
        assert await s.scalar(select(func.count(Reminder.id))) == 2500
        assert len(await _foreign_keys(s)) == 3


OUTBOX_INDEXES = text(
    "SELECT c.relname, c.oid::int, pg_get_indexdef(c.oid) FROM pg_index i"
    " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'reminders'::regclass"
    " OR i.indrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'reminders'::regclass)"
    " ORDER BY c.relname"
)
"""Every index of the outbox and of its partitions: name, oid (a new one once rebuilt), text."""


async def _indexes(s: AsyncSession) -> tuple[dict[str, int], list[tuple[str, str]]]:
    rows = (await s.execute(OUTBOX_INDEXES)).all()
    return {name: oid for name, oid, _ in rows}, [(name, text) for name, _, text in rows]


async def test_a_bulk_into_an_empty_outbox_builds_its_indexes_after_the_copy(
    pg_sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: the indexes and the key trigger set aside for a COPY into an outbox no
    larger than it are back, the same, before anything else runs (a key taken by the COPY
    is still refused to a plain insert); into a larger outbox they stay as they are."""
    monkeypatch.setattr(outbox_copy, "RECHECK_FROM", 1)
    trigger = text(outbox_aside.KEY_TRIGGER)
    async with pg_sessions() as s:
        officer = await _officer(s)
        await s.execute(text("DELETE FROM reminders"))
        await s.commit()
        await s.execute(text("ANALYZE reminders"))  # the estimate the decision reads: empty
        oids, definitions = await _indexes(s)
        key_trigger = await s.scalar(trigger)
        rows = _batch(officer)
        await plan_slots(s, rows, START)
        await s.execute(_insert_row(rows[0].key, officer))
        rebuilt, now_defined = await _indexes(s)
        assert now_defined == definitions and await s.scalar(trigger) == key_trigger
        assert all(rebuilt[name] != oid for name, oid in oids.items() if "pk" not in name)
        await s.commit()
        assert await s.scalar(select(func.count(Reminder.id))) == 2500
        more = [NewReminder(officer, "before", f"later-{n}", START) for n in range(2000)]
        await plan_slots(s, more, START)  # 2,500 rows there already: inserted into
        assert (await _indexes(s))[0] == rebuilt
        await s.commit()


KEYS_UNIQUE = text(
    "SELECT conindid::int, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = 'reminder_keys'::regclass AND contype = 'p'"
)
"""The keys' primary key: its index's oid (a new one once rebuilt) and its definition."""


async def test_a_bulk_copying_its_keys_skips_the_keys_taken_before(
    pg_sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: into a small outbox the rows are copied as they are made, the keys' unique
    index set aside (``outbox_keys.Fresh``): the keys some rows took before and a repeat
    are skipped, the first rows kept as they were. The index is back, built anew, the
    same, and every key is held once."""
    monkeypatch.setattr(outbox_copy, "RECHECK_FROM", 1)
    async with pg_sessions() as s:
        officer = await _officer(s)
        await s.execute(text("DELETE FROM reminders"))
        rows = _batch(officer)
        await plan_slots(s, rows[:10], START)  # a plain insert: below the COPY's size
        await s.commit()
        await s.execute(text("ANALYZE reminders"))  # 10 rows: the batch is far larger
        index, definition = (await s.execute(KEYS_UNIQUE)).one()
        made = iter([*rows, rows[20]])  # made as they are copied, one of them twice
        copied = await plan_slots(s, made, START + timedelta(days=1), expected=len(rows))
        assert copied == (2490, 2500)
        assert (await s.execute(KEYS_UNIQUE)).one()[1] == definition
        assert (await s.execute(KEYS_UNIQUE)).one()[0] != index
        await s.commit()
        assert await s.scalar(select(func.count(Reminder.id))) == 2500
        held = text(
            "SELECT count(*), count(DISTINCT key) FROM reminder_keys WHERE key = ANY(:keys)"
        )
        assert tuple((await s.execute(held, {"keys": [r.key for r in rows]})).one()) == (2500, 2500)
        first = await s.scalar(select(Reminder.created_at).where(Reminder.key == rows[3].key))
        assert first == START


async def test_a_bulk_in_a_lock_cycle_with_a_writer_gives_the_keys_index_up(
    pg_sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: a writer holding the keys (a key taken, not committed) then waiting for
    the outbox the bulk write has locked closes a cycle. Waiting for the keys' index, the
    bulk write is the one PostgreSQL's deadlock check stops (the writer's check is set to
    come a minute late); it then takes its keys in one statement as a larger outbox would,
    and the writer goes on after it."""
    monkeypatch.setattr(outbox_copy, "RECHECK_FROM", 1)
    async with pg_sessions() as s:
        officer = await _officer(s)
        await s.execute(text("DELETE FROM reminders"))
        await s.commit()
        await s.execute(text("ANALYZE reminders"))
    async with pg_sessions() as writer, pg_sessions() as bulk:
        await writer.execute(text("SET deadlock_timeout = '1min'"))
        await writer.execute(text("INSERT INTO reminder_keys (key) VALUES ('held')"))
        pid = await bulk.scalar(text("SELECT pg_backend_pid()"))
        copying = asyncio.create_task(plan_slots(bulk, _batch(officer), START))
        waited = await until_waiting_on_a_lock(writer, pid)
        writing = asyncio.create_task(writer.execute(_insert_row("other", officer)))
        await copying  # raised DeadlockDetectedError before the bulk gave up
        await bulk.commit()
        await writing
        await writer.rollback()  # its key and row: the bulk's rows are what is checked
    assert waited, "the bulk write never waited for the keys"
    async with pg_sessions() as s:
        assert await s.scalar(select(func.count(Reminder.id))) == 2500
        assert len(await _foreign_keys(s)) == 3
        assert (await s.execute(KEYS_UNIQUE)).one_or_none() is not None
