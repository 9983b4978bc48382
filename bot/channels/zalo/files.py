"""A photo an officer sends on Zalo becomes ``FileIn`` bytes for the conversation.

Zalo announces no size: the photo is streamed from its link and the download stops
as soon as it passes the products' cap, so an oversized file costs at most the cap.
The core then refuses it by the counted size (``FileIn.size``), in its own words.
"""

from __future__ import annotations

import httpx

from bot.chat.messages import FileIn
from data.products import ProductSettings, too_big

CHUNK = 64 << 10


async def fetch_photo(url: str, settings: ProductSettings, *, timeout: float = 30.0) -> FileIn:
    """The photo at ``url`` (a Zalo link), or an empty ``FileIn`` sized past the cap."""
    name = f"anh-zalo-{url.rstrip('/').rpartition('/')[2][-24:] or 'anh'}"
    received = bytearray()
    async with (
        httpx.AsyncClient(timeout=timeout, follow_redirects=True) as http,
        http.stream("GET", url) as response,
    ):
        response.raise_for_status()
        mime = response.headers.get("content-type", "")
        async for chunk in response.aiter_bytes(CHUNK):
            received += chunk
            if too_big(len(received), settings):
                return FileIn(name, b"", mime, len(received))
    return FileIn(name, bytes(received), mime, len(received))
