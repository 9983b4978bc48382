"""The webhook server and a reply carried in its response (``bot/channels/webhook_reply.py``).

A reply the response could not carry (the provider hung up before it was written)
goes out through its own request: the update was recorded and must not go unanswered.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from bot.channels.webhook_reply import WebhookReply, answering_in_response, offer
from bot.webhook import bound_port, build_app, serve

SECRET = "s3cret"


class Replying:
    """A channel offering one reply per update, once the test lets it."""

    name = "stub"
    webhook_path = "/stub"
    secret_header = "X-Secret"
    max_body = 1024

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.sent_on_its_own = asyncio.Event()

    def secret_ok(self, header: str | None) -> bool:
        return header == SECRET

    async def process_webhook(self, payload: Mapping[str, Any]) -> None:
        self.entered.set()
        await self.release.wait()

        async def fallback() -> None:
            self.sent_on_its_own.set()

        assert offer(WebhookReply({"method": "sendMessage", "text": payload["text"]}, fallback))


def _request(body: bytes) -> bytes:
    head = (
        f"POST /stub HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Secret: {SECRET}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def test_the_reply_is_the_response_body() -> None:
    channel = Replying()
    channel.release.set()
    runner = await serve(build_app([channel]), "127.0.0.1", 0)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", bound_port(runner))
        writer.write(_request(json.dumps({"text": "chào"}).encode()))
        answer = await reader.read()  # "Connection: close": read to the end
        writer.close()
    finally:
        await runner.cleanup()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"application/json" in head
    assert json.loads(body) == {"method": "sendMessage", "text": "chào"}
    assert not channel.sent_on_its_own.is_set()


async def test_a_reply_the_response_cannot_carry_is_sent_on_its_own() -> None:
    channel = Replying()
    runner = await serve(build_app([channel]), "127.0.0.1", 0)
    try:
        _reader, writer = await asyncio.open_connection("127.0.0.1", bound_port(runner))
        writer.write(_request(json.dumps({"text": "chào"}).encode()))
        await channel.entered.wait()
        writer.close()  # the provider gave up waiting
        await writer.wait_closed()
        channel.release.set()
        await asyncio.wait_for(channel.sent_on_its_own.wait(), 10)
    finally:
        await runner.cleanup()


def test_no_slot_no_reply_taken() -> None:
    async def nothing() -> None:
        return None

    reply = WebhookReply({"method": "sendMessage"}, nothing)
    assert not offer(reply)  # polling, or a caller without a response: send it yourself
    with answering_in_response() as replies:
        assert offer(reply) and not offer(reply)  # one call per response
    assert replies == [reply]
