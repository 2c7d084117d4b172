"""`python bench/run.py --quick` starts, runs every benchmark and writes its results.

Not a performance test: nothing here depends on how fast anything was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(240)
def test_quick_benchmarks_run_and_write_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=230,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert set(results["benchmarks"]) == {
        "ceiling",
        "startup",
        "idle",
        "flood",
        "longrun",
        "drain",
        "recordings",
    }
    for name, result in results["benchmarks"].items():
        assert "error" not in result, (name, result.get("error"))
        assert result["metrics"], name
    assert "budget" in done.stdout
