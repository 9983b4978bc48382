"""The cycle collector is held off inside ``collector_paused`` and back after, error or not."""

from __future__ import annotations

import gc

import pytest

from scheduler.collector import collector_paused


def test_the_collector_is_paused_inside_and_resumed_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_the_resuming_to_the_outer_one() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
