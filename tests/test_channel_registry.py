"""The channel registry: what ``run`` builds from the settings, and nothing names a provider."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_channels, limiter_for
from bot.channels.registry import CHANNELS
from bot.chat.conversation import Conversation
from bot.logs import MASK, redactor
from bot.settings import Settings, load_settings
from data.errors import UserError
from scheduler.clock import FakeClock
from tests.fake_telegram import TOKEN

TOKENS = {"TELEGRAM_BOT_TOKEN": TOKEN, "ZALO_BOT_TOKEN": "123:zalo"}
CLOCK = FakeClock(datetime(2022, 3, 28, tzinfo=UTC))
PROVIDER = re.compile("telegram|zalo", re.IGNORECASE)


def built(**channels: str) -> list[str]:
    conversation = Conversation(None, CLOCK)  # type: ignore[arg-type]
    return list(build_channels(Settings(channels=channels), conversation))


def test_run_builds_the_channels_switched_on_and_the_console_only_when_asked() -> None:
    assert built(NHACVIEC_CONSOLE="1") == ["console"]
    assert built(**TOKENS) == ["telegram", "zalo"]
    assert built(ZALO_BOT_TOKEN="123:zalo") == ["zalo"]
    assert built(ZALO_BOT_TOKEN="123:zalo", NHACVIEC_CONSOLE="1") == ["zalo", "console"]


def test_every_channel_is_named_as_registered_and_paced_by_its_own_limits() -> None:
    conversation = Conversation(None, CLOCK)  # type: ignore[arg-type]
    channels = build_channels(Settings(channels={**TOKENS, "NHACVIEC_CONSOLE": "1"}), conversation)
    assert {name: channel.name for name, channel in channels.items()} == {n: n for n in CHANNELS}
    assert getattr(channels["console"].sender, "accepts_unlinked", False)
    limiter = limiter_for(channels)
    assert sorted(limiter._pacing) == ["telegram", "zalo"]  # the console is never paced


def test_settings_read_every_variable_a_channel_names(tmp_path: Path) -> None:
    env = {name: f"value-{name}" for p in CHANNELS.values() for name in p.variables}
    assert load_settings(env, tmp_path / "none").channels == env


def test_an_empty_zalo_token_is_refused_in_vietnamese() -> None:
    with pytest.raises(UserError, match="ZALO_BOT_TOKEN"):
        built(ZALO_BOT_TOKEN="  ")


def _named_in_code(path: Path) -> list[int]:
    """Lines where code (not a comment or docstring) names a provider."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    lines = []
    for node in ast.walk(tree):
        words = [
            node.value if isinstance(node, ast.Constant) and id(node) not in prose else None,
            getattr(node, "id", None),
            getattr(node, "attr", None),
            getattr(node, "arg", None),
            getattr(node, "name", None),
        ]
        if any(isinstance(w, str) and PROVIDER.search(w) for w in words):
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_scheduler_code_names_no_provider() -> None:
    root = Path(__file__).resolve().parent.parent / "scheduler"
    named = {str(p): _named_in_code(p) for p in sorted(root.rglob("*.py")) if _named_in_code(p)}
    assert named == {}


@pytest.mark.parametrize("variable", ["TELEGRAM_WEBHOOK_SECRET", "ZALO_WEBHOOK_SECRET"])
def test_a_channels_webhook_secret_in_the_environment_is_masked_in_logs(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, "bi-mat-rieng-123")
    assert redactor()("secret_token=bi-mat-rieng-123") == f"secret_token={MASK}"
