"""Import a parsed plan into the database: units, tasks, assignments and dues, atomically.

Reading the text (``text_plan``), splitting unit cells (``units``) and reading
deadlines (``deadlines``) are pure; this module only decides what to write and
writes it in the caller's transaction, so a failure anywhere leaves the database
as it was. Re-importing a file whose checksum is known writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.deadlines import Occurrence, parse_deadline
from data.errors import UserError
from data.models import Assignment, Due, Plan, PlanVersion, Section, Task, Unit
from data.people import add_alias, add_unit, load_registry
from data.plans.codes import assign_codes
from data.plans.columns import Column
from data.plans.in_charge import Roster, load_roster
from data.plans.sniff import read_plan_data
from data.plans.text_plan import MAX_PLAN_BYTES, ParsedPlan, PlanFormatError
from data.text import fold
from data.units import (
    UnitRegistry,
    attach_bare_subunits,
    canonical_units,
    split_parent,
    split_units,
    unregistered_body,
)


@dataclass(frozen=True)
class TaskDraft:
    """A task as it will be written: code, units by role and deadline occurrences."""

    section_number: str
    section_title: str
    code: str
    number: str | None
    content: str
    lead_units: list[str]
    coordinate_units: list[str]
    deadline_text: str
    occurrences: list[Occurrence]
    product: str
    notes: str
    line: int
    officer_text: str = ""


@dataclass
class ImportReport:
    """What an import did (or would do, for a dry run), for the CLI to show."""

    plan: ParsedPlan
    code_prefix: str
    tasks: list[TaskDraft]
    units: dict[str, list[str]]
    new_units: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan_id: int | None = None
    already_imported: bool = False

    @property
    def due_count(self) -> int:
        return sum(len(t.occurrences) for t in self.tasks)


def read_plan_file(
    path: Path, *, sheet: str | None = None, named: Mapping[Column, str] | None = None
) -> ParsedPlan:
    """Read and parse a plan file, refusing oversized files before reading them.

    ``sheet`` and ``named`` are ``--sheet`` and ``--column``, for a file whose
    layout the readers cannot guess.
    """
    try:
        _check_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
    return parse_plan(data, source=path.name, sheet=sheet, named=named)


def parse_plan(
    data: bytes,
    *,
    source: str,
    sheet: str | None = None,
    named: Mapping[Column, str] | None = None,
) -> ParsedPlan:
    """Parse a plan's bytes, read from a file or uploaded on a page; a ``UserError`` saying
    why when they are not a plan this service reads."""
    _check_size(len(data))
    try:
        return read_plan_data(data, source=source, named=named, sheet=sheet)
    except PlanFormatError as exc:
        raise UserError(str(exc)) from exc


def _check_size(size: int) -> None:
    if size > MAX_PLAN_BYTES:
        raise UserError(
            f"Tệp quá lớn ({size // (1024 * 1024)} MB; tối đa "
            f"{MAX_PLAN_BYTES // (1024 * 1024)} MB): không phải một kế hoạch."
        )


def draft_tasks(
    plan: ParsedPlan, year: int, *, before_is_previous_day: bool = True
) -> tuple[list[TaskDraft], list[str]]:
    """Split unit cells and read deadlines for every task; collect warnings for a person."""
    drafts: list[TaskDraft] = []
    warnings: list[str] = []
    for section, task, code in assign_codes(plan):
        lead = split_units(task.lead_text)
        coordinate = split_units(task.coordinate_text)
        for text, names in ((task.lead_text, lead), (task.coordinate_text, coordinate)):
            if text.strip() and not names:
                warnings.append(f"{code}: «{text}» không phải tên đơn vị; cần phân công thủ công.")
        if not lead and not coordinate:
            warnings.append(f"{code}: nhiệm vụ chưa có đơn vị thực hiện.")
        occurrences = parse_deadline(
            task.deadline_text, year, before_is_previous_day=before_is_previous_day
        )
        for occ in occurrences:
            if occ.kind == "unparsed":
                warnings.append(f"{code}: không đọc được thời hạn «{occ.text}».")
        drafts.append(
            TaskDraft(
                section_number=section.number,
                section_title=section.title,
                code=code,
                number=task.number,
                content=task.content,
                lead_units=lead,
                coordinate_units=coordinate,
                deadline_text=task.deadline_text,
                occurrences=occurrences,
                product=task.product,
                notes=task.notes,
                line=task.line,
                officer_text=task.officer_text,
            )
        )
    return drafts, warnings


async def resolve_units(
    session: AsyncSession, drafts: list[TaskDraft], report: ImportReport
) -> dict[str, Unit]:
    """Find or create the unit of every name used by the plan; keep spellings as aliases."""
    registry, by_name = await load_registry(session)
    registered = registry  # before this plan: its own names are distinct on purpose
    names = [n for d in drafts for n in (*d.lead_units, *d.coordinate_units)]
    groups = attach_bare_subunits(canonical_units(names))
    report.units = groups
    resolved: dict[str, Unit] = {}
    for canonical, aliases in groups.items():
        match = registry.resolve(canonical)
        if match is not None:
            unit = by_name[match.name]
        else:
            _, parent = split_parent(canonical)
            if parent and registry.resolve(parent) is None:
                await add_unit(session, parent)
                registry, by_name = await load_registry(session)
            unit = await add_unit(session, canonical)
            report.new_units.append(canonical)
            report.warnings.extend(_near_miss(canonical, registered))
            registry, by_name = await load_registry(session)
        for alias in {canonical, *aliases}:
            await add_alias(session, unit, alias)
            resolved[alias] = unit
    return resolved


def _near_miss(name: str, registry: UnitRegistry) -> list[str]:
    """A new unit that looks like a registered one: say so, never merge on a guess.

    A "Bộ …"/"Sở …" missing from the register of public bodies still imports,
    with a line asking to check its name.
    """
    unknown = [
        f"Đơn vị mới «{name}» không có trong danh mục cơ quan nhà nước; đã nhập, "
        "hãy kiểm tra lại tên."
    ]
    return (unknown if unregistered_body(name) else []) + [
        f"Đơn vị mới «{name}» gần giống «{hint.name}» đã đăng ký; nếu là một, chạy: "
        f'nhacviec unit merge "{name}" "{hint.name}"'
        for hint in registry.suggest(name, limit=1)
    ]


def code_prefix(plan: ParsedPlan, drafts: list[TaskDraft]) -> str:
    """The plan's part of its task codes (``BDT22`` in ``BDT22-IV.2``)."""
    return drafts[0].code.split("-", 1)[0] if drafts else "KH"


