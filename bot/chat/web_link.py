"""``/web``: a one-time link that signs the asker in to the web pages.

The chat already proves who someone is (their linked account), so it is where the
web pages get their sign-in from; the link goes to this chat only and lasts
minutes (``data/web_auth.py``).
"""

from __future__ import annotations

from bot.chat import texts
from bot.chat.messages import Answer, Turn
from data.web_auth import LINK_MINUTES, issue_link, sign_in_url


async def web_link(turn: Turn, _args: str) -> Answer:
    """The link, or why there is none (no pages served by this deployment)."""
    if turn.pages_url is None:
        return Answer(texts.WEB_OFF)
    token = await issue_link(turn.session, turn.officer, turn.now)
    return Answer(texts.web_link_text(sign_in_url(turn.pages_url, token), LINK_MINUTES))
