"""Short task codes an officer can type: ``BDT22-IV.2``, ``KH24-1.1``, ``BDT22-IV.2a``.

A code is the issuer code from the plan's symbol ("KH-BDT" -> "BDT", "KH-UBND"
-> "UBND", plain "KH" or none -> "KH"), the plan year's last two digits (left out
when the year is unknown), a dash, the section number, a dot and the task number.

- A task number written with its section's prefix ("1.2" in group "1") keeps
  only its own part, so the code reads ``KH24-1.2``, not ``KH24-1.1.2``.
- An unnumbered task takes its 1-based position in the section (``BDT22-II.1``).
- A task in the unnamed section (a table without sections) has no section part:
  ``KH24-5``.
- Codes are ASCII (officers type them on phones without Vietnamese keyboards).
  A code already given in the plan gets ``-2``, ``-3``, ... in table order, so
  the same file always yields the same codes.

Codes therefore match ``[A-Z0-9]+-[0-9A-Za-z.]+(-[0-9]+)?``.
"""

from __future__ import annotations

import re

from data.plans.parsed import ParsedPlan, ParsedSection, ParsedTask
from data.text import fold, strip_diacritics

_NOT_CODE = re.compile(r"[^0-9A-Za-z.]")
DEFAULT_ISSUER = "KH"


def issuer_code(symbol: str | None) -> str | None:
    """The issuing body's code in a plan symbol: "KH-BDT" -> "BDT"; "KH" -> None."""
    if not symbol:
        return None
    parts = [part for part in re.split(r"[-/]", symbol) if part.strip() and fold(part) != "kh"]
    if not parts:
        return None
    code = _ascii(parts[0]).upper()
    return code or None


def plan_prefix(plan: ParsedPlan) -> str:
    """The part of every code of ``plan`` before the dash: "BDT22"."""
    year = f"{plan.year % 100:02d}" if plan.year is not None else ""
    return f"{plan.issuer_code or DEFAULT_ISSUER}{year}"


def assign_codes(plan: ParsedPlan) -> list[tuple[ParsedSection, ParsedTask, str]]:
    """Every task of ``plan`` in table order with its code, unique within the plan."""
    prefix = plan_prefix(plan)
    seen: set[str] = set()
    coded: list[tuple[ParsedSection, ParsedTask, str]] = []
    for section in plan.sections:
        for position, task in enumerate(section.tasks, start=1):
            code = _unique(f"{prefix}-{_local(section, task, position)}", seen)
            seen.add(code)
            coded.append((section, task, code))
    return coded


def _local(section: ParsedSection, task: ParsedTask, position: int) -> str:
    number = task.number or str(position)
    if section.number and number.startswith(f"{section.number}."):
        number = number[len(section.number) + 1 :]
    number = _ascii(number) or str(position)
    return f"{_ascii(section.number)}.{number}" if section.number else number


def _unique(code: str, seen: set[str]) -> str:
    if code not in seen:
        return code
    suffix = 2
    while f"{code}-{suffix}" in seen:
        suffix += 1
    return f"{code}-{suffix}"


def _ascii(text: str) -> str:
    return _NOT_CODE.sub("", strip_diacritics(text))
