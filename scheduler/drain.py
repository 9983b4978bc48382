"""A dispatcher's sends in progress, so that stopping it is graceful.

A deploy sends SIGTERM. Without a drain, the process dies like ``kill -9``: the
people it claimed stay leased until their lease passes (minutes of silence),
and the messages it had delivered but not yet recorded go out again. With it:

- no new claim starts (``stopping``);
- a bundle that has not reached a sender yet (waiting for a concurrency slot or
  for the rate limiter) is cancelled at once, and its rows are released to
  ``pending`` by the dispatcher's settling, so the next process sends them now;
- a bundle already in a sender's hands gets ``grace`` seconds to finish and be
  recorded; past that it is cancelled too (its outcome unknown: released);
- ``stop`` returns once every tick has settled its rows (bounded by ``grace``
  again, in case the database itself is gone).

Each bundle's attempt runs as its own task so cancelling it never cancels the
dispatcher's tick, which still settles every bundle in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Stopped(Exception):
    """The attempt was cancelled (or never started) because the dispatcher is stopping."""


class Drain:
    """Bookkeeping of one dispatcher's ticks and bundle attempts."""

    def __init__(self) -> None:
        self.stopping = False
        self._waiting: set[asyncio.Task[Any]] = set()
        self._sending: set[asyncio.Task[Any]] = set()
        self._ticks = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.asynccontextmanager
    async def tick(self) -> AsyncIterator[None]:
        """Around one claim-send-settle cycle: ``stop`` waits for it to settle."""
        self._ticks += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._ticks -= 1
            if not self._ticks:
                self._idle.set()

    async def attempt(self, work: Coroutine[Any, Any, T]) -> T:
        """Run one bundle's attempt; raises ``Stopped`` when stopping cancelled it."""
        if self.stopping:
            work.close()
            raise Stopped
        task = asyncio.create_task(work)
        self._waiting.add(task)
        try:
            await asyncio.wait({task})
        finally:
            if not task.done():  # our own caller is being cancelled: take the attempt along
                task.cancel()
            self._waiting.discard(task)
            self._sending.discard(task)
        if task.cancelled():
            raise Stopped
        return task.result()

    def sending(self) -> None:
        """Called by an attempt right before it hands its bundle to a sender."""
        task = asyncio.current_task()
        if task in self._waiting:
            self._waiting.discard(task)
            self._sending.add(task)

    async def stop(self, grace: float) -> None:
        """Stop claiming, cancel what has not started, give sends in flight ``grace`` seconds."""
        self.stopping = True
        for task in self._waiting:
            task.cancel()
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=grace)
        for task in self._sending:
            task.cancel()
        # A settling stuck on a lost database gives up here: the leases expire instead.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout=grace)
