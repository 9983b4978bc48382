"""Who issues a report and who signs it: the parts of the official layout that are
not in the plan (Nghị định 30/2020/NĐ-CP, the header, number and signature block).

They come from the environment (an office sets them once) and the command line
wins over it; what neither gives falls back to the plan's own issuer and a blank
number ("Số:      /BC-…"), which is how drafts are printed for the signer to fill in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from data.report_model import PlanReport

COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DEFAULT_RECIPIENTS = ("Lưu: VT.",)
"""Without a setting, only the archive copy: who else receives it is the office's to say."""
VARIABLES = {
    "parent": "NHACVIEC_REPORT_PARENT",
    "issuer": "NHACVIEC_REPORT_ISSUER",
    "number": "NHACVIEC_REPORT_NUMBER",
    "place": "NHACVIEC_REPORT_PLACE",
    "signer_title": "NHACVIEC_REPORT_SIGNER_TITLE",
    "signer_name": "NHACVIEC_REPORT_SIGNER",
}
RECIPIENTS_VARIABLE = "NHACVIEC_REPORT_RECIPIENTS"
"""Recipients separated by ";" ("UBND tỉnh (b/c); Lãnh đạo Ban; Lưu: VT")."""


@dataclass(frozen=True)
class ReportHeader:
    """The official parts of the document around the report's content."""

    parent: str = ""
    """The body above the issuer ("UBND TỈNH KON TUM"), first line of the left column."""
    issuer: str = ""
    """The issuing body ("BAN DÂN TỘC"), bold under the parent."""
    number: str = ""
    """"Số: 12/BC-BDT"; blank keeps the place for the number ("Số:      /BC-…")."""
    place: str = ""
    signer_title: str = "TRƯỞNG BAN"
    signer_name: str = ""
    recipients: tuple[str, ...] = DEFAULT_RECIPIENTS

    def number_line(self, symbol_hint: str = "") -> str:
        """``Số: 12/BC-BDT``, or the blank a draft leaves for the number."""
        if self.number:
            return f"Số: {self.number}"
        return f"Số:       /BC-{symbol_hint}" if symbol_hint else "Số:       /BC"

    def place_date(self, when: str) -> str:
        """``Kon Tum, ngày 31 tháng 12 năm 2022`` (without the place when none is known)."""
        return f"{self.place}, {when}" if self.place else when.capitalize()


def header_for(
    report: PlanReport,
    environ: Mapping[str, str] | None = None,
    **overrides: str,
) -> ReportHeader:
    """The header from the environment, the options given, and the plan's issuer."""
    env = os.environ if environ is None else environ
    values = {field: env.get(variable, "").strip() for field, variable in VARIABLES.items()}
    values.update({k: v.strip() for k, v in overrides.items() if v and v.strip()})
    default = ReportHeader()
    return ReportHeader(
        parent=values["parent"],
        issuer=values["issuer"] or report.plan_issuer.upper(),
        number=values["number"],
        place=values["place"] or report.plan_place,
        signer_title=values["signer_title"] or default.signer_title,
        signer_name=values["signer_name"],
        recipients=recipients(env.get(RECIPIENTS_VARIABLE, "")) or default.recipients,
    )


def recipients(listed: str) -> tuple[str, ...]:
    """The "Nơi nhận" lines from a ";"-separated setting, punctuated as the decree shows
    them: each line ends with ";" but the last (the archive copy), which ends with "."."""
    names = [name.strip().rstrip(";.").strip() for name in listed.split(";")]
    names = [name for name in names if name]
    return tuple(f"{name};" for name in names[:-1]) + tuple(f"{name}." for name in names[-1:])
