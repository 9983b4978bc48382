"""Word plans built in code, laid out as agencies lay them out (no published document copied).

``sample_plan_docx()`` is the Word form of ``data/samples/ke-hoach-thi-dua-khen-thuong-2022.txt``:
the heading in a borderless two-column table, "KẾ HOẠCH" and the subject in bold
paragraphs, the task table in two tables with the same two-row header ("Thời gian"
over "Bắt đầu / Kết thúc") and a "(1) (2) …" row, sections merged across the row,
task V.1 over two rows (number and content merged, one unit per row), one deadline
merged over three tasks, line breaks between units and inside wrapped text, and the
"Nơi nhận" block beside the signature in a table. It must import exactly as the text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.table import Table

HEADER_TOP = ("Số TT", "Nội dung công việc", "Cơ quan thực hiện", "Thời gian", "")
HEADER_BELOW = ("", "", "", "Bắt đầu", "Kết thúc")

# (number, content, units, deadline); a section has units and deadline None.
# Units and content may hold "\n" (a line break inside the cell).
Row = tuple[str, str, str | None, str | None]

_DT = "Ban Dân tộc, cơ quan công tác dân tộc cấp huyện"
_HD = "Hội đồng Thi đua – Khen thưởng cơ sở"
_TT = "Thường trực Hội đồng Thi đua - Khen thưởng cơ sở"
_YEAR = "Trong năm 2022"

FIRST_PART: list[Row] = [
    ("I", "Tổ chức phát động phong trào thi đua", None, None),
    (
        "1",
        "Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ\ncông tác dân tộc năm 2022.",
        _DT,
        "Quý I/2022",
    ),
    (
        "2",
        "Triển khai thực hiện phong trào “Vì sự nghiệp phát triển các dân tộc” và Kỷ niệm 76 "
        "năm ngày thành lập cơ quan công tác dân tộc (03/5/1946-03/5/2022)",
        _DT,
        "Quý II/2022",
    ),
    (
        "3",
        "Tiếp tục triển khai thực hiện phong trào thi đua đặc biệt “Cả nước đoàn kết, chung "
        "sức, đồng lòng thi đua phòng, chống và chiến thắng đại dịch Covid-19”.",
        _DT,
        _YEAR,
    ),
    (
        "4",
        "Tiếp tục triển khai thực hiện các phong trào thi đua: “Cả nước chung tay vì người "
        "nghèo - không để ai bị bỏ lại phía sau”; “Cả nước chung sức xây dựng nông thôn mới”; "
        "“Công chức Ban Dân tộc thi đua thực hiện văn hóa công sở”.",
        "Ban Dân tộc",
        _YEAR,
    ),
    (
        "5",
        "Triển khai các phong trào thi đua do Ủy ban Dân tộc, UBND tỉnh phát động.",
        _DT,
        _YEAR,
    ),
    ("II", "Tổ chức và hoạt động của khối thi đua", None, None),
    (
        "",
        "Thực hiện ký kết giao ước thi đua và tham gia các hoạt động phong trào Khối thi đua "
        "số 6 năm 2022.",
        "Ban Dân tộc",
        _YEAR,
    ),
    ("III", "Tổ chức bộ máy và hoạt động của Hội đồng Thi đua - Khen thưởng", None, None),
    ("", "Thực hiện theo quy định của UBND tỉnh, Ban Dân tộc", "Ban Dân tộc", "Khi có yêu cầu"),
    ("IV", "Công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", None, None),
    (
        "1",
        "Triển khai thực hiện công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiêu biểu và "
        "điển hình tiên tiến xuất sắc giai đoạn 2021-2025 (Theo Kế hoạch số 39/KH-BDT ngày "
        "29/10/2021 của Ban Dân tộc).",
        "Thường trực Hội đồng Thi đua - khen thưởng cơ sở",  # sic, as in the plan
        _YEAR,
    ),
    (
        "2",
        "Bình xét, công nhận mô hình tiêu biểu, điển hình tiên tiến xuất sắc cấp cơ sở và báo "
        "cáo kết quả triển khai thực hiện năm 2022",
        _HD,
        "Tháng 01/2023",
    ),
    (
        "3",
        "Tổ chức tuyên truyền, nhân rộng các mô hình tiêu biểu, điển hình tiên tiến xuất sắc",
        "Văn phòng, Phòng Tuyên truyền và Địa bàn - Ban Dân tộc",
        _YEAR,
    ),
]

SECOND_PART: list[Row] = [
    ("V", "Công tác khen thưởng", None, None),
    (
        "1",
        "Thẩm định, trình Thường trực Hội đồng Thi đua Khen thưởng tỉnh hồ sơ đề nghị Chủ tịch "
        "UBND tỉnh khen thưởng người DTTS tiêu biểu xuất sắc năm 2021; đề nghị khen thưởng cấp "
        "Nhà nước năm 2021.",
        _HD,
        "Quý I/2022",
    ),
    ("1", "", "UBND các huyện, thị, thành phố", "Quý I/2022"),  # merged with the row above
    (
        "2",
        "Bình xét và ban hành quyết định khen thưởng tổng kết thực hiện nhiệm vụ năm 2022 của "
        "công chức, lao động Ban Dân tộc.",
        _HD,
        "Quý IV/2022",
    ),
    (
        "3",
        "Khen thưởng đột xuất, chuyên đề theo kế hoạch của Ban Dân tộc và các đơn vị phối hợp.",
        _HD,
        _YEAR,
    ),
    ("VI", "Thực hiện chế độ báo cáo", None, None),
    (
        "1",
        "Báo cáo sơ kết, tổng kết công tác thi đua, khen thưởng năm 2022.",
        _TT,
        "Quý II,\nQuý IV/2022",
    ),
    (
        "2",
        "Báo cáo kết quả triển khai thực hiện phong trào thi đua “Toàn dân đoàn kết, chung sức, "
        "đồng lòng thi đua phòng, chống và chiến thắng đại dịch Covid - 19”.",
        "Văn phòng\nPhòng Tuyên truyền và Địa bàn",
        _YEAR,
    ),
    ("VII", "Công tác khác", None, None),
    (
        "1",
        "Thực hiện các nhiệm vụ khác theo chỉ đạo của Ủy ban Dân tộc, UBND tỉnh.",
        _TT,
        _YEAR,
    ),
]

INTRO = (
    "Thực hiện Kế hoạch số 382/KH-UBND ngày 31/12/2021 của UBND tỉnh triển khai thực hiện "
    "nhiệm vụ quản lý nhà nước về công tác thi đua, khen thưởng năm 2022; Nhằm triển khai "
    "thực hiện hiệu quả công tác thi đua, khen thưởng của ngành Dân tộc, Ban Dân tộc ban hành "
    "kế hoạch triển khai thực hiện công tác thi đua, khen thưởng năm 2022 như sau:"
)
CLOSING = (
    "Trưởng ban giao Văn phòng ban chủ trì, phối hợp với các phòng, công chức, lao động thuộc "
    "Ban Dân tộc nghiêm túc thực hiện kế hoạch này và báo cáo kết quả thực hiện theo quy định./."
)
RECIPIENTS = (
    "- Ban TĐKT tỉnh (b/c);",
    "- Sở KHCN;",
    "- Cơ quan CTDT cấp huyện;",
    "- LĐ ban, các phòng;",
    "- Công chức, LĐ cơ quan;",
    "- Lưu: VT, TĐKT.",
)


def set_cell(cell: object, text: str, *, bold: bool = False) -> None:
    """Write ``text`` in a cell; "\\n" becomes a line break inside one paragraph."""
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.bold = bold
        if index:
            run._r.addprevious(OxmlElement("w:br"))


def add_heading_table(document: Document, left: Sequence[str], right: Sequence[str]) -> Table:
    """A borderless two-column table (no style: python-docx's default has no borders)."""
    table = document.add_table(rows=len(left), cols=2)
    for index, (one, two) in enumerate(zip(left, right, strict=True)):
        set_cell(table.cell(index, 0), one, bold=index == 0)
        set_cell(table.cell(index, 1), two, bold=index == 0)
    return table


def add_task_table(document: Document, rows: Sequence[Row]) -> Table:
    """The task table with the two-row header, the column numbers and ``rows``.

    A row whose number repeats the row above and has no content is merged with it
    (number and content cells); ``_YEAR`` deadlines of consecutive tasks 3-5 of a
    section are one merged cell, as a secretary merges them.
    """
    table = document.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    for index, name in enumerate(HEADER_TOP):
        set_cell(table.cell(0, index), name, bold=True)
    for index, name in enumerate(HEADER_BELOW):
        set_cell(table.cell(1, index), name, bold=True)
    for index in range(3):
        table.cell(0, index).merge(table.cell(1, index))
    table.cell(0, 3).merge(table.cell(0, 4))
    for index in range(5):
        set_cell(table.cell(2, index), f"({index + 1})")
    merged_deadline_from: int | None = None
    for number, content, units, deadline in rows:
        cells = table.add_row().cells
        row = len(table.rows) - 1
        if units is None:
            set_cell(cells[0], number, bold=True)
            set_cell(cells[1], content, bold=True)
            cells[1].merge(cells[4])
            merged_deadline_from = None
            continue
        if not content:
            table.cell(row - 1, 0).merge(table.cell(row, 0))
            table.cell(row - 1, 1).merge(table.cell(row, 1))
            table.cell(row - 1, 4).merge(table.cell(row, 4))
            set_cell(cells[2], units)
            continue
        set_cell(cells[0], number)
        set_cell(cells[1], content)
        set_cell(cells[2], units)
        if deadline == _YEAR and number in ("3", "4", "5") and merged_deadline_from is not None:
            table.cell(merged_deadline_from, 4).merge(table.cell(row, 4))
            continue
        set_cell(cells[4], deadline or "")
        merged_deadline_from = row if number == "3" and deadline == _YEAR else None
    return table


def sample_plan_document() -> Document:
    return _plan_document(FIRST_PART, SECOND_PART)


AMENDED_DEADLINE = "Trước ngày 15/12/2022"
ADDED_TASK: Row = (
    "3",
    "Báo cáo đột xuất về công tác thi đua, khen thưởng theo yêu cầu của Ban Thi đua - Khen "
    "thưởng tỉnh.",
    "Văn phòng",
    "Khi có yêu cầu",
)


def _amended(rows: Sequence[Row]) -> list[Row]:
    """The amended plan's rows: V.2 due earlier, I.5 reworded, V.3 dropped, VI.3 added."""
    out: list[Row] = []
    for number, content, units, deadline in rows:
        if content.startswith("Khen thưởng đột xuất, chuyên đề"):
            continue  # V.3: dropped
        if content.startswith("Bình xét và ban hành quyết định khen thưởng tổng kết"):
            deadline = AMENDED_DEADLINE
        if content.startswith("Triển khai các phong trào thi đua do Ủy ban Dân tộc"):
            content = (
                "Triển khai các phong trào thi đua do Ủy ban Dân tộc, UBND tỉnh phát động năm 2022."
            )
        out.append((number, content, units, deadline))
        if content.startswith("Báo cáo kết quả triển khai thực hiện phong trào thi đua"):
            out.append(ADDED_TASK)
    return out


def amended_plan_document() -> Document:
    """The sample plan as the office amended it (see ``_amended``)."""
    return _plan_document(_amended(FIRST_PART), _amended(SECOND_PART))


def _plan_document(first: Sequence[Row], second: Sequence[Row]) -> Document:
    document = docx.Document()
    add_heading_table(
        document,
        ["BAN DÂN TỘC", "Số: /KH-BDT"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Bình Phước, ngày tháng năm 2022"],
    )
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    subject = "Triển khai thực hiện công tác thi đua, khen thưởng năm 2022"
    document.add_paragraph().add_run(subject).bold = True
    document.add_paragraph(INTRO)
    add_task_table(document, first)
    document.add_paragraph()
    add_task_table(document, second)
    document.add_paragraph(CLOSING)
    add_heading_table(document, ["Nơi nhận:\n" + "\n".join(RECIPIENTS)], ["TRƯỞNG BAN\n(Đã ký)"])
    return document


def to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_plan_docx() -> bytes:
    """The Word form of the sample plan, as bytes (for a file or ``read_plan_data``)."""
    return to_bytes(sample_plan_document())
