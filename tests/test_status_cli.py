"""``nhacviec status``: the numbers of ``/metrics`` in Vietnamese tables, or as JSON."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import update
from typer.testing import CliRunner, Result

from bot.commands.status import duration, status_command
from data.db import create_engine, sessionmaker
from data.models import InboundUpdate, Reminder
from tests.fakes import World

app = typer.Typer()
app.command()(status_command)


async def _seed(url: str) -> None:
    engine = create_engine(url)
    try:
        sessions = sessionmaker(engine)
        world = World(sessions)
        officer = await world.officer("Phạm Thị Dung", telegram=55)
        now = datetime.now(UTC)
        await world.reminder(officer, now - timedelta(hours=2, minutes=5))
        sent = await world.reminder(officer, now - timedelta(days=1), kind="on_day")
        await world.reminder(officer, now + timedelta(days=3), kind="overdue")
        async with sessions.begin() as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id == sent)
                .values(state="sent", channel="telegram", sent_at=now - timedelta(hours=1))
            )
            s.add(InboundUpdate(channel="telegram", update_id="1"))
    finally:
        await engine.dispose()


@pytest.fixture
def status(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    asyncio.run(_seed(db_url))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_it_prints_the_numbers_in_vietnamese(status) -> None:  # type: ignore[no-untyped-def]
    result = status()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Nhắc việc theo kênh" in out and "Đã lập lịch" in out and "Đã gửi" in out
    assert "chưa chọn kênh" in out and "trước hạn" in out and "quá hạn" in out
    assert "Hàng đợi đến hạn: 1 mục, mục lâu nhất đã chờ 2 giờ 5 phút." in out
    assert "Tin nhận được (còn lưu): telegram 1." in out
    assert "Cập nhật tiến độ đã ghi: 0." in out


def test_it_prints_json_with_the_metric_names(status) -> None:  # type: ignore[no-untyped-def]
    result = status("--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["queue_depth"] == 1
    assert 7500 <= document["queue_oldest_due_age_seconds"] < 7600
    assert document["by_channel"] == {
        "none": {"pending": 2, "planned": 2},
        "telegram": {"sent": 1, "planned": 1},
    }
    assert document["updates_received"] == {"telegram": 1}
    assert {"state": "sent", "kind": "on_day", "channel": "telegram", "count": 1} in document[
        "reminders"
    ]


def test_an_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:pw@127.0.0.1:1/none")
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 1
    assert "Không kết nối được cơ sở dữ liệu" in result.stderr
    assert "Traceback" not in result.output and "pw" not in result.stderr


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 giây"), (45.7, "45 giây"), (125, "2 phút 5 giây"), (90061, "1 ngày 1 giờ")],
)
def test_durations_read_naturally(seconds: float, text: str) -> None:
    assert duration(seconds) == text
