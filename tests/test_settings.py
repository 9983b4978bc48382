"""Settings for ``nhacviec run``: environment over ``.env``, tokens checked, never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, load_settings, with_options
from data.errors import UserError

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


def test_it_reads_dotenv_under_the_environment(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        f"# bot\nexport TELEGRAM_BOT_TOKEN='{TOKEN}'\nZALO_BOT_TOKEN=z1\nPORT=9000\n", "utf-8"
    )
    settings = load_settings({"ZALO_BOT_TOKEN": "z2"}, dotenv)
    assert (settings.telegram_token, settings.zalo_token, settings.port) == (TOKEN, "z2", 9000)


def test_it_lets_options_win(tmp_path: Path) -> None:
    settings = load_settings({"TELEGRAM_API_URL": "http://a"}, tmp_path / "none")
    changed = with_options(settings, telegram_api_url="http://b", role=None)
    assert changed.telegram_api_url == "http://b" and changed.role == "all"


@pytest.mark.parametrize(
    ("settings", "phrase"),
    [
        (Settings(telegram_token="not-a-token"), "BotFather"),
        (Settings(zalo_token="  "), "ZALO_BOT_TOKEN"),
        (Settings(role="boss"), "--role"),
        (Settings(webhook_url="https://x"), "WEBHOOK_SECRET"),
    ],
)
def test_it_refuses_what_cannot_work_in_vietnamese(settings: Settings, phrase: str) -> None:
    with pytest.raises(UserError, match=phrase):
        settings.checked()


def test_it_refuses_a_port_that_is_not_a_number(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="PORT"):
        load_settings({"PORT": "eighty"}, tmp_path / "none")


def test_the_inbound_retention_is_30_days_unless_set_and_never_under_2(tmp_path: Path) -> None:
    none = tmp_path / "none.env"
    assert load_settings({}, none).inbound_retention_days == 30
    assert load_settings({"INBOUND_RETENTION_DAYS": "7"}, none).inbound_retention_days == 7
    for bad in ("1", "một tháng"):
        with pytest.raises(UserError, match="INBOUND_RETENTION_DAYS"):
            load_settings({"INBOUND_RETENTION_DAYS": bad}, none)
