"""The serving process does not load the libraries only a report or a Word/Excel plan needs.

matplotlib (with numpy), WeasyPrint, python-docx and openpyxl took a serving process from
about 100 MiB to 180 MiB before it had read a row (issue 16's memory bound is 200 MiB with a
million pending reminders). They are imported when a chart, a report file or such a plan
is asked for; this holds that for the modules `nhacviec run` loads.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("matplotlib", "numpy", "weasyprint", "docx", "openpyxl")
SERVING = ("bot.cli", "bot.app", "bot.web.app", "bot.webhook", "scheduler.runtime")


def test_serving_modules_leave_the_report_and_office_libraries_unloaded() -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {SERVING!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_a_chart_still_loads_matplotlib_when_asked() -> None:
    probe = (
        "import sys\n"
        "from bot.reports.formats import unit_chart\n"
        "from tests.report_fixture import sample_report\n"
        "png = unit_chart(sample_report())\n"
        "print(png[:4] == b'\\x89PNG', 'matplotlib' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert shown == "True True"
