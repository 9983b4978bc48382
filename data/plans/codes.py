"""Short task codes an officer can type: ``BDT22-IV.2``, ``KH24-1.1``, ``BDT22-IV.2a``.

A code is the issuer code from the plan's symbol ("KH-BDT" -> "BDT", "KH-UBND"
-> "UBND", plain "KH" or none -> "KH"), the plan year's last two digits (left out
when the year is unknown), a dash, the section number, a dot and the task number.

- A task number written with its section's prefix ("1.2" in group "1") keeps
  only its own part, so the code reads ``KH24-1.2``, not ``KH24-1.1.2``.
- An unnumbered task takes its 1-based position among the section's tasks that
  are not sub-rows (``BDT22-II.1``); the sub-rows of an unnumbered task take its
  code with a letter (``BDT22-II.1a``), as those of a numbered one do.
- A task numbered outside its group ("7" after "6.1", "6.2" in group "6") keeps
  its own number: ``KH24-7``, not ``KH24-6.7``.
- A task in the unnamed section (a table without sections) has no section part:
  ``KH24-5``.
- Codes are ASCII (officers type them on phones without Vietnamese keyboards).
  A code already given in the plan gets ``-2``, ``-3``, ... in table order, so
  the same file always yields the same codes.

Codes therefore match ``[A-Z0-9]+-[0-9A-Za-z.]+(-[0-9]+)?``.
"""

from __future__ import annotations

import re
from string import ascii_lowercase

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
        for task, local in _locals(section):
            code = _unique(f"{prefix}-{local}", seen)
            seen.add(code)
            coded.append((section, task, code))
    return coded


def _locals(section: ParsedSection) -> list[tuple[ParsedTask, str]]:
    """Each task of ``section`` with its code after the dash."""
    found: list[tuple[ParsedTask, str]] = []
    position, parent, letters = 0, "", 0
    for task in section.tasks:
        if task.sub_row and task.number is None and parent:
            found.append((task, f"{parent}{ascii_lowercase[letters % 26]}"))
            letters += 1
            continue
        position += 0 if task.sub_row else 1
        local = _local(section, task, position)
        parent, letters = (local if task.number is None else ""), 0
        found.append((task, local))
    return found


def _local(section: ParsedSection, task: ParsedTask, position: int) -> str:
    number = task.number or str(position)
    group = section.number
    if group and number.startswith(f"{group}."):
        number = number[len(group) + 1 :]
    elif group.isdigit() and task.number:
        return _ascii(number) or str(position)
    number = _ascii(number) or str(position)
    return f"{_ascii(group)}.{number}" if group else number


def _unique(code: str, seen: set[str]) -> str:
    if code not in seen:
        return code
    suffix = 2
    while f"{code}-{suffix}" in seen:
        suffix += 1
    return f"{code}-{suffix}"


def _ascii(text: str) -> str:
    return _NOT_CODE.sub("", strip_diacritics(text))
