"""The registry of units and officers: adding, listing and importing a CSV roster.

Every write is checked against the registry first so that a typo in a unit name
is reported with a suggestion instead of silently creating a second unit, and a
CSV import is all or nothing: one bad line and nothing is written.

An officer's contacts (how the roster says to find them on a channel) are keyed
by channel name; which roster column holds which channel's contact is the
caller's mapping, so this module names no provider.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import ROLES, Officer, OfficerContact, Unit, UnitAlias
from data.text import fold, nfc
from data.units import UnitRegistry, split_parent, unit_key

ROLE_NAMES = {
    "officer": "officer",
    "can bo": "officer",
    "chuyen vien": "officer",
    "unit head": "unit_head",
    "truong don vi": "unit_head",
    "truong phong": "unit_head",
    "leader": "leader",
    "lanh dao": "leader",
    "admin": "admin",
    "quan tri": "admin",
}
CSV_COLUMNS = ("name", "unit", "role", "phone")
UNITLESS_ROLES = ("leader", "admin")
"""Roles that may be registered without a unit: an officer or unit head without one would
answer for no unit's work and see every unit's history (``/lichsu``)."""
HANDLE_MAX = 100


async def load_registry(session: AsyncSession) -> tuple[UnitRegistry, dict[str, Unit]]:
    """The registry of every unit with its aliases, and the units by display name."""
    units = list((await session.scalars(select(Unit))).all())
    registry = UnitRegistry((u.name, [a.alias for a in u.aliases]) for u in units)
    return registry, {u.name: u for u in units}


async def find_unit(session: AsyncSession, name: str) -> Unit:
    """The registered unit ``name`` refers to, or a UserError with close suggestions."""
    registry, by_name = await load_registry(session)
    match = registry.resolve(name)
    if match is not None:
        return by_name[match.name]
    hints = registry.suggest(name)
    hint = f" Có phải: {', '.join(m.name for m in hints)}?" if hints else ""
    raise UserError(f"Không có đơn vị «{nfc(name)}» trong danh sách.{hint}")


async def add_unit(
    session: AsyncSession, name: str, *, short_name: str | None = None, parent: str | None = None
) -> Unit:
    """Register a unit; ``Văn phòng (Ban Dân tộc)`` names its parent in parentheses."""
    clean = nfc(name).strip(" .;,")
    if not clean:
        raise UserError("Tên đơn vị không được để trống.")
    registry, _ = await load_registry(session)
    existing = registry.resolve(clean)
    if existing is not None and existing.exact:
        raise UserError(f"Đơn vị «{existing.name}» đã có trong danh sách.")
    parent_unit = None
    base, named_parent = split_parent(clean)
    if parent is None and named_parent:
        parent, short_name = named_parent, short_name or base
    if parent:
        parent_unit = await find_unit(session, parent)
    unit = Unit(name=clean, key=unit_key(clean), short_name=short_name, parent_id=None)
    if parent_unit is not None:
        unit.parent_id = parent_unit.id
    session.add(unit)
    await session.flush()
    return unit


async def add_alias(session: AsyncSession, unit: Unit, alias: str) -> None:
    """Remember another spelling of ``unit`` (no-op when it folds to a known key)."""
    key = unit_key(alias)
    if key == unit.key:
        return
    if await session.scalar(select(UnitAlias.id).where(UnitAlias.key == key)) is None:
        session.add(UnitAlias(unit_id=unit.id, alias=nfc(alias), key=key))
        await session.flush()


def parse_role(text: str) -> str:
    """Map a role as written in a roster (English or Vietnamese) to a stored role."""
    role = ROLE_NAMES.get(fold(text).replace("_", " "))
    if role not in ROLES:
        raise UserError(
            f"Vai trò «{text}» không hợp lệ; dùng officer, unit_head, leader hoặc admin."
        )
    return role


@dataclass(frozen=True)
class OfficerInput:
    """One officer as given on the command line or in a roster line."""

    name: str
    unit: str | None
    role: str = "officer"
    phone: str | None = None
    contacts: Mapping[str, str] = field(default_factory=dict)
    """Channel name → the officer's handle there, as written (an ``@`` before it is dropped)."""


async def add_officer(session: AsyncSession, given: OfficerInput) -> Officer:
    """Register an officer in a registered unit; duplicates (same name and unit) are refused."""
    name = nfc(given.name)
    if not name:
        raise UserError("Tên cán bộ không được để trống.")
    role = parse_role(given.role)
    if not given.unit and role not in UNITLESS_ROLES:
        raise UserError(f"Cán bộ «{name}» cần có đơn vị (chỉ lãnh đạo và quản trị được để trống).")
    unit = await find_unit(session, given.unit) if given.unit else None
    unit_id = unit.id if unit else None
    duplicate = await session.scalar(
        select(Officer.id).where(Officer.name == name, Officer.unit_id == unit_id)
    )
    if duplicate is not None:
        where = f" ({unit.name})" if unit else ""
        raise UserError(f"Cán bộ «{name}»{where} đã có trong danh sách.")
    officer = Officer(
        name=name,
        unit_id=unit_id,
        role=role,
        phone=(given.phone or "").strip() or None,
    )
    session.add(officer)
    await session.flush()
    for channel, written in given.contacts.items():
        handle = _handle(channel, written)
        if handle:
            session.add(OfficerContact(officer_id=officer.id, channel=channel, handle=handle))
    await session.flush()
    return officer


