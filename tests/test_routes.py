"""``routes``: where a recipient's reminder goes, from plain values; no channel is special."""

from __future__ import annotations

from scheduler.dispatch_rules import routes
from scheduler.sender import Bundle


class _Sender:
    def __init__(self, *, accepts_unlinked: bool = False) -> None:
        self.accepts_unlinked = accepts_unlinked

    async def send(self, bundle: Bundle) -> str:
        raise NotImplementedError


SENDERS = {"alpha": _Sender(), "beta": _Sender(), "gamma": _Sender()}


def test_the_preferred_channel_comes_first_then_the_senders_order() -> None:
    links = {"gamma": "g-1", "alpha": "a-1", "beta": "b-1"}
    assert routes(links, "beta", SENDERS, unlinked_address="Mai") == [
        ("beta", "b-1"),
        ("alpha", "a-1"),
        ("gamma", "g-1"),
    ]
    assert routes(links, None, SENDERS, unlinked_address="Mai")[0] == ("alpha", "a-1")


def test_a_channel_without_a_sender_or_without_a_link_is_skipped() -> None:
    links = {"gamma": "g-1", "delta": "d-1"}
    assert routes(links, "alpha", SENDERS, unlinked_address="Mai") == [("gamma", "g-1")]


def test_an_unlinked_officer_goes_to_a_sender_that_takes_anyone_else_nowhere() -> None:
    console = {**SENDERS, "console": _Sender(accepts_unlinked=True)}
    assert routes({}, "alpha", console, unlinked_address="Mai") == [("console", "Mai")]
    assert routes({}, "alpha", SENDERS, unlinked_address="Mai") == []
    assert routes({"delta": "d-1"}, None, SENDERS, unlinked_address="Mai") == []
