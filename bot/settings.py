"""Service settings from the environment and an optional ``.env`` file.

The environment wins over ``.env`` (so a deployment can override a developer's
file), and command-line options win over both. Which variables a channel reads
is the channel's business (``Plugin.variables`` in ``bot/channels/registry.py``):
this module only collects them. Tokens are never printed: ``secrets`` is what
the log filter masks.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.channels.registry import CHANNELS, secret_variables
from data.errors import UserError
from data.products import DEFAULT_SETTINGS, ProductSettings, product_settings

ROLES = ("all", "dispatcher", "bot", "web")
"""``web`` serves only the pages (an office that keeps the bot elsewhere); ``all`` everything."""
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,256}")
"""What both Telegram (``secret_token``: 1–256 of these) and Zalo (8–256 characters) accept."""


@dataclass(frozen=True)
class Settings:
    """Everything ``nhacviec run`` needs to start."""

    channels: Mapping[str, str] = field(default_factory=dict)
    """The channels' variables that are set, by name (``TELEGRAM_BOT_TOKEN`` …)."""
    webhook_url: str | None = None
    web_url: str | None = None
    """Where people open the pages (``WEB_URL``), for the sign-in links sent in chat."""
    listen: str = "0.0.0.0"
    port: int = 8080
    role: str = "all"
    dispatch_seconds: float = 10.0
    """How often the dispatcher looks for due rows (the planner runs every 10 minutes)."""
    inbound_retention_days: int = 30
    """How long received updates are kept (``data/inbound_retention.py`` says why 30)."""
    outbox_retention_months: int = 13
    """Whole months of sent, cancelled and failed reminders kept (``data/outbox_retention.py``)."""
    products: ProductSettings = DEFAULT_SETTINGS
    """Products officers send: the size cap and the store (``data/products.py``)."""

    def checked(self) -> Settings:
        """Refuse what cannot work, with a sentence a person can act on."""
        if self.role not in ROLES:
            raise UserError(f"--role phải là một trong: {', '.join(ROLES)}.")
        for plugin in CHANNELS.values():
            secret = self.channels.get(plugin.webhook_secret or "")
            if secret is not None and not SECRET_SHAPE.fullmatch(secret):
                raise UserError(
                    f"{plugin.webhook_secret} chỉ gồm chữ, số, “_” và “-”, dài 8–256 ký tự "
                    "(hoặc bỏ trống để dịch vụ tự tạo)."
                )
        return self

    @property
    def public_url(self) -> str | None:
        """Where people reach the pages from their phones: ``WEB_URL``, else the webhook's
        host; None when neither is set (a link to this machine would reach no one in chat)."""
        given = self.web_url or self.webhook_url
        return given.rstrip("/") if given else None

    @property
    def pages_url(self) -> str:
        """The pages' address for someone at this machine: public, else localhost."""
        return self.public_url or f"http://localhost:{self.port}"

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values logs must mask: every channel's tokens and webhook secrets."""
        return tuple(self.channels[n] for n in secret_variables() if n in self.channels)


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
    history = get("OUTBOX_RETENTION_MONTHS") or "13"
    if not history.isdigit() or int(history) < 1:
        raise UserError(
            f"OUTBOX_RETENTION_MONTHS phải là số tháng, ít nhất 1, không phải {history!r}."
        )
    names = [name for plugin in CHANNELS.values() for name in plugin.variables]
    channels = {name: value for name in names if (value := get(name)) is not None}
    return Settings(
        channels=channels,
        webhook_url=get("WEBHOOK_URL"),
        web_url=get("WEB_URL"),
        port=int(port),
        inbound_retention_days=int(retention),
        outbox_retention_months=int(history),
        products=product_settings(merged),
    )


def with_options(
    settings: Settings,
    *,
    role: str | None = None,
    webhook_url: str | None = None,
    port: int | None = None,
) -> Settings:
    """Command-line options that were given replace the loaded values."""
    return replace(
        settings,
        role=role or settings.role,
        webhook_url=webhook_url or settings.webhook_url,
        port=settings.port if port is None else port,
    )


def with_channel_setting(settings: Settings, name: str, value: str) -> Settings:
    """``settings`` with one channel variable set, as an option given on the command line."""
    return replace(settings, channels={**settings.channels, name: value})
