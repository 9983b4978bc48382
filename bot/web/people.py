"""``/can-bo``: units and officers, their chats, and invite codes to print or show.

Every write goes through the same functions as ``nhacviec unit|officer|invite``
(``data/people.py``, ``data/invites.py``), so the page refuses what the CLI refuses
with the same sentence, and a roster CSV is all or nothing with every bad line
listed at once. Reminders are replanned after each change, as the CLI does: a new
officer of a unit takes over its pending reminders at once.

An invite code is shown once (only its hash is stored), with a QR code made here
(``segno``, as an SVG ``data:`` image: the Content-Security-Policy allows images
from this server and ``data:`` only). Issuing a new one retires the officer's unused
codes, so a lost printout links nobody.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import segno
from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from bot.commands.invite import telegram_link
from bot.commands.links import LINKABLE, route_label
from bot.commands.people import ROSTER_CONTACTS
from bot.web.visit import Visit, page
from bot.web.words import word
from data.errors import UserError
from data.invites import reissue_invite
from data.models import ROLES, Invite, Officer, OfficerContact, Unit
from data.people import (
    OfficerInput,
    add_officer,
    add_unit,
    import_roster,
    update_officer,
)
from data.unit_merge import merge_units
from scheduler.planner import plan_reminders

ADMIN = "admin"
INVITE_DAYS = 7
CONTACT_FIELDS = {channel: f"lien-he-{channel}" for channel in ROSTER_CONTACTS.values()}


def _seen(location: str) -> web.Response:
    """After a change, back to a page to see it (a reload does not post again)."""
    return web.Response(status=303, headers={"Location": location})


def _text(visit: Visit, name: str) -> str:
    return str(visit.form.get(name, "")).strip()


async def _units(visit: Visit) -> list[tuple[Unit, str, int]]:
    """Every unit with its parent's name and how many active officers it has."""
    parent = aliased(Unit)
    staff = (
        select(func.count(Officer.id))
        .where(Officer.unit_id == Unit.id, Officer.active)
        .scalar_subquery()
    )
    query = (
        select(Unit, parent.name, staff)
        .outerjoin(parent, Unit.parent_id == parent.id)
        .order_by(Unit.name)
    )
    return [(unit, up or "", int(count)) for unit, up, count in await visit.session.execute(query)]


@page(ADMIN)
async def people(visit: Visit) -> web.StreamResponse:
    """``GET /can-bo``: units, officers with their chats, and the forms to add them."""
    officers = (await visit.session.scalars(select(Officer).order_by(Officer.name))).all()
    return visit.render(
        "people_list.html",
        units=await _units(visit),
        officers=officers,
        channels=LINKABLE,
        roles=ROLES,
        route=route_label,
        contact_columns=list(ROSTER_CONTACTS),
    )


@page(ADMIN)
async def new_unit(visit: Visit) -> web.StreamResponse:
    """``POST /can-bo/don-vi``: register a unit (``Văn phòng (Ban Dân tộc)`` names its parent)."""
    await add_unit(visit.session, _text(visit, "ten"), short_name=_text(visit, "ten-ngan") or None)
    return _seen("/can-bo")


@page(ADMIN)
async def merge(visit: Visit) -> web.StreamResponse:
    """``POST /can-bo/gop-don-vi``: two names of one unit become one (``nhacviec unit merge``)."""
    await merge_units(visit.session, _text(visit, "tu"), _text(visit, "vao"), visit.now)
    await plan_reminders(visit.session, visit.now)
    return _seen("/can-bo")


def _given(visit: Visit, name: str) -> OfficerInput:
    """The officer the add or edit form describes."""
    role = _text(visit, "vai-tro")
    if role not in ROLES:
        raise UserError(word("ppl_bad_role", visit.language))
    return OfficerInput(
        name=name,
        unit=_text(visit, "don-vi") or None,
        role=role,
        phone=_text(visit, "dien-thoai") or None,
        contacts={channel: _text(visit, field) for channel, field in CONTACT_FIELDS.items()},
    )


