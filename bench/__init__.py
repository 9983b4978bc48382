"""Issue 4's benchmark: our outbox planner and claim against one APScheduler job per reminder.

Not a test: ``python -m bench.run [--quick]`` (or ``make bench``) prints the
numbers and rewrites ``bench/README.md``. Memory is measured in child processes
so that what one design keeps resident does not count against the other.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def rss_mib() -> float:
    """Resident memory of this process now (Linux ``VmRSS``), in MiB."""
    return _status_kib("VmRSS") / 1024


def peak_rss_mib() -> float:
    """The most this process has held resident so far (``VmHWM``), in MiB."""
    return _status_kib("VmHWM") / 1024


def report(result: dict[str, Any]) -> None:
    """A child's answer to ``run_child``: one JSON line on stdout."""
    print(json.dumps(result), flush=True)


def run_child(module: str, *args: str, timeout: float) -> dict[str, Any]:
    """Run ``python -m module args`` from the repository root and read its JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def module_at(commit: str, path: str) -> types.ModuleType:
    """``path`` (a module of this repository) as it was at ``commit``, as a module of its own.

    For timing an old code path beside today's in the same run without a copy of it:
    the old module runs against today's schema and imports. A fresh clone has the
    history; a shallow one says what is missing.
    """
    done = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{path} at {commit} is not in this clone: {done.stderr}")
    module = types.ModuleType(f"bench._{Path(path).stem}_at_{commit}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(done.stdout, f"{path}@{commit}", "exec"), module.__dict__)
    return module
