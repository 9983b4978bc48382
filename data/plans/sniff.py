"""What kind of file a plan is, from its first bytes and not from its name.

Secretaries rename files and mail systems strip extensions, so the reader is
chosen by content: a ZIP holding ``word/document.xml`` is Word, one holding
``xl/workbook.xml`` is Excel, an OLE2 container is an old .doc/.xls or an
Office file locked with a password (Office keeps an encrypted file in an OLE2
container with an ``EncryptedPackage`` stream); anything else is text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from enum import StrEnum

from data.plans.columns import Column
from data.plans.parsed import ParsedPlan, PlanFormatError
from data.plans.text_plan import read_plan_bytes

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Stream names in an OLE2 directory are UTF-16-LE.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORKBOOK_STREAM = "Workbook".encode("utf-16-le")


class Kind(StrEnum):
    TEXT = "text"
    DOCX = "docx"
    XLSX = "xlsx"
    OLD_DOC = "old_doc"
    OLD_XLS = "old_xls"
    ENCRYPTED = "encrypted"
    CORRUPT_ZIP = "corrupt_zip"
    OTHER_ZIP = "other_zip"


def sniff(data: bytes) -> Kind:
    """The kind of ``data``; never raises."""
    if data.startswith(OLE2_MAGIC):
        if _ENCRYPTED_STREAM in data:
            return Kind.ENCRYPTED
        return Kind.OLD_XLS if _WORKBOOK_STREAM in data else Kind.OLD_DOC
    if not data.startswith(ZIP_MAGIC):
        return Kind.TEXT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return Kind.CORRUPT_ZIP
    if "word/document.xml" in names:
        return Kind.DOCX
    if "xl/workbook.xml" in names:
        return Kind.XLSX
    return Kind.OTHER_ZIP


_REFUSED = {
    Kind.OLD_DOC: "Tệp .doc cũ: hãy mở bằng Word và lưu thành .docx rồi nhập lại.",
    Kind.OLD_XLS: "Tệp .xls cũ: hãy mở bằng Excel và lưu thành .xlsx rồi nhập lại.",
    Kind.ENCRYPTED: "Tệp được đặt mật khẩu: hãy mở tệp, bỏ mật khẩu rồi lưu và nhập lại.",
    Kind.CORRUPT_ZIP: "Tệp Word/Excel bị hỏng, không đọc được: hãy mở và lưu lại tệp rồi nhập lại.",
    Kind.OTHER_ZIP: "Tệp nén không phải Word (.docx) hay Excel (.xlsx): không phải một kế hoạch.",
}


def read_plan_data(
    data: bytes,
    *,
    source: str,
    named: Mapping[Column, str] | None = None,
    sheet: str | None = None,
) -> ParsedPlan:
    """Parse a plan of any supported kind; ``PlanFormatError`` for the rest.

    ``sheet`` picks a workbook's sheet (``--sheet``); other kinds have none.
    """
    kind = sniff(data)
    if kind is Kind.XLSX:  # openpyxl (with numpy) and python-docx are imported on use:
        from data.plans.xlsx_plan import read_xlsx_plan  # ~50 MiB a serving process

        return read_xlsx_plan(data, source=source, sheet=sheet, named=named)
    if sheet is not None and kind in (Kind.DOCX, Kind.TEXT):
        raise PlanFormatError(None, "--sheet chỉ dùng cho tệp Excel (.xlsx)")
    if kind is Kind.DOCX:  # would hold for the plans it may never be sent
        from data.plans.docx_plan import read_docx_bytes

        return read_docx_bytes(data, source=source, named=named)
    if kind is Kind.TEXT:
        return read_plan_bytes(data, source=source, named=named)
    raise PlanFormatError(None, _REFUSED[kind])