async def import_plan(
    session: AsyncSession,
    plan: ParsedPlan,
    *,
    year: int | None = None,
    prefix: str | None = None,
    before_is_previous_day: bool = True,
) -> ImportReport:
    """Write ``plan`` in the session's transaction (the caller commits or rolls back).

    ``before_is_previous_day`` is the reminder policy's reading of "trước ngày D"
    (D−1 by default); the caller passes the stored setting.
    """
    plan_year = year or plan.year
    if plan_year is None:
        raise UserError("Không xác định được năm của kế hoạch; hãy chỉ rõ bằng --year NĂM.")
    if plan_year != plan.year:
        plan = replace(plan, year=plan_year, year_reason="theo tùy chọn --year")
    drafts, warnings = draft_tasks(plan, plan_year, before_is_previous_day=before_is_previous_day)
    own_prefix = code_prefix(plan, drafts)
    if prefix:
        drafts = _with_prefix(drafts, own_prefix, prefix)
        own_prefix = prefix
    report = ImportReport(plan=plan, code_prefix=own_prefix, tasks=drafts, units={})
    report.warnings.extend(plan_warning_lines(plan) + warnings)
    existing = await session.scalar(select(Plan).where(Plan.checksum == plan.checksum))
    if existing is not None:
        report.plan_id, report.already_imported = existing.id, True
        return report
    twin = await similar_plan(session, plan)
    if twin is not None:
        if prefix is None:
            raise UserError(_twin_message(twin, plan.source))
        report.warnings.append(_twin_message(twin, plan.source))
    taken = await session.scalar(select(Plan.id).where(Plan.code_prefix == own_prefix))
    if taken is not None:
        raise UserError(
            f"Mã {own_prefix} đã dùng cho một kế hoạch khác; hãy đặt mã khác bằng --prefix."
        )
    units = await resolve_units(session, drafts, report)
    roster = await load_roster(session)
    report.warnings.extend(_unknown_officers(drafts, units, roster))
    row = Plan(
        code_prefix=own_prefix,
        number=plan.number,
        symbol=plan.symbol,
        title=plan.title,
        issuer=plan.issuer_code,
        place=plan.place,
        issued_on=plan.issued_on,
        year=plan_year,
        source=plan.source,
        checksum=plan.checksum,
        intro=plan.intro,
        notes=list(plan.notes),
    )
    session.add(row)
    await session.flush()
    session.add(PlanVersion(plan_id=row.id, version=1, source=plan.source, checksum=plan.checksum))
    _add_sections(session, row, drafts, units, roster)
    await session.flush()
    report.plan_id = row.id
    return report


