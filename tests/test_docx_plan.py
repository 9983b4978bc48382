"""Word plans import as their text form does (issue 13 §1.1, §1.2): merged cells, two-row
headers, a table in several parts, heading tables; old, locked, corrupt and scanned files are
each refused with their own one-line message."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from typer.testing import CliRunner

from bot.cli import app
from data.errors import UserError
from data.plans.importer import draft_tasks, read_plan_file
from data.plans.parsed import ParsedPlan
from data.plans.sniff import OLE2_MAGIC
from tests.plan_documents import add_heading_table, sample_plan_docx, set_cell, to_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"


def _write(tmp_path: Path, data: bytes, name: str = "ke-hoach.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _tasks(plan: ParsedPlan) -> list[tuple[object, ...]]:
    drafts, _ = draft_tasks(plan, 2022)
    return [
        (d.code, d.number, d.content, d.lead_units, d.coordinate_units, d.occurrences)
        for d in (replace(d, line=0) for d in drafts)
    ]


def test_the_word_sample_reads_as_the_text_seed(tmp_path: Path) -> None:
    word = read_plan_file(_write(tmp_path, sample_plan_docx()))
    text = read_plan_file(SEED)
    assert [(s.number, s.title) for s in word.sections] == [
        (s.number, s.title) for s in text.sections
    ]
    assert _tasks(word) == _tasks(text)
    assert (word.number, word.symbol, word.title, word.year, word.place) == (
        text.number,
        text.symbol,
        text.title,
        text.year,
        text.place,
    )
    assert word.intro == text.intro
    assert word.notes == text.notes


def test_a_task_over_two_rows_is_one_task_with_both_units(tmp_path: Path) -> None:
    plan = read_plan_file(_write(tmp_path, sample_plan_docx()))
    task = plan.sections[4].tasks[0]
    assert task.lead_text == "Hội đồng Thi đua – Khen thưởng cơ sở; UBND các huyện, thị, thành phố"
    assert len(plan.sections[4].tasks) == 3


def test_a_merged_deadline_is_every_task_s_deadline(tmp_path: Path) -> None:
    plan = read_plan_file(_write(tmp_path, sample_plan_docx()))
    assert [t.deadline_text for t in plan.sections[0].tasks[2:]] == ["Trong năm 2022"] * 3


def test_line_breaks_part_units_and_join_wrapped_text(tmp_path: Path) -> None:
    plan = read_plan_file(_write(tmp_path, sample_plan_docx()))
    reports = plan.sections[5].tasks
    assert reports[1].lead_text == "Văn phòng; Phòng Tuyên truyền và Địa bàn"
    assert reports[0].deadline_text == "Quý II, Quý IV/2022"
    assert (
        plan.sections[0]
        .tasks[0]
        .content.startswith("Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ công tác")
    )


def test_the_cli_imports_the_word_sample_with_the_seed_s_json(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    runner = CliRunner()
    path = _write(tmp_path, sample_plan_docx())
    result = runner.invoke(app, ["plan", "import", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "16 nhiệm vụ, 17 thời hạn, 7 đơn vị" in result.stdout
    shown = runner.invoke(app, ["plan", "show", "--json"], catch_exceptions=False)
    document = json.loads(shown.stdout)
    assert document["plan"]["source"] == "ke-hoach.docx"
    assert [len(section["tasks"]) for section in document["sections"]] == [5, 1, 1, 3, 3, 2, 1]
    assert len(document["sections"][4]["tasks"][0]["units"]) == 2


def _document_with_extras() -> bytes:
    """A small plan with a nested table, a footnote-like mark, tracked changes and a comment."""
    document = docx.Document()
    add_heading_table(
        document, ["UBND TỈNH X", "Số: 12/KH-UBND"], ["", "X, ngày 5 tháng 1 năm 2026"]
    )
    document.add_paragraph().add_run("KẾ HOẠCH").bold = True
    document.add_paragraph().add_run("Công tác cải cách hành chính năm 2026").bold = True
    table = document.add_table(rows=2, cols=4)
    for index, name in enumerate(("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành")):
        set_cell(table.cell(0, index), name)
    set_cell(table.cell(1, 0), "1")
    content = table.cell(1, 1).paragraphs[0]
    content.add_run("Rà soát thủ tục\thành chính")
    inserted = OxmlElement("w:ins")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = " cấp tỉnh"
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    inserted.append(run)
    content._p.append(inserted)
    deleted = OxmlElement("w:del")
    gone = OxmlElement("w:r")
    gone_text = OxmlElement("w:delText")
    gone_text.text = " cấp huyện"
    gone.append(gone_text)
    deleted.append(gone)
    content._p.append(deleted)
    content._p.append(OxmlElement("w:commentReference"))
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "Phụ lục kèm theo"
    set_cell(table.cell(1, 2), "Sở Nội vụ\nSở Tư pháp")
    set_cell(table.cell(1, 3), "Quý II/2026")
    return to_bytes(document)


def test_tracked_changes_nested_tables_and_comments_do_not_break_it(tmp_path: Path) -> None:
    plan = read_plan_file(_write(tmp_path, _document_with_extras()))
    task = plan.sections[0].tasks[0]
    assert task.content == "Rà soát thủ tục hành chính cấp tỉnh Phụ lục kèm theo"
    assert task.lead_text == "Sở Nội vụ; Sở Tư pháp"
    assert (plan.number, plan.symbol, plan.title) == (
        "12",
        "KH-UBND",
        "Công tác cải cách hành chính năm 2026",
    )


def _refused(tmp_path: Path, data: bytes, name: str = "ke-hoach.docx") -> str:
    with pytest.raises(UserError) as error:
        read_plan_file(_write(tmp_path, data, name))
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def _ole2(*streams: str) -> bytes:
    return OLE2_MAGIC + b"\x00" * 64 + b"".join(s.encode("utf-16-le") for s in streams)


def test_an_old_doc_is_refused_with_its_own_message(tmp_path: Path) -> None:
    assert "Tệp .doc cũ" in _refused(tmp_path, _ole2("WordDocument"), "ke-hoach.txt")


def test_an_old_xls_is_refused_with_its_own_message(tmp_path: Path) -> None:
    assert "Tệp .xls cũ" in _refused(tmp_path, _ole2("Workbook"))


def test_a_password_protected_file_is_refused(tmp_path: Path) -> None:
    assert "mật khẩu" in _refused(tmp_path, _ole2("EncryptionInfo", "EncryptedPackage"))


def test_a_corrupt_word_file_is_refused(tmp_path: Path) -> None:
    assert "bị hỏng" in _refused(tmp_path, sample_plan_docx()[:2000])


def test_a_zip_that_is_no_office_file_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "x")
    assert "không phải Word" in _refused(tmp_path, buffer.getvalue())


def test_a_scan_with_no_table_says_so(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")  # a scan is page images: no table at all
    assert "bản scan" in _refused(tmp_path, to_bytes(document))


def test_the_word_reader_is_chosen_by_content_not_name(tmp_path: Path) -> None:
    plan = read_plan_file(_write(tmp_path, sample_plan_docx(), "ke-hoach.txt"))
    assert len([t for s in plan.sections for t in s.tasks]) == 16
