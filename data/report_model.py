"""What a report on a plan says, as plain data: built by ``data/report_states.py``,
written out as Word, Excel, PDF and charts by ``bot/reports/``.

The states are the one vocabulary every Vietnamese government tracking system
reports in — hoàn thành đúng hạn, hoàn thành quá hạn, đang thực hiện trong hạn,
đang thực hiện quá hạn, chưa thực hiện — plus "không thực hiện / dừng" for a task
removed from the plan or cancelled. A report is *as of* a date: every state in it
is what the audit said at the end of that day, so a report printed a month later
reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
IN_PROGRESS_ON_TIME = "in_progress_on_time"
IN_PROGRESS_LATE = "in_progress_late"
NOT_STARTED = "not_started"
STOPPED = "stopped"

STATES = (DONE_ON_TIME, DONE_LATE, IN_PROGRESS_ON_TIME, IN_PROGRESS_LATE, NOT_STARTED, STOPPED)
"""Report states, in the order tables and charts show them."""
STATE_LABELS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    IN_PROGRESS_ON_TIME: "Đang thực hiện trong hạn",
    IN_PROGRESS_LATE: "Đang thực hiện quá hạn",
    NOT_STARTED: "Chưa thực hiện",
    STOPPED: "Không thực hiện / dừng",
}
DONE_STATES = (DONE_ON_TIME, DONE_LATE)


def shown_states(stopped: int) -> tuple[str, ...]:
    """The states a table, a chart or the overview's chips show: "stopped" only when some
    task is, so a plan without one keeps five columns while one with stopped tasks still
    shows every task (the chips then add up to the total)."""
    return STATES if stopped else STATES[:-1]


@dataclass(frozen=True)
class Period:
    """The stretch a report covers: the audit sheet lists what happened within it.

    ``label`` is how the document names it ("Quý I năm 2022", "6 tháng đầu năm
    2022", "Năm 2022"); a report without ``--period`` covers the plan's year up to
    its as-of date.
    """

    start: date
    end: date
    label: str


@dataclass(frozen=True)
class ReportRow:
    """One task of the table, as of the report's date."""

    code: str
    number: str
    content: str
    lead: str
    """The lead units' names, joined with "; " (the plan's wording when none registered)."""
    coordinate: str
    deadline_text: str
    """The deadline as the plan wrote it ("Trước ngày 15/12/2022")."""
    due_on: date | None
    """The due in force on the as-of date (after extensions approved by then), for one-off
    dues; ``None`` for continuous, on-request and unreadable ones."""
    state: str
    """One of ``STATES``."""
    progress: str
    """The "Tình hình thực hiện" cell: "Hoàn thành ngày 12/5/2022", "Đang thực hiện (60%)",
    the officer's last note, "Gia hạn đến 30/6/2022"."""
    notes: str
    done_on: date | None
    products: int
    """Files officers sent for it by the as-of date."""


@dataclass(frozen=True)
class ReportSection:
    number: str
    title: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class StateCounts:
    """Tasks by state: the figures of a plan, a unit or a month."""

    counts: dict[str, int] = field(default_factory=dict)
    with_products: int = 0

    def __getitem__(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def total(self) -> int:
        """Tasks set out ("Số nhiệm vụ đề ra"), the stopped ones included."""
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return sum(self[s] for s in DONE_STATES)

    @property
    def rate(self) -> float:
        """Completion, cumulative to the report's date, over the tasks still in force (0–100)."""
        in_force = self.total - self[STOPPED]
        return 100.0 * self.done / in_force if in_force else 0.0


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    counts: StateCounts


@dataclass(frozen=True)
class MonthFigures:
    """Tasks completed in one month, on time and late (the progress chart)."""

    month: date
    """The first day of the month."""
    on_time: int
    late: int


@dataclass(frozen=True)
class AuditRow:
    """One recorded update within the period (the Excel report's third sheet)."""

    at: datetime
    task_code: str
    unit: str
    officer: str
    channel: str
    kind: str
    state_before: str | None
    state_after: str | None
    percent: int | None
    note: str


@dataclass(frozen=True)
class PlanReport:
    """Everything a report says; renderers only lay it out."""

    plan_code: str
    plan_title: str
    plan_number: str
    """The plan's "Số" as written ("45/KH-BDT"), empty when the draft left it blank."""
    plan_issuer: str
    plan_year: int | None
    as_of: date
    period: Period
    unit: str | None
    """The unit the report is restricted to, or ``None`` for the whole plan."""
    sections: tuple[ReportSection, ...]
    figures: StateCounts
    by_unit: tuple[UnitFigures, ...]
    by_month: tuple[MonthFigures, ...]
    audit: tuple[AuditRow, ...]
    plan_issued_on: date | None = None
    """The plan's signing date, cited in the report's subject ("Kế hoạch số … ngày …")."""
    plan_symbol: str = ""
    """The plan's symbol ("KH-BDT") even when its number was left blank: the report's
    number takes the issuer's part ("…/BC-BDT")."""
    plan_place: str = ""
    """Where the plan was signed ("Bình Phước"): the report's place when none is set."""
