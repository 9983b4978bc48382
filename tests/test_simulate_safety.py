"""``nhacviec schedule simulate`` leaves the live database exactly as it was.

It used to run the planner and dispatcher on the live database: every due
reminder of the simulated months was marked sent (and superseded ones cancelled)
although nobody got it. It now plays on a throw-away copy and says so.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from data.db import create_engine, sessionmaker
from data.models import Base
from scheduler.clock import TZ
from scheduler.planner import plan_reminders
from tests.planning_helpers import seed_with_officers

Snapshot = dict[str, list[tuple[object, ...]]]


async def _seed_and_plan(url: str) -> None:
    engine = create_engine(url)
    try:
        sessions = sessionmaker(engine)
        await seed_with_officers(sessions)
        async with sessions() as session:
            await plan_reminders(session, datetime(2022, 1, 1, 7, tzinfo=TZ))
            await session.commit()
    finally:
        await engine.dispose()


async def _snapshot(url: str) -> Snapshot:
    """Every row of every table, as the database returns it."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(row) for row in await connection.execute(select(table))), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


def test_simulating_a_quarter_leaves_every_live_row_unchanged(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    asyncio.run(_seed_and_plan(db_url))
    before = asyncio.run(_snapshot(db_url))
    assert before["reminders"], "the live outbox has pending reminders to lose"

    result = CliRunner().invoke(
        app, ["schedule", "simulate", "--from", "2022-01-01", "--until", "2022-03-31"]
    )

    assert result.exit_code == 0, result.output
    assert "bản sao tạm" in result.stdout  # it says where it played
    sent = re.search(r"Tổng: (\d+) tin nhắn", result.stdout)
    assert sent is not None and int(sent.group(1)) > 0  # the simulation did send, on the copy
    assert asyncio.run(_snapshot(db_url)) == before
