"""Products officers send for a task: checked, stored, listed, read back.

A product is the proof of work a leader signs off: a PDF or Word file, a photo of a
signed page. Why the rules:
- Cheap checks first: the size the provider announced is compared with the cap
  before anything is downloaded (``too_big``), then the bytes themselves decide the
  type (``sniff``): the name and the MIME type a phone claims are not trusted, and an
  old ``.doc`` or anything else is refused with a sentence saying what is accepted.
- Where the bytes live is a setting: ``NHACVIEC_PRODUCT_DIR`` set, files under that
  directory named by their sha256 (never by the sender's file name, which is only
  shown); unset, in the database (``Product.content``). One instance or many, both work.
- The same file sent twice for the same task is stored once (``sha256``).
- Every product is an audit row (``StatusUpdate`` of kind ``product``, note = the
  file name) on the item's progress, so ``/lichsu`` lists it with the updates.
- A file whose task is not yet known (the officer has several open tasks) is parked
  in a pending prompt of kind ``PARKED`` until they pick one; ``data/prompts.py``
  leaves such rows alone when it replaces questions, so no later message drops it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from data.errors import UserError
from data.models import Assignment, PendingPrompt, Product, Progress, StatusUpdate
from data.prompts import PARKED, waiting_rows

MAX_MB_VARIABLE = "NHACVIEC_PRODUCT_MAX_MB"
DIR_VARIABLE = "NHACVIEC_PRODUCT_DIR"
DEFAULT_MAX_MB = 20
"""The default cap: the largest file the chat providers let a bot download, so more
cannot arrive anyway."""
MAX_NAME = 200

ACCEPTED = "tệp PDF, tệp Word (.docx) hoặc ảnh chụp (JPEG, PNG)"
WRONG_TYPE = (
    "Tệp «{name}» không nhận được: chỉ nhận " + ACCEPTED + ". "
    "Tệp Word cũ (.doc) hãy lưu lại thành .docx hoặc PDF rồi gửi lại."
)
NOT_FETCHED = "Chưa tải được tệp «{name}»; vui lòng gửi lại sau ít phút."
TOO_BIG = "Tệp «{name}» quá lớn ({size} MB): chỉ nhận tệp đến {cap} MB."


@dataclass(frozen=True)
class ProductSettings:
    """The cap and the store: ``directory`` None keeps the bytes in the database."""

    max_bytes: int = DEFAULT_MAX_MB << 20
    directory: Path | None = None

    @property
    def store(self) -> str:
        return "fs" if self.directory is not None else "db"


DEFAULT_SETTINGS = ProductSettings()
"""In the database, up to 20 MB: what a service without product settings does."""


def product_settings(environ: Mapping[str, str]) -> ProductSettings:
    """``NHACVIEC_PRODUCT_MAX_MB`` (default 20) and ``NHACVIEC_PRODUCT_DIR`` (unset: database)."""
    raw = (environ.get(MAX_MB_VARIABLE) or str(DEFAULT_MAX_MB)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 2000:
        raise UserError(f"{MAX_MB_VARIABLE} phải là số MB từ 1 đến 2000, không phải {raw!r}.")
    directory = (environ.get(DIR_VARIABLE) or "").strip()
    return ProductSettings(int(raw) << 20, Path(directory) if directory else None)


@dataclass(frozen=True)
class Kind:
    """A type the store accepts, as the bytes tell it."""

    mime: str
    extension: str


PDF = Kind("application/pdf", ".pdf")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
JPEG = Kind("image/jpeg", ".jpg")
PNG = Kind("image/png", ".png")


def sniff(content: bytes) -> Kind | None:
    """The accepted type of ``content`` by its magic bytes, or None.

    A .docx is a ZIP holding ``word/document.xml``; other ZIPs (an .xlsx, an archive)
    are not Word files. Only the ZIP's directory is read, never its members.
    """
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return DOCX if "word/document.xml" in names else None
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f}".replace(".", ",")


def too_big(size: int | None, settings: ProductSettings) -> bool:
    """Whether an announced (or counted) size is past the cap; unknown sizes pass."""
    return size is not None and size > settings.max_bytes


def checked(name: str, content: bytes, size: int | None, settings: ProductSettings) -> Kind:
    """The file's type, or the refusal: too big (as announced or as received), wrong type."""
    shown = display_name(name, "")
    largest = max(size or 0, len(content))
    if too_big(largest, settings):
        cap = settings.max_bytes >> 20
        raise UserError(TOO_BIG.format(name=shown, size=_megabytes(largest), cap=cap))
    if not content:
        raise UserError(NOT_FETCHED.format(name=shown))
    kind = sniff(content)
    if kind is None:
        raise UserError(WRONG_TYPE.format(name=shown))
    return kind


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str, extension: str) -> str:
    """The sender's file name as shown in lists: no folders, no control characters, NFC,
    at most ``MAX_NAME`` characters; a photo without a name gets one."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = " ".join(_UNSAFE.sub(" ", base).split()).strip(". ")
    return base[:MAX_NAME] or f"san-pham{extension}"


# --- storing -----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredProduct:
    """What ``store`` did: the row (new, or the one already there) and whether it was new."""

    product: Product
    duplicate: bool


def _blob_path(sha256: str) -> str:
    """Where a file lives under the directory: its hash only, two levels for big folders."""
    return f"{sha256[:2]}/{sha256}"


def _write_blob(directory: Path, relative: str, content: bytes) -> None:
    """Write once, atomically (a reader never sees half a file; the same bytes twice is one)."""
    target = directory / relative
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)


async def store(
    session: AsyncSession,
    settings: ProductSettings,
    *,
    task_id: int,
    progress: Progress,
    officer_id: int,
    name: str,
    content: bytes,
    channel: str,
    provider_update_id: str | None,
    now: datetime,
) -> StoredProduct:
    """Check and keep ``content`` as a product of ``task_id``, audited on ``progress``.

    Refusals raise ``UserError`` before anything is written.
    """
    kind = checked(name, content, None, settings)
    digest = hashlib.sha256(content).hexdigest()
    earlier = await session.scalar(
        select(Product).where(Product.task_id == task_id, Product.sha256 == digest).limit(1)
    )
    if earlier is not None:
        return StoredProduct(earlier, duplicate=True)
    shown = display_name(name, kind.extension)
    shown += "" if "." in shown else kind.extension  # a photo's link names no type
    audit = StatusUpdate(
        progress_id=progress.id,
        officer_id=officer_id,
        channel=channel,
        provider_update_id=provider_update_id,
        raw_text=f"[tệp {shown}]",
        intent={"product": digest},
        state_before=progress.state,
        state_after=progress.state,
        percent=progress.percent,
        kind="product",
        note=shown,
        created_at=now,
    )
    session.add(audit)
    await session.flush()
    product = Product(
        task_id=task_id,
        progress_id=progress.id,
        officer_id=officer_id,
        status_update_id=audit.id,
        channel=channel,
        file_name=shown,
        mime=kind.mime,
        size=len(content),
        sha256=digest,
        store=settings.store,
        content=content if settings.directory is None else None,
        path=_blob_path(digest) if settings.directory is not None else None,
        created_at=now,
    )
    if settings.directory is not None:
        _write_blob(settings.directory, _blob_path(digest), content)
    session.add(product)
    await session.flush()
    return StoredProduct(product, duplicate=False)


def read_content(product: Product, settings: ProductSettings) -> bytes:
    """The bytes of a product, wherever its store put them."""
    if product.store == "db" or product.path is None:
        return product.content or b""
    if settings.directory is None:
        raise UserError(
            "Tệp sản phẩm nằm trong thư mục lưu trữ nhưng NHACVIEC_PRODUCT_DIR chưa đặt."
        )
    root = settings.directory.resolve()
    target = (root / product.path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise UserError(f"Không tìm thấy tệp sản phẩm «{product.file_name}» trong thư mục lưu trữ.")
    return target.read_bytes()


@dataclass(frozen=True)
class ListedProduct:
    """A product with the unit whose part of the task it was sent for."""

    product: Product
    unit_id: int | None


async def products_of(session: AsyncSession, task_id: int) -> list[ListedProduct]:
    """The products of a task, newest first (number 1 is the latest)."""
    rows = await session.execute(
        select(Product, Assignment.unit_id)
        .outerjoin(Progress, Progress.id == Product.progress_id)
        .outerjoin(Assignment, Assignment.id == Progress.assignment_id)
        .where(Product.task_id == task_id)
        .order_by(Product.created_at.desc(), Product.id.desc())
    )
    return [ListedProduct(product, unit_id) for product, unit_id in rows.all()]


async def product_of_update(session: AsyncSession, update_id: int) -> Product | None:
    """The product an audit row of kind ``product`` recorded."""
    return await session.scalar(select(Product).where(Product.status_update_id == update_id))


# --- parked files (task not known yet) --------------------------------------------------


@dataclass(frozen=True)
class ParkedFile:
    """A file waiting for its task, with the caption's words (a status to record with it)."""

    prompt_id: int
    name: str
    content: bytes
    caption: str
    work: tuple[tuple[int, int], ...]


