"""The progress cell cites an officer's words only when they say more than the state."""

from __future__ import annotations

import pytest

from data.report_states import _says_more


@pytest.mark.parametrize("words", ["xong", "dang lam 50%", "xong ạ", "Hoàn thành"])
def test_a_bare_status_is_not_repeated(words: str) -> None:
    assert not _says_more(words, {})


@pytest.mark.parametrize(
    "words", ["đã gửi báo cáo sơ kết, xong", "chờ số liệu các huyện", "đã trình UBND tỉnh"]
)
def test_words_about_the_work_are_cited(words: str) -> None:
    assert _says_more(words, {})


def test_a_reason_is_always_cited_however_short() -> None:
    assert _says_more("chờ số liệu", {"reason": "chờ số liệu"})
