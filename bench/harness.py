"""Shared pieces of the benchmarks: isolated user dirs, /proc readings, statistics, machine."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent


def console_argv(*args: str) -> list[str]:
    """The installed `classroom-tui` script (what a user runs), else `python -m`."""
    script = shutil.which("classroom-tui")
    if script:
        return [script, *args]
    return [sys.executable, "-m", "classroom_tui", *args]


def minimal_argv() -> list[str]:
    return [sys.executable, str(BENCH / "minimal_app.py")]


class UserDirs:
    """Fresh XDG dirs per run: no config.toml, an empty journal, no shared state."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="classroom-bench-")
        self.root = Path(self._tmp.name)
        self.env: dict[str, str] = {}
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            path = self.root / name.lower()
            path.mkdir()
            self.env[name] = str(path)
        self.env["TERM"] = "xterm-256color"
        self.env["COLORTERM"] = "truecolor"
        self.env["PATH"] = os.environ.get("PATH", "")
        self.env["HOME"] = os.environ.get("HOME", str(self.root))
        if os.environ.get("PYTHONPATH"):
            # A/B runs: PYTHONPATH=<a worktree of another commit> measures that commit's code.
            self.env["PYTHONPATH"] = os.environ["PYTHONPATH"]

    @property
    def data_home(self) -> Path:
        return Path(self.env["XDG_DATA_HOME"])

    def cleanup(self) -> None:
        self._tmp.cleanup()


def cpu_seconds(pid: int) -> float:
    """CPU time of the whole process: the nanosecond run time of every live thread
    (/proc/<pid>/task/*/schedstat), else utime + stime in clock ticks."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
        return total / 1e9
    except (OSError, ValueError):
        pass
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    fields = Path(f"/proc/{pid}/statm").read_text().split()
    return int(fields[1]) * PAGE_SIZE / 2**20


@dataclass
class Series:
    """Repeated measurements of one quantity."""

    unit: str
    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    def summary(self) -> dict[str, Any]:
        v = self.values
        if not v:
            return {"unit": self.unit, "n": 0}
        return {
            "unit": self.unit,
            "n": len(v),
            "median": statistics.median(v),
            "min": min(v),
            "max": max(v),
            "values": [round(x, 6) for x in v],
        }


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def machine() -> dict[str, Any]:
    model = "-"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    load = os.getloadavg()
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(mem_kb / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "textual": _version("textual"),
        "httpx": _version("httpx"),
        "uvicorn": _version("uvicorn"),
        "starlette": _version("starlette"),
        "loadavg_at_start": [round(x, 2) for x in load],
    }