async def park(
    session: AsyncSession,
    *,
    officer_id: int,
    channel: str,
    name: str,
    content: bytes,
    caption: str,
    work: Sequence[tuple[int, int]],
    now: datetime,
    expires_at: datetime,
) -> int:
    """Keep a checked file until the officer picks one of ``work``; the prompt's id.

    One parked file per officer and channel: a newer one replaces it (the officer sent
    another file meanwhile, and is asked about that one).
    """
    await unpark(session, officer_id, channel)
    row = PendingPrompt(
        officer_id=officer_id,
        channel=channel,
        kind=PARKED,
        task_ids=["w{}.{}".format(*item) for item in work],
        reply={
            "name": name,
            "caption": caption,
            "content": base64.b64encode(content).decode("ascii"),
        },
        expires_at=expires_at,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


def _parked(row: PendingPrompt) -> ParkedFile | None:
    said: dict[str, Any] = row.reply or {}
    try:
        content = base64.b64decode(str(said.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        return None
    work = []
    for ref in row.task_ids:
        assignment_id, _, due_id = ref[1:].partition(".")
        work.append((int(assignment_id), int(due_id)))
    name, caption = str(said.get("name", "")), str(said.get("caption", ""))
    return ParkedFile(row.id, name, content, caption, tuple(work))


async def parked_file(
    session: AsyncSession, officer_id: int, channel: str, now: datetime
) -> ParkedFile | None:
    """The officer's file still waiting for its task on this channel, if any."""
    return parked_in(await waiting_rows(session, officer_id, channel, now))


def parked_in(rows: Sequence[PendingPrompt]) -> ParkedFile | None:
    """The newest parked file of ``waiting_rows``, if any."""
    row = next((row for row in rows if row.kind == PARKED), None)
    return _parked(row) if row is not None else None


async def unpark(session: AsyncSession, officer_id: int, channel: str) -> None:
    """Forget the officer's parked file on this channel (stored, or replaced)."""
    await session.execute(
        delete(PendingPrompt).where(
            PendingPrompt.officer_id == officer_id,
            PendingPrompt.channel == channel,
            PendingPrompt.kind == PARKED,
        )
    )
