"""Service settings from the environment and an optional ``.env`` file.

The environment wins over ``.env`` (so a deployment can override a developer's
file), and command-line options win over both. Tokens are never printed: the
``redacted`` view is what logs and ``nhacviec status`` may show.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from data.errors import UserError

TELEGRAM_TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
ROLES = ("all", "dispatcher", "bot")


@dataclass(frozen=True)
class Settings:
    """Everything ``nhacviec run`` needs to start."""

    telegram_token: str | None = None
    telegram_api_url: str | None = None
    telegram_username: str | None = None
    zalo_token: str | None = None
    zalo_api_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen: str = "0.0.0.0"
    port: int = 8080
    role: str = "all"
    dispatch_seconds: float = 10.0
    """How often the dispatcher looks for due rows (the planner runs every 10 minutes)."""
    inbound_retention_days: int = 30
    """How long received updates are kept (``data/inbound_retention.py`` says why 30)."""

    def checked(self) -> Settings:
        """Refuse what cannot work, with a sentence a person can act on."""
        if self.telegram_token and not TELEGRAM_TOKEN.match(self.telegram_token):
            raise UserError(
                "TELEGRAM_BOT_TOKEN không đúng dạng (số:chuỗi, ví dụ 123456:ABC…); "
                "hãy lấy lại token từ @BotFather."
            )
        if self.zalo_token is not None and not self.zalo_token.strip():
            raise UserError("ZALO_BOT_TOKEN rỗng; hãy đặt token của bot Zalo.")
        if self.role not in ROLES:
            raise UserError(f"--role phải là một trong: {', '.join(ROLES)}.")
        if self.webhook_url and not self.webhook_secret:
            raise UserError(
                "Chế độ webhook cần WEBHOOK_SECRET (chuỗi bí mật kiểm tra mỗi yêu cầu)."
            )
        return self


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a ``.env`` file (comments, ``export`` and quotes allowed)."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path = Path(".env")) -> Settings:
    """Settings from ``.env`` overlaid by the environment."""
    merged = {**read_dotenv(dotenv), **(os.environ if env is None else env)}

    def get(key: str) -> str | None:
        return merged.get(key) or None

    port = get("PORT") or "8080"
    if not port.isdigit():
        raise UserError(f"PORT phải là một số, không phải {port!r}.")
    retention = get("INBOUND_RETENTION_DAYS") or "30"
    if not retention.isdigit() or int(retention) < 2:
        raise UserError(
            f"INBOUND_RETENTION_DAYS phải là số ngày, ít nhất 2, không phải {retention!r}."
        )
    return Settings(
        telegram_token=get("TELEGRAM_BOT_TOKEN"),
        telegram_api_url=get("TELEGRAM_API_URL"),
        telegram_username=get("TELEGRAM_BOT_USERNAME"),
        zalo_token=get("ZALO_BOT_TOKEN"),
        zalo_api_url=get("ZALO_API_URL"),
        webhook_url=get("WEBHOOK_URL"),
        webhook_secret=get("WEBHOOK_SECRET"),
        port=int(port),
        inbound_retention_days=int(retention),
    )


def with_options(settings: Settings, **options: object) -> Settings:
    """Command-line options that were given replace the loaded values."""
    return replace(settings, **{k: v for k, v in options.items() if v is not None})