@page(ADMIN)
async def new_officer(visit: Visit) -> web.StreamResponse:
    """``POST /can-bo/them``: register an officer, then open their page (to invite them)."""
    officer = await add_officer(visit.session, _given(visit, _text(visit, "ten")))
    await plan_reminders(visit.session, visit.now)
    return _seen(f"/can-bo/{officer.id}")


@page(ADMIN)
async def roster(visit: Visit) -> web.StreamResponse:
    """``POST /can-bo/nhap``: a roster CSV, every bad line listed at once, else all written."""
    field = visit.form.get("tep")
    if not isinstance(field, web.FileField):
        raise UserError(word("ppl_no_file", visit.language))
    try:
        text = field.file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(word("ppl_not_utf8", visit.language)) from exc
    result = await import_roster(visit.session, text, ROSTER_CONTACTS)
    await plan_reminders(visit.session, visit.now)
    return visit.message("ppl_imported", added=len(result.added), updated=len(result.updated))


async def _officer(visit: Visit) -> Officer:
    ref = visit.request.match_info["officer"]
    officer = await visit.session.get(Officer, int(ref)) if ref.isdigit() else None
    if officer is None:
        raise web.HTTPNotFound()
    return officer


async def _officer_page(visit: Visit, officer: Officer, **extra: Any) -> web.Response:
    contacts = await visit.session.scalars(
        select(OfficerContact).where(OfficerContact.officer_id == officer.id)
    )
    pending = await visit.session.scalar(
        select(func.max(Invite.expires_at)).where(
            Invite.officer_id == officer.id, Invite.used_at.is_(None), Invite.expires_at > visit.now
        )
    )
    return visit.render(
        "people_officer.html",
        person=officer,
        links={link.channel: link for link in officer.links},
        contacts={c.channel: c.handle for c in contacts},
        contact_fields=CONTACT_FIELDS,
        units=[unit for unit, _, _ in await _units(visit)],
        roles=ROLES,
        channels=LINKABLE,
        route=route_label(officer),
        pending=pending,
        **extra,
    )


@page(ADMIN)
async def officer_page(visit: Visit) -> web.StreamResponse:
    """``GET /can-bo/{officer}``: the officer's details, chats and invite."""
    return await _officer_page(visit, await _officer(visit))


@page(ADMIN)
async def edit_officer(visit: Visit) -> web.StreamResponse:
    """``POST /can-bo/{officer}``: unit, role, phone, contacts and the preferred channel."""
    officer = await _officer(visit)
    preferred = _text(visit, "kenh")
    if preferred and preferred not in LINKABLE:
        raise UserError(word("ppl_bad_channel", visit.language))
    await update_officer(visit.session, officer, _given(visit, officer.name))
    officer.preferred_channel = preferred or None
    await plan_reminders(visit.session, visit.now)
    return _seen(f"/can-bo/{officer.id}")


def qr_image(text: str) -> str:
    """``text`` as a QR code in an SVG ``data:`` URI (scannable from a screen or on paper)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=6, border=2))


@page(ADMIN)
async def invite(visit: Visit) -> web.StreamResponse:
    """``POST /can-bo/{officer}/moi``: a new invite code to print or show, with its QR code."""
    officer = await _officer(visit)
    code = await reissue_invite(visit.session, officer.id, visit.now, INVITE_DAYS)
    link = telegram_link(code)
    return visit.render(
        "people_invite.html",
        person=officer,
        code=code,
        link=link,
        qr=qr_image(link or code),
        expires=visit.now + timedelta(days=INVITE_DAYS),
        days=INVITE_DAYS,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/can-bo", people)
    app.router.add_post("/can-bo/don-vi", new_unit)
    app.router.add_post("/can-bo/gop-don-vi", merge)
    app.router.add_post("/can-bo/them", new_officer)
    app.router.add_post("/can-bo/nhap", roster)
    app.router.add_get("/can-bo/{officer}", officer_page)
    app.router.add_post("/can-bo/{officer}", edit_officer)
    app.router.add_post("/can-bo/{officer}/moi", invite)