def read_roster(text: str, contact_columns: Mapping[str, str]) -> list[tuple[int, OfficerInput]]:
    """Parse a roster CSV (header row with at least ``name`` and ``unit``) into inputs.

    ``contact_columns`` maps a header to the channel whose contact that column holds.
    """
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    header = set(rows[0].keys()) if rows else set()
    missing = {"name", "unit"} - header
    if not rows or missing:
        columns = ", ".join((*CSV_COLUMNS, *contact_columns))
        raise UserError(f"Tệp cán bộ cần hàng tiêu đề với các cột: {columns}.")
    return [(line, _officer_from_row(row, contact_columns)) for line, row in enumerate(rows, 2)]


def _officer_from_row(
    row: dict[str, str | None], contact_columns: Mapping[str, str]
) -> OfficerInput:
    cells = {k: (row.get(k) or "").strip() for k in (*CSV_COLUMNS, *contact_columns)}
    return OfficerInput(
        name=cells["name"],
        unit=cells["unit"] or None,
        role=cells["role"] or "officer",
        phone=cells["phone"] or None,
        contacts={channel: cells[column] for column, channel in contact_columns.items()},
    )


@dataclass(frozen=True)
class RosterResult:
    """What importing a roster did: people added, people whose details changed."""

    added: Sequence[Officer]
    updated: Sequence[Officer]


async def import_roster(
    session: AsyncSession, text: str, contact_columns: Mapping[str, str]
) -> RosterResult:
    """Add the roster's new officers and update the known ones, or change nothing.

    A roster is kept and re-sent as it grows, so a name already registered is an
    update, not an error. Every bad line is reported at once with its number (one
    run per typo wore secretaries out); the caller's transaction is then rolled back.
    """
    added: list[Officer] = []
    updated: list[Officer] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, given in read_roster(text, contact_columns):
        try:
            first = seen.setdefault(_roster_key(given), line)
            if first != line:
                unit = await find_unit(session, given.unit) if given.unit else None
                where = f" ({unit.name})" if unit else ""
                raise UserError(f"Cán bộ «{nfc(given.name)}»{where} đã có ở dòng {first}.")
            known = await _known_officer(session, given, {o.id for o in added})
            if known is None:
                added.append(await add_officer(session, given))
            elif await update_officer(session, known, given):
                updated.append(known)
        except UserError as exc:
            errors.append(f"Dòng {line}: {exc}")
    if errors:
        raise UserError(" ".join(errors))
    return RosterResult(added, updated)


def _roster_key(given: OfficerInput) -> str:
    return f"{fold(given.name)}|{unit_key(given.unit or '')}"


async def _known_officer(
    session: AsyncSession, given: OfficerInput, fresh: Collection[int]
) -> Officer | None:
    """The registered officer a roster line is about: same name, in its unit if several.

    Officers this roster just added (``fresh``) are not "known": two namesakes of two
    units on two lines are two people.
    """
    wanted = fold(given.name)
    found = [
        o
        for o in (await session.scalars(select(Officer))).all()
        if fold(o.name) == wanted and o.id not in fresh
    ]
    if len(found) > 1 and given.unit:
        unit = await find_unit(session, given.unit)
        found = [o for o in found if o.unit_id == unit.id] or found
    if len(found) > 1:
        raise UserError(f"Có {len(found)} cán bộ tên «{nfc(given.name)}»; hãy ghi rõ đơn vị.")
    return found[0] if found else None


async def update_officer(session: AsyncSession, officer: Officer, given: OfficerInput) -> bool:
    """Give ``officer`` the unit, role, phone and contacts of ``given``; whether any changed.

    Blank phone and contact cells leave what is known: a roster without those columns
    must not wipe them.
    """
    role = parse_role(given.role)
    if not given.unit and role not in UNITLESS_ROLES:
        raise UserError(
            f"Cán bộ «{officer.name}» cần có đơn vị (chỉ lãnh đạo và quản trị được để trống)."
        )
    unit = await find_unit(session, given.unit) if given.unit else None
    values = {
        "unit_id": unit.id if unit else None,
        "role": role,
        "phone": (given.phone or "").strip() or officer.phone,
    }
    changed = any(getattr(officer, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(officer, key, value)
    current = {
        c.channel: c
        for c in await session.scalars(
            select(OfficerContact).where(OfficerContact.officer_id == officer.id)
        )
    }
    for channel, written in given.contacts.items():
        handle = _handle(channel, written)
        if not handle or (channel in current and current[channel].handle == handle):
            continue
        changed = True
        if channel in current:
            current[channel].handle = handle
        else:
            session.add(OfficerContact(officer_id=officer.id, channel=channel, handle=handle))
    await session.flush()
    return changed


def _handle(channel: str, written: str) -> str:
    """A contact as stored: NFC, without the ``@`` people type before a username."""
    handle = nfc(written).strip().lstrip("@").strip()
    if len(handle) > HANDLE_MAX:
        raise UserError(f"Liên hệ {channel} «{handle[:20]}…» dài quá {HANDLE_MAX} ký tự.")
    return handle


async def find_officer(session: AsyncSession, ref: str) -> Officer:
    """The officer named by id, or by name typed with or without diacritics (unique)."""
    if ref.isdigit():
        officer = await session.get(Officer, int(ref))
        if officer is not None:
            return officer
    wanted = fold(ref)
    found = [o for o in (await session.scalars(select(Officer))).all() if fold(o.name) == wanted]
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(
            f"Có {len(found)} cán bộ tên «{ref}»; hãy dùng số id (nhacviec officer list)."
        )
    raise UserError(f"Không có cán bộ «{ref}».")


async def officer_names(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    """The names of officers by id, for lists that show who did what (ids not found: absent)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(wanted)))
    return {officer_id: name for officer_id, name in rows}
