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
    assert settings.channels == {"TELEGRAM_BOT_TOKEN": TOKEN, "ZALO_BOT_TOKEN": "z2"}
    assert settings.port == 9000


def test_it_reads_only_the_variables_the_registered_channels_name(tmp_path: Path) -> None:
    env = {"TELEGRAM_WEBHOOK_SECRET": "t" * 12, "ZALO_API_URL": "http://z", "OTHER": "x"}
    settings = load_settings(env, tmp_path / "none")
    assert settings.channels == {"TELEGRAM_WEBHOOK_SECRET": "t" * 12, "ZALO_API_URL": "http://z"}
    assert settings.secrets == ("t" * 12,)


def test_it_lets_options_win(tmp_path: Path) -> None:
    settings = load_settings({"WEBHOOK_URL": "https://a", "PORT": "81"}, tmp_path / "none")
    changed = with_options(settings, webhook_url="https://b", role=None)
    assert (changed.webhook_url, changed.role, changed.port) == ("https://b", "all", 81)


@pytest.mark.parametrize(
    ("settings", "phrase"),
    [
        (Settings(role="boss"), "--role"),
        (Settings(channels={"ZALO_WEBHOOK_SECRET": "ngắn"}), "ZALO_WEBHOOK_SECRET"),
        (Settings(channels={"TELEGRAM_WEBHOOK_SECRET": "có dấu cách"}), "TELEGRAM_WEBHOOK"),
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
