"""Where the headless drain's time goes: `events --json` with the journal, without it, and
with the journal's connection patched to `PRAGMA synchronous = NORMAL` (WAL: a commit survives
a crash of the process, not a power cut), against plain_loop.py. Run from the repo root:

    python bench/experiments/drain_variants.py [EVENTS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import REPO, UserDirs, console_argv
from sandbox_proc import APP_ID, TOKEN, UID, SandboxProcess

PATCH_NORMAL = (
    "import sys; from classroom_tui.events import journal_schema as s; c = s.connect\n"
    "def connect(*a, **k):\n"
    "    conn = c(*a, **k); conn.execute('PRAGMA synchronous = NORMAL'); return conn\n"
    "s.connect = connect\n"
    "import classroom_tui.events.journal as j; j.connect = connect\n"
    "from classroom_tui.cli import main; sys.exit(main(sys.argv[1:]))\n"
)


def drain(sandbox: SandboxProcess, argv: list[str], env: dict[str, str], count: int) -> float:
    sandbox.flood(count)
    began = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    return count / (time.perf_counter() - began)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with SandboxProcess(rate=0) as sandbox:
        loop_args = [sandbox.base_url, APP_ID, UID, TOKEN]
        json_args = ["events", "--json"]
        variants = {
            "plain loop": [sys.executable, str(REPO / "bench" / "plain_loop.py"), *loop_args],
            "events --json (journal, FULL)": console_argv("events", "--json"),
            "events --json --no-journal": console_argv("events", "--json", "--no-journal"),
            "events --json (journal, NORMAL)": [sys.executable, "-c", PATCH_NORMAL, *json_args],
        }
        for name, argv in variants.items():
            rates = []
            for _ in range(3):
                dirs = UserDirs()
                env = {**os.environ, **dirs.env, **sandbox.client_env()}
                rates.append(drain(sandbox, argv, env, count))
                dirs.cleanup()
            rates.sort()
            print(f"{name:<34} median {rates[1]:>8.0f} events/s  (min {rates[0]:.0f})")


if __name__ == "__main__":
    main()