def _add_sections(
    session: AsyncSession,
    plan: Plan,
    drafts: list[TaskDraft],
    units: dict[str, Unit],
    roster: Roster,
) -> None:
    sections: dict[str, Section] = {}
    for position, draft in enumerate(drafts):
        section = sections.get(draft.section_number)
        if section is None:
            section = Section(
                plan=plan,
                number=draft.section_number,
                title=draft.section_title,
                position=len(sections),
            )
            sections[draft.section_number] = section
            session.add(section)
        task = Task(plan_id=plan.id, section=section, code=draft.code, position=position)
        fill_task(task, draft)
        task.assignments = _assignments(draft, units, roster)
        task.dues = [Due(position=i) for i in range(len(draft.occurrences))]
        fill_dues(task.dues, draft)
        session.add(task)


def fill_task(task: Task, draft: TaskDraft) -> None:
    """Copy a draft's texts onto ``task`` (a new one, or one an amended version keeps)."""
    task.number = draft.number
    task.content = draft.content
    task.product = draft.product
    task.notes = draft.notes
    task.lead_text = ", ".join(draft.lead_units)
    task.coordinate_text = ", ".join(draft.coordinate_units)
    task.deadline_text = draft.deadline_text


def fill_dues(dues: list[Due], draft: TaskDraft) -> None:
    """Write the draft's occurrences over ``dues`` in order (as many rows as occurrences)."""
    for due, occ in zip(dues, draft.occurrences, strict=True):
        due.kind, due.due_on, due.start_on = occ.kind, occ.due, occ.start
        due.rule, due.text = occ.rule, occ.text


async def similar_plan(session: AsyncSession, plan: ParsedPlan) -> Plan | None:
    """An imported plan ``plan`` looks like: same number and issuer, or same title and year.

    Importing it again as a new plan would double every reminder; it is most likely
    an amended version, for ``--update``.
    """
    numbered = bool(plan.number and plan.issuer_code)
    for row in (await session.scalars(select(Plan).order_by(Plan.id))).all():
        if numbered and (row.number, row.issuer) == (plan.number, plan.issuer_code):
            return row
        if plan.title.strip() and fold(row.title) == fold(plan.title) and row.year == plan.year:
            return row
    return None


def _twin_message(twin: Plan, source: str) -> str:
    return (
        f"Tệp {source} giống kế hoạch {twin.code_prefix} đã nhập (cùng số và cơ quan ban hành, "
        f"hoặc cùng tên và năm). Nếu là bản sửa đổi, chạy: nhacviec plan import {source} "
        f"--update {twin.code_prefix} (xem khác biệt), rồi thêm --apply để ghi; nếu là "
        "kế hoạch khác, đặt mã riêng bằng --prefix."
    )


def _unit_ids(draft: TaskDraft, units: dict[str, Unit]) -> list[int]:
    return [units[name].id for name in (*draft.lead_units, *draft.coordinate_units)]


def _unknown_officers(drafts: list[TaskDraft], units: dict[str, Unit], roster: Roster) -> list[str]:
    found = (roster.unknown(d.code, d.officer_text, _unit_ids(d, units)) for d in drafts)
    return [warning for warning in found if warning]


def _assignments(draft: TaskDraft, units: dict[str, Unit], roster: Roster) -> list[Assignment]:
    """One assignment per distinct unit and role, in the order the plan names them.

    The person in charge the plan names goes on their own unit's assignment,
    else on the first (the lead's).
    """
    seen: set[tuple[int, str]] = set()
    result: list[Assignment] = []
    for role, names in (("lead", draft.lead_units), ("coordinate", draft.coordinate_units)):
        for name in names:
            unit = units[name]
            if (unit.id, role) not in seen:
                seen.add((unit.id, role))
                result.append(Assignment(unit_id=unit.id, role=role, position=len(result)))
    match = roster.find(draft.officer_text, _unit_ids(draft, units))
    if match is not None and result:
        own = [a for a in result if a.unit_id == match.unit_id]
        (own or result)[0].officer_id = match.officer_id
    return result


def plan_warning_lines(plan: ParsedPlan) -> list[str]:
    return [str(w) for w in plan.warnings]


def _with_prefix(drafts: list[TaskDraft], old: str, new: str) -> list[TaskDraft]:
    return [replace(d, code=new + d.code[len(old) :]) for d in drafts]
