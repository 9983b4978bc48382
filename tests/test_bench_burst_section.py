"""Section 4 of ``bench/README.md`` shows the loaded machine's table only when a run made one."""

from __future__ import annotations

import copy
import json
from typing import Any

from bench.markdown import burst_section
from bench.run import RESULTS

LOADED = "The same three in a run on a loaded machine"


def _burst() -> dict[str, Any]:
    """The burst section as last kept (a real run's shape), without a loaded run."""
    entry: dict[str, Any] = copy.deepcopy(json.loads(RESULTS.read_text())["burst"])
    entry["result"].pop("pacings_loaded", None)
    entry["result"].pop("loaded_at", None)
    return entry


def test_it_leaves_the_loaded_run_out_when_there_is_none() -> None:
    text = burst_section(_burst())

    assert LOADED not in text
    assert "keep the limiter busy between claims.\n\nWithout a limiter" in text


def test_it_shows_the_loaded_run_with_its_load_when_there_is_one() -> None:
    entry = _burst()
    result = entry["result"]
    result["pacings_loaded"], result["loaded_at"] = copy.deepcopy(result["pacings"]), "5.5 4.1 3.0"

    text = burst_section(entry)

    assert f"{LOADED}\n(load average 5.5 4.1 3.0), where the answer time grows:" in text
    assert text.count("| 429 answers |") == 2  # today's table and the loaded one
