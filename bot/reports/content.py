"""The words of a report, shared by every format so the Word, PDF and Excel files
say exactly the same thing: the title, the summary paragraph, the task table's
columns and cells, and the appendix of figures.
"""

from __future__ import annotations

from datetime import date

from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    STATE_LABELS,
    STOPPED,
    PlanReport,
    ReportRow,
    StateCounts,
)
from data.vn_dates import vn_date

DOCUMENT_TYPE = "BÁO CÁO"
COLUMNS = (
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn",
    "Tình hình thực hiện",
    "Ghi chú",
)
COLUMN_WIDTHS = (0.6, 5.0, 2.4, 2.4, 2.0, 3.2, 1.8)
"""Relative widths (cm on an A4 landscape page, once scaled): the content needs room."""
APPENDIX_TITLE = "PHỤ LỤC: SỐ LIỆU THỰC HIỆN KẾ HOẠCH"
TASKS_TITLE = "PHỤ LỤC: DANH MỤC NHIỆM VỤ VÀ TÌNH HÌNH THỰC HIỆN"
CHART_TITLES = (
    "Kết quả thực hiện nhiệm vụ theo đơn vị",
    "Tiến độ hoàn thành nhiệm vụ theo tháng",
)
"""What each chart shows, in the order ``bot/reports/charts.py`` draws them."""
RECIPIENTS_HEADING = "Nơi nhận:"


def date_words(day: date) -> str:
    """``ngày 05 tháng 02 năm 2022``, ``ngày 31 tháng 7 năm 2022``: the place-and-date line.

    Nghị định 30/2020/NĐ-CP pads days below 10 and the months 1 and 2 with a zero
    (so "tháng 1" cannot be altered into "tháng 11" or "tháng 12"), and no other month.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def symbol_hint(report: PlanReport) -> str:
    """``BDT`` from the plan's "45/KH-BDT" (or its symbol "KH-BDT" when the number was
    left blank): the issuer's part of the report's number."""
    symbol = report.plan_number.rpartition("/")[2] or report.plan_symbol
    kind, dash, issuer = symbol.rpartition("-")
    return issuer.strip() if dash and kind else ""


def chart_caption(index: int) -> str:
    """``Biểu đồ 1: Kết quả thực hiện nhiệm vụ theo đơn vị`` for the chart at ``index`` (from 0)."""
    title = CHART_TITLES[index] if index < len(CHART_TITLES) else ""
    return f"Biểu đồ {index + 1}: {title}" if title else f"Biểu đồ {index + 1}"


def percent(value: float) -> str:
    """``43,8%``: one decimal, with the Vietnamese decimal comma."""
    return f"{value:.1f}".replace(".", ",") + "%"


def subject(report: PlanReport) -> str:
    """The line under "BÁO CÁO": which plan (number, date, issuer), which stretch, as of when.

    "Kết quả thực hiện Kế hoạch số 45/KH-BDT ngày 15/3/2022 của Ban Dân tộc về tổ chức
    …, quý I năm 2022 (tính đến ngày 31/03/2022)": the way offices cite a plan. The
    period is named when it is not simply the plan's year to date.
    """
    plan = report.plan_title.strip().rstrip(".")
    plan = plan[:1].lower() + plan[1:]
    number = f" số {report.plan_number}" if report.plan_number else ""
    issued = report.plan_issued_on
    dated = f" ngày {issued.day}/{issued.month}/{issued.year}" if issued else ""
    issuer = f" của {report.plan_issuer}" if report.plan_issuer and number else ""
    unit = f" tại {report.unit}" if report.unit else ""
    label = report.period.label
    period = "" if label.startswith("Năm ") else f", {label[:1].lower()}{label[1:]}"
    return (
        f"Kết quả thực hiện Kế hoạch{number}{dated}{issuer} về {plan}{unit}{period} "
        f"(tính đến ngày {vn_date(report.as_of)})"
    )


def summary(report: PlanReport) -> str:
    """The paragraph with the figures a reader looks for first."""
    f = report.figures
    done = f.done
    parts = [
        f"Tính đến ngày {vn_date(report.as_of)}, Kế hoạch có {f.total} nhiệm vụ",
        f"đã hoàn thành {done} nhiệm vụ ({f[DONE_ON_TIME]} đúng hạn, {f[DONE_LATE]} quá hạn)",
        f"đang thực hiện {f[IN_PROGRESS_ON_TIME] + f[IN_PROGRESS_LATE]} nhiệm vụ "
        f"({f[IN_PROGRESS_LATE]} quá hạn)",
        f"chưa thực hiện {f[NOT_STARTED]} nhiệm vụ",
    ]
    if f[STOPPED]:
        parts.append(f"không thực hiện / dừng {f[STOPPED]} nhiệm vụ")
    return (
        "; ".join(parts)
        + f". Tỷ lệ hoàn thành Kế hoạch (lũy kế đến thời điểm báo cáo) đạt {percent(f.rate)}."
    )


def due_cell(row: ReportRow) -> str:
    """The deadline as the plan wrote it (an extension is said in the progress cell, where
    "Gia hạn đến …" reads as a fact; here it read as if every "trước ngày" had moved)."""
    text = row.deadline_text.strip()
    if not text and row.due_on is not None:
        return vn_date(row.due_on)
    return text


def notes_cell(row: ReportRow) -> str:
    """The state in words, the plan's own notes, and whether a product was sent."""
    parts = [STATE_LABELS[row.state]]
    if row.products:
        parts.append(f"Có sản phẩm ({row.products})")
    if row.notes.strip():
        parts.append(row.notes.strip())
    return "\n".join(parts)


def row_cells(row: ReportRow) -> tuple[str, ...]:
    """The seven cells of a task's line, in ``COLUMNS`` order."""
    return (
        row.number,
        row.content,
        row.lead,
        row.coordinate,
        due_cell(row),
        row.progress,
        notes_cell(row),
    )


def figure_lines(counts: StateCounts) -> tuple[tuple[str, str], ...]:
    """The appendix of figures, as label and value, in the order offices report them."""
    return (
        ("Số nhiệm vụ đề ra trong kế hoạch", str(counts.total)),
        ("Số nhiệm vụ đã hoàn thành", str(counts.done)),
        (f"  - {STATE_LABELS[DONE_ON_TIME]}", str(counts[DONE_ON_TIME])),
        (f"  - {STATE_LABELS[DONE_LATE]}", str(counts[DONE_LATE])),
        (
            f"Số nhiệm vụ {STATE_LABELS[IN_PROGRESS_ON_TIME].lower()}",
            str(counts[IN_PROGRESS_ON_TIME]),
        ),
        (f"Số nhiệm vụ {STATE_LABELS[IN_PROGRESS_LATE].lower()}", str(counts[IN_PROGRESS_LATE])),
        (f"Số nhiệm vụ {STATE_LABELS[NOT_STARTED].lower()}", str(counts[NOT_STARTED])),
        (f"Số nhiệm vụ {STATE_LABELS[STOPPED].lower()}", str(counts[STOPPED])),
        ("Số nhiệm vụ có sản phẩm", str(counts.with_products)),
        ("Tỷ lệ hoàn thành kế hoạch (lũy kế đến thời điểm báo cáo)", percent(counts.rate)),
    )


def file_stem(report: PlanReport) -> str:
    """``bao-cao-BDT22-2022-12-31``: a file name that sorts by plan and date."""
    return f"bao-cao-{report.plan_code}-{report.as_of.isoformat()}"
