"""Leaders' summaries stay one chat message, however large the province."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from bot.chat import texts
from bot.chat.texts import UNITS_SHOWN, summary_text
from data.work_items import Summary, UnitCompletion


def test_a_summary_of_hundreds_of_units_lists_the_furthest_behind_only() -> None:
    units = tuple(UnitCompletion(f"UBND xã số {n:03d}", 10, n % 10) for n in range(400))
    summary = Summary(
        plan_title="Kế hoạch tỉnh",
        unit_name=None,
        tasks=4000,
        assignments=4000,
        by_state={"not_started": 2200, "done": 1800},
        done_on_time=1700,
        done_late=100,
        overdue=(),
        units=tuple(sorted(units, key=lambda u: (u.percent, u.unit_name))),
    )
    text = summary_text(summary, date(2026, 3, 2))
    assert len(text) < 4096
    assert text.count("\n• UBND xã số") == UNITS_SHOWN
    assert f"… và {400 - UNITS_SHOWN} đơn vị khác" in text
    assert "UBND xã số 000: 0/10 (0%)" in text


CHAT_MODULES = Path(texts.__file__).parent
WORDS_ELSEWHERE = {
    # module: Vietnamese literals that are not sent to a chat, and why
    "prompts.py": {"xin gia hạn đến ", "(?:%|phan tram|phần trăm)"},  # fed to the parser
    "status_flow.py": {"[nút "},  # the audit row's raw text for a button press
}


def _literals(tree: ast.AST) -> set[str]:
    """Every string constant in a module except docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def _vietnamese(text: str) -> bool:
    """Letters outside ASCII: every Vietnamese sentence has some (đ, ư, ơ, tones)."""
    return any(char.isalpha() and not char.isascii() for char in text)


def test_words_for_users_live_in_the_texts_module() -> None:
    scattered = {}
    for module in sorted(CHAT_MODULES.glob("*.py")):
        if module.name in ("texts.py", "registry.py"):
            continue
        allowed = WORDS_ELSEWHERE.get(module.name, set())
        found = {
            literal
            for literal in _literals(ast.parse(module.read_text(encoding="utf-8")))
            if _vietnamese(literal) and not any(part in literal for part in allowed)
        }
        if found:
            scattered[module.name] = sorted(found)
    assert scattered == {}
